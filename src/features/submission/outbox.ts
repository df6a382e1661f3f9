/**
 * Outbox recovery: every record still `accepted` (stored, answered 202, but not handed to the queue —
 * the process died, or Redis was down) is enqueued again. Run once at start-up and then periodically.
 * Safe with several processes: enqueue is idempotent per record id and the `queued` transition is
 * conditional, so two recoverers racing do one delivery.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundQueue } from '../../ports/queue.js';
import { handOver } from './submit.js';
import { startPeriodic, type PeriodicRun } from '../../core/periodic.js';

export interface RecoverOptions {
  /** Only records accepted at least this long ago (ms): younger ones are probably mid-submission. Default 0. */
  minAgeMs?: number;
  batch?: number;
}

/** One pass; returns how many records were handed over. */
export async function recoverOutbox(
  ctx: GatewayContext,
  queue: OutboundQueue,
  options: RecoverOptions = {},
): Promise<number> {
  const batch = options.batch ?? 100;
  let handed = 0;
  // Bounded: a pass never loops forever if enqueueing keeps failing.
  for (let round = 0; round < 1000; round += 1) {
    const olderThan = ctx.clock.now() - (options.minAgeMs ?? 0) + 1; // listAccepted is exclusive
    const due = await ctx.store.outbound.listAccepted(olderThan, batch);
    if (due.length === 0) break;
    let progressed = 0;
    for (const rec of due) {
      const after = await handOver({ ctx, queue }, rec);
      if (after.state !== 'accepted') progressed += 1;
    }
    handed += progressed;
    if (progressed === 0 || due.length < batch) break;
  }
  if (handed > 0) ctx.log.info({ handed }, 'outbox recovery handed records to the queue');
  return handed;
}

/** Start-up pass plus a periodic one (src/core/periodic.ts); returns a stop function. */
export function startOutboxRecovery(
  ctx: GatewayContext,
  queue: OutboundQueue,
  options: RecoverOptions & { intervalMs?: number } = {},
): PeriodicRun<number> {
  return startPeriodic(
    (first) => recoverOutbox(ctx, queue, { ...options, minAgeMs: first ? 0 : (options.minAgeMs ?? 5000) }),
    {
      intervalMs: options.intervalMs ?? ctx.config.delivery.outboxIntervalMs,
      fallback: 0,
      onError: (err) => ctx.log.error({ err }, 'outbox recovery pass failed'),
    },
  );
}
