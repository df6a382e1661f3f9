/**
 * The per-partner circuit as the delivery worker uses it (rules: src/domain/delivery/circuit.ts; state:
 * the shared CircuitStore, src/ports/circuit.ts):
 *
 *   before an attempt   admit(): closed → send; open → the job waits (no retry spent) until released;
 *                       probe due → the partner's earliest-departing waiting job is woken to send it;
 *                       of the callers, the one whose compare-and-set wins sends the probe
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
  /** How long a job waiting on an open circuit sleeps when it is not this process's waker, ms. */
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
  /**
   * Per partner, when (clock) a job of this process is due back to probe. While a circuit is open the
   * partner's jobs sleep `parkMs` (the circuit closing wakes them), all but one per process: the waker,
   * which comes back when the next probe is due.
   */
  readonly #wakers = new Map<string, number>();
  /** Per partner, the due time (`probeAt`) of the probe this process last handed on to an earlier job. */
  readonly #handedOn = new Map<string, number | null>();

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
    if (c.phase === 'closed') this.#open.delete(partner);
    else this.#open.add(partner);
  }

  /** How long a job that may not go waits: until the next probe for the waker, `parkMs` for the rest. */
  #waitFor(partner: string, waitMs: number): number {
    const now = this.#ctx.clock.now();
    const armed = this.#wakers.get(partner);
    if (armed !== undefined && armed > now) return Math.max(waitMs, this.#o.parkMs);
    this.#wakers.set(partner, now + waitMs);
    return Math.max(1, waitMs);
  }

  /**
   * The delay after a failed attempt while the circuit is not closed: no longer than the probe
   * interval, so that this job is back to probe (the others sleep until released), and parked.
   */
  shorten(partner: string, out: DeliveryOutcome): DeliveryOutcome {
    if (out.next !== 'delay' || !this.#open.has(partner)) return out;
    const interval = this.#o.settings.probeIntervalMs;
    this.#wakers.set(partner, this.#ctx.clock.now() + Math.min(out.delayMs, interval));
    // It now waits on the circuit: parked with the partner's other jobs, so the release wakes it too.
    return { next: 'delay', delayMs: Math.min(out.delayMs, interval), why: 'circuit_open' };
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
   * it must not be an arbitrary later one. The caller that handed its turn on comes back one probe
   * interval later and takes the same probe itself if still nobody did: a job hands on a given probe
   * once per process, so the circuit is never left without a prober.
   */
  async admit(partner: string, job?: { id: string; departureAt: number | null }): Promise<CircuitPass> {
    const trusted = this.#closed.get(partner);
    if (trusted !== undefined && performance.now() < trusted) return { go: true, probe: false };
    for (let round = 0; round < ROUNDS; round += 1) {
      const { text, c } = await this.#read(partner);
      const a = admit(c, this.#ctx.clock.now(), this.#o.settings);
      if (!a.go) return { go: false, waitMs: this.#waitFor(partner, a.waitMs) };
      if (!a.probe) return a;
      if (job && this.#handedOn.get(partner) !== c.probeAt) {
        const turn = await this.#o.store.probeTurn(partner, job);
        if (turn !== 'self') {
          this.#handedOn.set(partner, c.probeAt);
          return { go: false, waitMs: this.#waitFor(partner, this.#o.settings.probeIntervalMs) };
        }
      }
      if (await this.#o.store.swap(partner, text, JSON.stringify(a.next))) {
        this.#see(partner, a.next);
        this.#ctx.log.info({ partner }, 'partner circuit half-open: probing');
        return { go: true, probe: true };
      }
      // Another process changed it first (claimed the probe, or closed it): look again.
    }
    return { go: false, waitMs: this.#waitFor(partner, this.#o.settings.probeIntervalMs) };
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
