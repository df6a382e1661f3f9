/** What the submission services are handed: the context and the queue port. */
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundQueue } from '../../ports/queue.js';

export interface SubmitDeps {
  ctx: GatewayContext;
  queue: OutboundQueue;
  /** Overrides delivery.enqueueTimeoutMs (how long a submission waits for the queue before answering anyway). */
  enqueueTimeoutMs?: number;
}
