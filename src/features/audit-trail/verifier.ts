/**
 * The periodic verification of the whole audit trail. A trail nobody verifies is only as good as the
 * last time someone thought to: so the gateway itself walks the whole chain every
 * `audit.verifyIntervalSeconds` (default one day) — every hash recomputed, the sequence gapless from
 * 1, every signed checkpoint checked against the public keys (src/features/audit-trail/verify.ts) —
 * and records the result in the trail it speaks about (`audit.verified`, actor `system`, outcome `ok`
 * or `failed`, the first bad seq). The console's audit page shows the newest such event as "last
 * verification"; a failure is also logged at error level, where the operators' alerting reads it.
 *
 * Once across processes: a lease in the store elects the one process that verifies, as for the
 * checkpoint sealer. Whether a verification is due is read from the trail (the newest `audit.verified`
 * by `system`, or the first event's time for a trail never verified), so a restart neither repeats a
 * verification nor postpones one, and a fresh gateway is first verified one interval after its first
 * event. The walk reads in batches and yields between them, so the event loop keeps serving.
 */
import type { JSONWebKeySet } from 'jose';
import type { Clock } from '../../core/clock.js';
import type { EventBus } from '../../domain/audit/event-bus.js';
import { LeasedRounds, processHolder } from './leased-rounds.js';
import type { Store } from '../../ports/store/index.js';
import { verifyTrail, type VerifyResult } from './verify.js';

export const VERIFIER_LEASE = 'audit.verifier';
/** The actor of the gateway's own verifications (a console verification carries the person's). */
export const VERIFIER_ACTOR = 'system';

export interface VerifierOptions {
  store: Pick<Store, 'audit' | 'kv'>;
  /** The public keys checkpoints are checked against; asked on every pass so rotation takes effect. */
  jwks: () => JSONWebKeySet;
  clock: Clock;
  /** config.audit.verifyIntervalSeconds × 1000: how old the last verification may grow. */
  intervalMs: number;
  /** How often to look whether one is due (and renew the lease); default min(intervalMs, 60 s). */
  tickMs?: number;
  /** The bus the `audit.verified` event is published on (the audit subscriber appends it). */
  events: EventBus;
  /** Unique per process; default host:pid:random. */
  holder?: string;
  /** Called with every completed verification (logging; tests wait on it). */
  onResult?: (result: VerifyResult) => void;
  /** Called with errors of background ticks (start()); tick() itself throws. */
  onError?: (err: unknown) => void;
}

export class AuditVerifier {
  readonly holder: string;
  readonly #o: VerifierOptions;
  readonly #tickMs: number;
  readonly #rounds: LeasedRounds;

  constructor(options: VerifierOptions) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 1)
      throw new RangeError('intervalMs must be a positive integer');
    this.#o = options;
    this.#tickMs = options.tickMs ?? Math.min(options.intervalMs, 60_000);
    this.holder = options.holder ?? processHolder();
    this.#rounds = new LeasedRounds({
      kv: options.store.kv,
      lease: VERIFIER_LEASE,
      holder: this.holder,
      intervalMs: this.#tickMs,
      round: () => this.tick(),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /** When the next verification is due: one interval after the last, or after the trail's first event. */
  async dueAt(): Promise<number | null> {
    const { audit } = this.#o.store;
    const last = (await audit.query({ action: 'audit.verified', actor: VERIFIER_ACTOR }, { limit: 1 })).items[0];
    if (last) return last.at + this.#o.intervalMs;
    const first = (await audit.range(1, 1, 1))[0];
    return first ? first.at + this.#o.intervalMs : null;
  }

  /** One round: verifies the whole trail if this process leads and one is due; else returns null. */
  async tick(): Promise<VerifyResult | null> {
    const { store, clock } = this.#o;
    const leader = await store.kv.acquireLease(VERIFIER_LEASE, this.holder, this.#tickMs * 3, clock.now());
    if (!leader) return null;
    const due = await this.dueAt();
    if (due === null || clock.now() < due) return null;
    return this.verifyNow();
  }

  /** Verify the whole trail now and record the result in it. */
  async verifyNow(): Promise<VerifyResult> {
    const result = await verifyTrail(this.#o.store.audit, this.#o.jwks(), { batchSize: 5000 });
    const bad = result.firstBad;
    await this.#o.events.publish({
      action: 'audit.verified',
      actor: VERIFIER_ACTOR,
      at: this.#o.clock.now(),
      messageId: null,
      partner: null,
      outcome: result.ok ? 'ok' : 'failed',
      detail: {
        fromSeq: 1,
        // What was walked: up to the first bad event, or every event found.
        toSeq: bad ? bad.seq : result.events,
        events: result.events,
        checkpoints: result.checkpoints,
        unsealed: result.unsealed,
        ...(bad ? { firstBadSeq: bad.seq, problem: bad.problem } : {}),
      },
    });
    this.#o.onResult?.(result);
    return result;
  }

  /** Look every tick in the background (src/core/periodic.ts: unref'd, never stacked). */
  start(): void {
    this.#rounds.start();
  }

  /** Stop (waiting for a walk in progress) and hand the lease back. */
  async stop(): Promise<void> {
    await this.#rounds.stop();
  }
}
