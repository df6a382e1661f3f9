/**
 * The delivery queue as the features see it. Submission, outbox recovery and follow-ups only hand a
 * record over or take it back (OutboundQueue); the delivery worker and the orphan sweep need a little
 * more (DeliveryJobs). The BullMQ adapter (src/adapters/queue-bullmq) implements both; no feature
 * knows Redis.
 *
 * `enqueue` must be idempotent per record id (BullMQ jobId = record id): outbox recovery may hand the
 * same record over twice when a process died between enqueue and the `queued` transition.
 */
import type { Logger } from 'pino';
import type { OutboundRecord, OutboundState } from './store/index.js';
import type { CircuitStore } from './circuit.js';
import type { QueueWorker } from './worker.js';

export interface OutboundQueue {
  enqueue(record: OutboundRecord): Promise<unknown>;
  /**
   * False when the queue is known unreachable (kept from connection events, not asked per call): the
   * submission path then leaves the record to the outbox recovery instead of waiting for a timeout.
   */
  available?(): boolean;
  /** Remove a not-yet-started job; resolves whether one was removed. */
  cancel(id: string): Promise<unknown>;
  /**
   * Drop the job holding `id` (a finished one) so the id can be enqueued again (a resend, the orphan
   * sweep); throws when it cannot.
   */
  discard(id: string): Promise<void>;
}

/** What handling one delivery job decided; the queue adapter turns it into the queue's own moves. */
export type DeliveryOutcome =
  | { next: 'done'; state: OutboundState | 'missing' }
  /**
   * Run the job again in `delayMs` (a retry, or a deferral for a busy partner). A delay rather than a
   * time: the queue counts it on its own clock, whatever the gateway's clock says (tests freeze it).
   */
  | { next: 'delay'; delayMs: number; why: 'retry' | 'partner_busy' }
  /**
   * The partner's circuit is open: the job waits for it to close, without spending a retry. The queue
   * keeps it among the partner's waiting jobs so that `release(partner)` wakes it at once; `delayMs`
   * only bounds the wait should that wake-up be lost.
   */
  | { next: 'delay'; delayMs: number; why: 'circuit_open' }
  | { next: 'failed'; reason: string };

/** What a delivery job carries: references only, the message stays in the store. */
export interface DeliveryJob {
  id: string;
  partner: string;
  departureAt: number | null;
}

/**
 * Where the job for a record id stands: `live` (waiting, delayed or active), `finished` (completed or
 * failed: it still holds the id, so an enqueue would be a no-op), or `missing`.
 */
export type JobPresence = 'live' | 'finished' | 'missing';

/** One delivery attempt for one job; `signal` aborts it when a bounded shutdown runs out of time. */
export type DeliveryProcessor = (job: DeliveryJob, signal: AbortSignal) => Promise<DeliveryOutcome>;

export interface DeliveryWorkOptions {
  /** Jobs in flight in this process. */
  concurrency: number;
  /** false: start paused until run() (tests build a backlog first). */
  autorun: boolean;
  /** Bounded wait for in-flight jobs at close(), ms; then their signal aborts. */
  shutdownTimeoutMs: number;
  /** Backoff for errors escaping the processor (our store or Redis failing mid-way). */
  backoff: { baseMs: number; capMs: number };
  /** [0, 1) source for jitter; tests fix it. */
  random: () => number;
  log: Logger;
}

/** The backlog as operators watch it (the queue metrics). */
export interface QueueStats {
  /** Jobs not yet finished and not in flight: ready to run plus delayed (retries waiting out a backoff). */
  depth: number;
  /** Jobs ready to run now, waiting for a worker. */
  waiting: number;
  /** Age of the oldest job ready to run, seconds since it was enqueued (0 when none waits). */
  oldestWaitingSeconds: number;
}

/** The delivery queue as the delivery worker and the orphan sweep see it. */
export interface DeliveryJobs extends OutboundQueue {
  /** Jobs not yet finished and not in flight. */
  depth(): Promise<number>;
  /** Depth, waiting count and the age of the oldest waiting job, `now` being epoch ms. */
  stats(now: number): Promise<QueueStats>;
  presence(id: string): Promise<JobPresence>;
  /**
   * Wake every job of `partner` that waits (circuit open, or a retry) now: they run by their departure
   * priority, earliest first. Resolves how many were woken.
   */
  release(partner: string): Promise<number>;
  /** The shared store of the partners' circuits (kept next to the queue: same lifetime, same Redis). */
  readonly circuits: CircuitStore;
  /** Serve the queue in this process: `process` handles each job, the adapter does what its outcome says. */
  work(process: DeliveryProcessor, options: DeliveryWorkOptions): QueueWorker;
}
