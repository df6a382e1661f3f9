/**
 * The per-partner circuit as the delivery worker uses it (rules: src/domain/delivery/circuit.ts; state:
 * the shared CircuitStore, src/ports/circuit.ts):
 *
 *   before an attempt   admit(): closed → send; open → the job waits (no retry spent, `parkMs` at
 *                       most) until released; probe due → the partner's earliest-departing waiting
 *                       job sends it; of the callers, the one whose compare-and-set wins sends it
 *   the probe clock     a timer per partner and process, armed whenever the process sees the circuit
 *                       not closed: when the probe falls due it wakes the earliest-departing waiting
 *                       job, and looks again one probe interval later if nobody claimed the probe
 *                       (that job was cancelled meanwhile, or died): the probe never hangs on one job
 *   after an attempt    answered(): the partner answered, the circuit closes if it was not, and the
 *                       process that closed it releases the partner's waiting jobs at once
 *                       failed(): a transient failure counts; the N-th in a row opens the circuit
 *
 * The state lives in the shared store, so every worker process sees one circuit per partner and a
 * restarted gateway finds it as it was. A process keeps a closed circuit in memory for `cacheMs`, so
 * the healthy path costs no round trip per attempt; a circuit that is not closed is read afresh each
 * time. Opening and closing are audited (`partner.circuit_opened` / `partner.circuit_closed`, through
 * the one event path), logged as alerts and shown by `tnx_partner_circuit_state{partner}`; exactly one
 * process announces each change: the one whose compare-and-set made it.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { DeliveryOutcome } from '../../ports/queue.js';
import type { Failure } from '../../domain/delivery/failure-classes.js';
import type { CircuitStore } from '../../ports/circuit.js';
import {
  admit,
  change,
  CLOSED,
  onFailure,
  onSuccess,
  parseCircuit,
  phaseValue,
  type Circuit,
  type CircuitSettings,
} from '../../domain/delivery/circuit.js';

/** Compare-and-set rounds before giving up on a contended update (another process keeps winning). */
const ROUNDS = 8;

export type CircuitPass = { go: true; probe: boolean } | { go: false; waitMs: number };

export interface PartnerCircuitOptions {
  store: CircuitStore;
  /** Wake the partner's waiting jobs; resolves how many woke. */
  release: (partner: string) => Promise<number>;
  settings: CircuitSettings;
  /** How long a job waiting on an open circuit sleeps at most (the release or the probe clock wake it), ms. */
  parkMs: number;
  /** How long a closed circuit is trusted from memory, ms (0: read the store on every attempt). */
  cacheMs?: number;
}

export class PartnerCircuits {
  readonly #ctx: GatewayContext;
  readonly #o: PartnerCircuitOptions;
  readonly #cacheMs: number;
  /** Closed circuits seen, and until when (performance.now()) they are trusted. */
  readonly #closed = new Map<string, number>();
  /** Partners whose circuit this process last saw not closed. */
  readonly #open = new Set<string>();
  /** Per partner, the probe clock: the probe due time it serves (`probeAt`) and its timer. */
  readonly #clock = new Map<string, { due: number; timer: NodeJS.Timeout }>();
  #stopped = false;

  constructor(ctx: GatewayContext, options: PartnerCircuitOptions) {
    this.#ctx = ctx;
    this.#o = options;
    this.#cacheMs = options.cacheMs ?? 1000;
  }

  async #read(partner: string): Promise<{ text: string | null; c: Circuit }> {
    const text = await this.#o.store.read(partner);
    const c = parseCircuit(text);
    this.#see(partner, c);
    return { text, c };
  }

  #see(partner: string, c: Circuit): void {
    this.#ctx.metrics.partnerCircuit.set({ partner }, phaseValue(c.phase));
    if (c.phase === 'closed' && c.failures === 0) this.#closed.set(partner, performance.now() + this.#cacheMs);
    else this.#closed.delete(partner);
    if (c.phase === 'closed') {
      this.#open.delete(partner);
      this.#disarm(partner);
      return;
    }
    this.#open.add(partner);
    // A new probe time (opened, probe claimed, probe failed): the clock serves that one now.
    const due = c.probeAt ?? 0;
    if (this.#clock.get(partner)?.due !== due) this.#arm(partner, due, due);
  }

  /** Fire the probe clock of `partner` at `at` (clock ms), for the probe due at `due`. */
  #arm(partner: string, due: number, at: number): void {
    this.#disarm(partner);
    if (this.#stopped) return;
    const timer = setTimeout(() => void this.#tick(partner), Math.max(0, at - this.#ctx.clock.now()));
    timer.unref(); // the queue's own timers keep the process up, not this one
    this.#clock.set(partner, { due, timer });
  }

  #disarm(partner: string): void {
    const armed = this.#clock.get(partner);
    if (armed) clearTimeout(armed.timer);
    this.#clock.delete(partner);
  }

  /**
   * The probe clock fires: if the probe is due and unclaimed, wake the earliest-departing waiting job
   * to send it, and look again one interval later (re-armed before waking, so no second tick overlaps).
   */
  async #tick(partner: string): Promise<void> {
    this.#clock.delete(partner);
    const interval = this.#o.settings.probeIntervalMs;
    try {
      const { c } = await this.#read(partner);
      if (c.phase === 'closed') return;
      const now = this.#ctx.clock.now();
      const a = admit(c, now, this.#o.settings);
      const due = c.probeAt ?? 0;
      if (!a.go) return this.#arm(partner, due, now + a.waitMs);
      this.#arm(partner, due, now + interval);
      await this.#o.store.wakeFirst(partner);
    } catch (err) {
      if (this.#stopped) return;
      // Redis unreachable: the jobs' own `parkMs` bounds the wait meanwhile; try again next interval.
      this.#ctx.log.warn({ partner, err: (err as Error).name }, 'partner circuit probe clock: store unreachable');
      if (!this.#clock.has(partner)) this.#arm(partner, 0, this.#ctx.clock.now() + interval);
    }
  }

  /**
   * Arm the probe clock of every partner whose stored circuit is not closed: a starting process takes
   * over circuits that processes before it left open (their waiting jobs sleep `parkMs`).
   */
  async start(): Promise<void> {
    try {
      for (const partner of await this.#o.store.partners()) if (!this.#stopped) await this.#read(partner);
    } catch (err) {
      this.#ctx.log.warn({ err: (err as Error).name }, 'partner circuits: open circuits not looked up at start');
    }
  }

  /** Stop the probe clocks (the worker is closing). */
  close(): void {
    this.#stopped = true;
    for (const partner of [...this.#clock.keys()]) this.#disarm(partner);
  }

  /**
   * After a failed attempt while the circuit is not closed, the job waits on the circuit: parked with
   * the partner's other waiting jobs (the release and the probe clock wake them), no longer than its
   * own retry delay (which keeps to the retry budget); it meets the circuit again when it comes back.
   */
  waitOnCircuit(partner: string, out: DeliveryOutcome): DeliveryOutcome {
    if (out.next !== 'delay' || !this.#open.has(partner)) return out;
    return { next: 'delay', delayMs: Math.min(out.delayMs, this.#o.parkMs), why: 'circuit_open' };
  }

  /** Count an attempt's result: a transient failure of the partner, or an answer that proves it is there. */
  async observe(partner: string, answered: boolean, failure: Failure | null): Promise<void> {
    if (failure && failure.class === 'transient' && isPartnerDown(failure, answered))
      await this.failed(partner, failure.reason);
    else if (answered) await this.answered(partner);
  }

  /**
   * May an attempt of `job` to `partner` start now? A probe that falls due goes to the partner's
   * earliest-departing waiting job (the store's `probeTurn`): the probe is a real message, the first
   * one delivered when the partner is back, and the released backlog follows it in departure order, so
   * it must not be an arbitrary later one. A job that may not go waits `parkMs` at most: the release,
   * or the probe clock if it is the one to probe, wakes it earlier.
   */
  async admit(partner: string, job?: { id: string; departureAt: number | null }): Promise<CircuitPass> {
    const trusted = this.#closed.get(partner);
    if (trusted !== undefined && performance.now() < trusted) return { go: true, probe: false };
    const wait: CircuitPass = { go: false, waitMs: this.#o.parkMs };
    for (let round = 0; round < ROUNDS; round += 1) {
      const { text, c } = await this.#read(partner);
      const a = admit(c, this.#ctx.clock.now(), this.#o.settings);
      if (!a.go) return wait;
      if (!a.probe) return a;
      if (job && (await this.#o.store.probeTurn(partner, job)) !== 'self') return wait;
      if (await this.#o.store.swap(partner, text, JSON.stringify(a.next))) {
        this.#see(partner, a.next);
        this.#ctx.log.info({ partner }, 'partner circuit half-open: probing');
        return { go: true, probe: true };
      }
      // Another process changed it first (claimed the probe, or closed it): look again.
    }
    return wait;
  }

  /** The partner answered (a receipt, or any status that proves it is there). */
  async answered(partner: string): Promise<void> {
    const trusted = this.#closed.get(partner);
    if (trusted !== undefined && performance.now() < trusted) return;
    const done = await this.#update(partner, (c) => onSuccess(c));
    if (!done) return;
    const { before, after } = done;
    if (change(before, after) !== 'closed') return;
    const now = this.#ctx.clock.now();
    const released = await this.#o.release(partner);
    const openForMs = before.openedAt === null ? null : now - before.openedAt;
    this.#ctx.log.warn(
      { alert: 'partner_circuit_closed', partner, openForMs, released },
      'partner circuit closed: its waiting jobs were released',
    );
    await this.#ctx.events.publish({
      action: 'partner.circuit_closed',
      actor: 'system',
      at: now,
      partner,
      outcome: 'closed',
      detail: { openForMs, released },
    });
  }

  /** A transient failure of an attempt to the partner (not our own trouble, not a shutdown abort). */
  async failed(partner: string, reason: string): Promise<void> {
    const now = this.#ctx.clock.now();
    const done = await this.#update(partner, (c) => onFailure(c, now, reason, this.#o.settings));
    if (!done || change(done.before, done.after) !== 'opened') return;
    this.#ctx.metrics.alerts.inc({ kind: 'circuit_open' });
    this.#ctx.log.error(
      { alert: 'partner_circuit_opened', partner, failures: done.after.failures, lastFailure: reason },
      'partner circuit opened: deliveries to this partner wait for a successful probe',
    );
    await this.#ctx.events.publish({
      action: 'partner.circuit_opened',
      actor: 'system',
      at: now,
      partner,
      outcome: 'opened',
      detail: { failures: done.after.failures, lastFailure: reason },
    });
  }

  /** Compare-and-set `fn` onto the stored circuit; null when contended past ROUNDS (the next attempt tells). */
  async #update(partner: string, fn: (c: Circuit) => Circuit): Promise<{ before: Circuit; after: Circuit } | null> {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { text, c } = await this.#read(partner);
      const after = fn(c);
      if (after === c || (text === null && after === CLOSED)) return { before: c, after: c };
      if (await this.#o.store.swap(partner, text, JSON.stringify(after))) {
        this.#see(partner, after);
        return { before: c, after };
      }
    }
    this.#ctx.log.warn({ partner }, 'partner circuit update contended; left to the next attempt');
    return null;
  }
}

/**
 * Whether a transient failure says the partner is down. Our own trouble (`internal_error`, the store,
 * Redis) and a shutdown abort say nothing about the partner; 408, 429 and 5xx answers and network
 * errors and timeouts do.
 */
function isPartnerDown(f: Failure, answered: boolean): boolean {
  if (answered) return f.httpStatus !== null && (f.httpStatus === 408 || f.httpStatus === 429 || f.httpStatus >= 500);
  return f.reason !== 'aborted' && f.httpStatus === null && !NOT_PARTNER.has(f.reason);
}

const NOT_PARTNER = new Set(['internal_error', 'store_unavailable', 'aborted']);
