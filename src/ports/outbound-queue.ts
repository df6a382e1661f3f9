/**
 * What the submission side needs from delivery: hand a stored record over, or take it back. The
 * delivery engineer's DeliveryQueue (src/delivery) satisfies this structurally; keeping the port this
 * small means submission, outbox recovery and follow-ups each enqueue with one call.
 *
 * `enqueue` must be idempotent per record id (BullMQ jobId = record id): outbox recovery may hand the
 * same record over twice when a process died between enqueue and the `queued` transition.
 */
import type { OutboundRecord } from './store/index.js';

export interface OutboundQueue {
  enqueue(record: OutboundRecord): Promise<unknown>;
  /** Remove a not-yet-started job; resolves whether one was removed. */
  cancel(id: string): Promise<unknown>;
}
