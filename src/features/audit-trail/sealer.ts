/**
 * The checkpoint sealer. Every gateway process may run one; a lease in the store (store.kv) elects
 * exactly one of them to sign, so several processes appending to one trail produce one sequence of
 * checkpoints rather than a signature race (compare X-Road's message log, where one timestamping task
 * seals batches of records). The holder renews the lease on every tick; if it dies, the lease expires
 * after three intervals and another process takes over.
 *
 * Each interval the leader: reads the chain head; if events were added since the last checkpoint,
 * publishes an `audit.checkpoint` event (so the trail itself records that it was sealed, and by which
 * key), reads the head again — now including that event — and signs and stores it. An idle trail gets
 * no new checkpoints, and the checkpoint event never forces the next one.
 *
 * Election is an optimisation, not a safety property: if two processes ever both sign (a paused leader
 * whose lease expired), both checkpoints are true statements about the same chain and verify alike.
 */
import type { EventBus } from '../../domain/audit/event-bus.js';
import { LeasedRounds, processHolder } from './leased-rounds.js';
import type { AuditCheckpoint, Store } from '../../ports/store/index.js';
import type { Clock } from '../../core/clock.js';
import { signCheckpoint, type CheckpointSigningKey } from './checkpoint.js';

export const SEALER_LEASE = 'audit.sealer';

export interface SealerOptions {
  store: Pick<Store, 'audit' | 'kv'>;
  /** The current signing key (KeyRing.signingKey()); asked on every signature so rotation takes effect. */
  signingKey: () => CheckpointSigningKey | Promise<CheckpointSigningKey>;
  /** Our ISO 3166-1 alpha-3 code, signed into every checkpoint. */
  state: string;
  clock: Clock;
  /** config.audit.checkpointIntervalSeconds × 1000. */
  intervalMs: number;
  /** The bus the `audit.checkpoint` event is published on (the audit subscriber appends it). */
  events?: EventBus;
  /** Unique per process; default host:pid:random. */
  holder?: string;
  /** Called with errors of background ticks (start()); tick() itself throws. */
  onError?: (err: unknown) => void;
}

export class AuditSealer {
  readonly holder: string;
  readonly #o: SealerOptions;
  #last: AuditCheckpoint | null | undefined; // undefined = not loaded since we (re)gained the lease
  readonly #rounds: LeasedRounds;

  constructor(options: SealerOptions) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 1)
      throw new RangeError('intervalMs must be a positive integer');
    this.#o = options;
    this.holder = options.holder ?? processHolder();
    this.#rounds = new LeasedRounds({
      kv: options.store.kv,
      lease: SEALER_LEASE,
      holder: this.holder,
      intervalMs: options.intervalMs,
      round: () => this.tick(),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /** Lease time-to-live: a live leader renews every interval, so it loses the lease only after missing several. */
  get leaseTtlMs(): number {
    return this.#o.intervalMs * 3;
  }

  /** One sealing round. Returns the checkpoint signed, or null (not leader, signed recently, nothing new). */
  async tick(): Promise<AuditCheckpoint | null> {
    const { store, clock, intervalMs } = this.#o;
    const now = clock.now();
    const leader = await store.kv.acquireLease(SEALER_LEASE, this.holder, this.leaseTtlMs, now);
    if (!leader) {
      this.#last = undefined; // another process signs meanwhile: reload when we lead again
      return null;
    }
    if (this.#last === undefined) this.#last = await latestCheckpoint(store);
    const last = this.#last;
    if (last && now - last.at < intervalMs) return null;
    const head = await store.audit.head();
    if (!head || (last && head.seq <= last.seq)) return null;

    const key = await this.#o.signingKey();
    if (this.#o.events) {
      await this.#o.events.publish({
        action: 'audit.checkpoint',
        actor: 'system',
        at: now,
        outcome: 'sealed',
        detail: { previousCheckpointSeq: last?.seq ?? 0, kid: key.kid, sealer: this.holder },
      });
    }
    const sealed = (await store.audit.head()) ?? head;
    const cp = await signCheckpoint({ seq: sealed.seq, headHash: sealed.hash, at: now, state: this.#o.state }, key);
    await store.audit.saveCheckpoint(cp);
    this.#last = cp;
    return cp;
  }

  /**
   * Tick every interval in the background (src/core/periodic.ts: it never keeps a process alive, and
   * a slow store never stacks rounds).
   */
  start(): void {
    this.#rounds.start();
  }

  /** Stop ticking and hand the lease back so another process takes over without waiting for expiry. */
  async stop(): Promise<void> {
    await this.#rounds.stop();
    this.#last = undefined;
  }
}

async function latestCheckpoint(store: Pick<Store, 'audit'>): Promise<AuditCheckpoint | null> {
  let latest: AuditCheckpoint | null = null;
  for (const cp of await store.audit.listCheckpoints())
    if (!latest || cp.seq > latest.seq || (cp.seq === latest.seq && cp.at > latest.at)) latest = cp;
  return latest;
}
