/**
 * What the submission side needs from delivery: hand a stored record over, or take it back. The
 * delivery engineer's DeliveryQueue (src/features/delivery) satisfies this structurally; keeping the port this
 * small means submission, outbox recovery and follow-ups each enqueue with one call.
 *
 * `enqueue` must be idempotent per record id (BullMQ jobId = record id): outbox recovery may hand the
 * same record over twice when a process died between enqueue and the `queued` transition.
 */
import type { OutboundRecord, OutboundState } from './store/index.js';

export interface OutboundQueue {
  enqueue(record: OutboundRecord): Promise<unknown>;
  /** Remove a not-yet-started job; resolves whether one was removed. */
  cancel(id: string): Promise<unknown>;
}

/** What handling one delivery job decided; the queue adapter turns it into BullMQ's own moves. */
export type DeliveryOutcome =
  | { next: 'done'; state: OutboundState | 'missing' }
  /** Move the job to delayed until `at` (a retry, or a deferral for a busy partner). */
  | { next: 'delay'; at: number; why: 'retry' | 'partner_busy' }
  | { next: 'failed'; reason: string };
