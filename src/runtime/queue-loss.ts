/**
 * Redis restarted under us (a new INFO `run_id`): without persistence it came back empty, and every
 * record waiting for a retry would sit untouched until the periodic orphan sweep — minutes of silent
 * stall. Here the loss is an alert (error line with `alert: "queue_lost"`, tnx_alerts_total{kind}),
 * followed at once by a sweep of every job-backed record and an outbox pass.
 */
import type { GatewayContext } from '../ports/context.js';
import type { DeliveryQueue } from '../adapters/queue-bullmq/delivery-queue.js';
import { sweepOrphans } from '../features/delivery/orphan-sweep.js';
import { recoverOutbox } from '../features/submission/outbox.js';

export async function recoverLostQueue(
  ctx: GatewayContext,
  queue: DeliveryQueue,
  info: { previousRunId: string; runId: string },
): Promise<void> {
  const started = Date.now();
  ctx.metrics.alerts.inc({ kind: 'queue_lost' });
  ctx.log.error(
    { alert: 'queue_lost', previousRunId: info.previousRunId, runId: info.runId },
    'Redis restarted (new run_id): queued jobs may be lost; re-enqueueing live records now',
  );
  try {
    const swept = await sweepOrphans(ctx, queue, { minAgeMs: 0 });
    const handed = await recoverOutbox(ctx, queue);
    ctx.log.warn(
      { requeued: swept.requeued, examined: swept.examined, handed, tookMs: Date.now() - started },
      'queue loss recovered: live records re-enqueued',
    );
  } catch (err) {
    // The periodic sweep and outbox pass remain the safety net.
    ctx.log.error({ err }, 'queue loss recovery failed; the periodic orphan sweep will retry');
  }
}

/** /readyz for Redis: known down is `degraded` (submissions still answered), no persistence a warning. */
export async function redisReadiness(queue: DeliveryQueue): Promise<void | string> {
  if (!queue.available()) return 'degraded: queue unavailable';
  await queue.ping();
  const p = await queue.persistence();
  if (!p.aof && !p.rdb) return 'warning: Redis has neither AOF nor RDB persistence';
}
