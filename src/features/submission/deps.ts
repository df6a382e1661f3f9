/** What the submission services are handed: the context and the queue port. */
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundQueue } from '../../ports/queue.js';

export interface SubmitDeps {
  ctx: GatewayContext;
  queue: OutboundQueue;
  /**
   * How long a submission waits for the queue before answering anyway (default 2000 ms). The record is
   * durable already; with Redis down, a client must not hang — the outbox recovery enqueues later.
   */
  enqueueTimeoutMs?: number;
}

export const DEFAULT_ENQUEUE_TIMEOUT_MS = 2_000;
