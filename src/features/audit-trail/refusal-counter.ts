/**
 * Refusals of unauthenticated requests, counted instead of recorded one by one: anyone on the network
 * could otherwise grow the permanent audit trail by one row per request. Each window yields one
 * `request.refused` event per (kind, route, code) with its count, written when the window closes and
 * at shutdown, so 2,000 garbage requests cost the trail a handful of rows and the attacker their
 * budget (src/http/steps/limit-refusals.ts).
 */
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { EventBus } from '../../domain/audit/event-bus.js';

export interface RefusalKey {
  /** `input` for the local API, `message` for the inbox, `other` for unknown paths. */
  kind: 'input' | 'message' | 'other';
  route: string;
  code: string;
  status: number;
}

export interface RefusalCounterDeps {
  events: EventBus;
  clock: Clock;
  log: Logger;
}

export class RefusalCounter {
  readonly #deps: RefusalCounterDeps;
  #counts = new Map<string, RefusalKey & { count: number }>();
  #windowStart: number;
  readonly #timer: NodeJS.Timeout;

  constructor(deps: RefusalCounterDeps, windowMs: number) {
    this.#deps = deps;
    this.#windowStart = deps.clock.now();
    this.#timer = setInterval(() => void this.flush(), windowMs);
    this.#timer.unref();
  }

  add(key: RefusalKey): void {
    const k = `${key.kind}\u0000${key.route}\u0000${key.code}`;
    const entry = this.#counts.get(k);
    if (entry) entry.count += 1;
    else this.#counts.set(k, { ...key, count: 1 });
  }

  /** Write the window's counts (one event each) and start a new window. */
  async flush(): Promise<void> {
    const counts = [...this.#counts.values()];
    const from = this.#windowStart;
    this.#counts = new Map();
    this.#windowStart = this.#deps.clock.now();
    if (counts.length === 0) return;
    const at = this.#windowStart;
    try {
      await this.#deps.events.publish(
        ...counts.map((c) => ({
          action: 'request.refused' as const,
          actor: 'anonymous',
          at,
          outcome: c.code,
          detail: { kind: c.kind, route: c.route, status: c.status, count: c.count, from, to: at },
        })),
      );
    } catch (err) {
      this.#deps.log.error({ err }, 'could not audit refusal counts');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
