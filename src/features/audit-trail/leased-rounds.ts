/**
 * The background side of a round that one process of the gateway runs at a time: the checkpoint
 * sealer (./sealer.ts) and the trail verifier (./verifier.ts). Each round takes or renews a lease in
 * the store before it acts (that part is the round's own); here are the ticking — unref'd, never
 * stacked (src/core/periodic.ts) — and the hand-back of the lease at stop, so another process takes
 * over at its next tick instead of waiting for the lease to expire.
 */
import { hostname } from 'node:os';
import { startPeriodic, type PeriodicRun } from '../../core/periodic.js';
import { uuid7 } from '../../core/uuid7.js';
import type { KvRepo } from '../../ports/store/index.js';

/** A lease holder name unique to this process: host, pid and a random part (pids repeat across restarts). */
export function processHolder(): string {
  return `${hostname()}:${process.pid}:${uuid7().slice(0, 8)}`;
}

export interface LeasedRoundsOptions {
  kv: Pick<KvRepo, 'releaseLease'>;
  lease: string;
  holder: string;
  intervalMs: number;
  round: () => Promise<unknown>;
  /** Errors of background rounds (a round called directly throws to its caller). */
  onError?: (err: unknown) => void;
}

export class LeasedRounds {
  readonly #o: LeasedRoundsOptions;
  #ticks: PeriodicRun<unknown> | undefined;

  constructor(options: LeasedRoundsOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#ticks) return;
    this.#ticks = startPeriodic(() => this.#o.round(), {
      intervalMs: this.#o.intervalMs,
      immediate: false,
      fallback: null,
      onError: (err) => this.#o.onError?.(err),
    });
  }

  /** Stop ticking (waiting for a round in progress) and hand the lease back. */
  async stop(): Promise<void> {
    await this.#ticks?.stop();
    this.#ticks = undefined;
    await this.#o.kv.releaseLease(this.#o.lease, this.#o.holder);
  }
}
