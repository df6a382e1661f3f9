/**
 * Per-partner limits from the directory (`limits.concurrency`, `limits.ratePerSecond`), enforced inside
 * ONE process: a counting semaphore (deliveries in flight) and a token bucket (deliveries started per
 * second, burst = one second's worth, at least 1).
 *
 * Across processes the limits add up: N worker processes may together reach N × concurrency and
 * N × ratePerSecond towards one partner. Operators who run several worker processes divide the
 * directory limits by N (see docs/delivery.md); a Redis-wide limiter would serialise every attempt
 * through one key and was judged not worth it for partner counts in the tens.
 *
 * A job that cannot get a slot within `maxWaitMs` gives its worker slot back (the caller defers the
 * job briefly) so that one slow partner cannot hold every worker slot and starve the others.
 */
import type { PartnerLimits } from '../../config/schema.js';

type Now = () => number;

class Semaphore {
  #free: number;
  readonly #waiters: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }
  /** Resolves true with a slot taken, or false after `maxWaitMs`. */
  take(maxWaitMs: number): Promise<boolean> {
    if (this.#free > 0) {
      this.#free -= 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(grant);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(false);
      }, maxWaitMs);
      this.#waiters.push(grant);
    });
  }
  give(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free += 1;
  }
}

export class TokenBucket {
  #tokens: number;
  #last: number;
  readonly #capacity: number;
  constructor(
    readonly ratePerSecond: number,
    private readonly now: Now = () => performance.now(),
  ) {
    this.#capacity = Math.max(1, ratePerSecond);
    this.#tokens = this.#capacity;
    this.#last = now();
  }
  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((t - this.#last) / 1000) * this.ratePerSecond);
    this.#last = t;
  }
  /** Takes a token and returns 0, or returns the ms until one will be available (nothing taken). */
  tryTake(): number {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) / this.ratePerSecond) * 1000);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class PartnerGate {
  readonly #sem: Semaphore;
  readonly #bucket: TokenBucket;
  #inFlight = 0;
  constructor(
    readonly limits: PartnerLimits,
    now?: Now,
  ) {
    this.#sem = new Semaphore(limits.concurrency);
    this.#bucket = new TokenBucket(limits.ratePerSecond, now);
  }

  /** Deliveries to this partner in flight now (for tests and metrics). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Wait for a concurrency slot and a rate token, at most about `maxWaitMs` in total. Returns a
   * release function, or null when the wait would be longer (the caller defers the job).
   */
  async acquire(maxWaitMs: number): Promise<(() => void) | null> {
    const started = performance.now();
    if (!(await this.#sem.take(maxWaitMs))) return null;
    for (;;) {
      const wait = this.#bucket.tryTake();
      if (wait === 0) break;
      if (performance.now() - started + wait > maxWaitMs) {
        this.#sem.give();
        return null;
      }
      await sleep(wait);
    }
    this.#inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#sem.give();
    };
  }
}

/** One gate per partner state; rebuilt when the directory's limits for that partner change. */
export class PartnerLimiter {
  readonly #gates = new Map<string, PartnerGate>();
  gate(state: string, limits: PartnerLimits): PartnerGate {
    const g = this.#gates.get(state);
    if (g && g.limits.concurrency === limits.concurrency && g.limits.ratePerSecond === limits.ratePerSecond) return g;
    const fresh = new PartnerGate({ concurrency: limits.concurrency, ratePerSecond: limits.ratePerSecond });
    this.#gates.set(state, fresh);
    return fresh;
  }
}
