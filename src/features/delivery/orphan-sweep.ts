/**
 * The orphan sweep: a record that says a delivery job exists (`queued`, `retrying`, `delivering`) but
 * whose queue job is gone — Redis restarted without persistence, was flushed, or failed over to a
 * replica that had not caught up — would wait forever. The outbox recovery (./outbox.ts) cannot see it:
 * it only looks at `accepted`. The sweep re-enqueues it; jobId = record id keeps this idempotent, so
 * two sweepers in two processes, or a sweep racing the submission path, still produce one job.
 *
 * A job that exists but finished (completed / failed in BullMQ) while the record is still live is
 * stale too (BullMQ gave up after its own attempts on an unexpected error): it is removed and
 * re-added. The record is read again first, so a delivery that finished between our two reads is
 * left alone. Active jobs are never touched: a dead worker's active job comes back through BullMQ's
 * stalled-job check.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { DeliveryJobs } from '../../ports/queue.js';
import type { OutboundRecord, OutboundState } from '../../ports/store/index.js';
import { outboundEvent } from '../outbound-events.js';
import { startPeriodic, type PeriodicRun } from '../../core/periodic.js';

/** States in which the record promises that a job exists. */
export const JOB_BACKED: readonly OutboundState[] = ['queued', 'retrying', 'delivering'];

export interface SweepOptions {
  /**
   * Only records created at least this long ago (ms). Default delivery.orphanSweepMinAgeMs: a
   * just-submitted record is left to its submission path. 0 in tests and at start-up is safe too: `queued` is only written after
   * the job was added, so a job-backed record without a job is never a transient state.
   */
  minAgeMs?: number;
  /** Records examined per store page and per Redis round. Default 200. */
  batch?: number;
  /** Bound on records examined in one pass. Default 100 000. */
  maxPerPass?: number;
}

export interface SweepResult {
  examined: number;
  requeued: number;
}

/** One pass. Never throws for one record's trouble; a store or Redis failure ends the pass (logged by the caller). */
export async function sweepOrphans(
  ctx: GatewayContext,
  queue: DeliveryJobs,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const batch = options.batch ?? 200;
  const maxPerPass = options.maxPerPass ?? 100_000;
  const to = ctx.clock.now() - (options.minAgeMs ?? ctx.config.delivery.orphanSweepMinAgeMs) + 1; // `to` is exclusive
  let cursor: string | null = null;
  let examined = 0;
  let requeued = 0;
  do {
    const page = await ctx.store.outbound.list({ state: [...JOB_BACKED], to }, { limit: batch, cursor });
    examined += page.items.length;
    const verdicts = await Promise.all(page.items.map((rec) => orphanReason(queue, rec)));
    for (const [i, rec] of page.items.entries()) {
      const reason = verdicts[i];
      if (reason && (await requeue(ctx, queue, rec, reason))) requeued += 1;
    }
    cursor = page.next;
  } while (cursor !== null && examined < maxPerPass);
  if (requeued > 0)
    ctx.log.warn({ requeued, examined }, 'orphan sweep re-enqueued records whose delivery job was gone');
  return { examined, requeued };
}

/** One queue round trip per record. */
async function orphanReason(queue: DeliveryJobs, rec: OutboundRecord): Promise<'job_missing' | 'job_finished' | null> {
  const presence = await queue.presence(rec.id);
  if (presence === 'missing') return 'job_missing';
  return presence === 'finished' ? 'job_finished' : null;
}

async function requeue(
  ctx: GatewayContext,
  queue: DeliveryJobs,
  seen: OutboundRecord,
  reason: 'job_missing' | 'job_finished',
): Promise<boolean> {
  const rec = await ctx.store.outbound.get(seen.id);
  if (!rec || !JOB_BACKED.includes(rec.state)) return false; // finished meanwhile
  if ((await queue.presence(rec.id)) === 'live') return false; // someone re-added it meanwhile
  // A finished job (or the remains of one) still holds the id, and enqueue would be a no-op: drop it first.
  try {
    await queue.discard(rec.id);
  } catch (err) {
    ctx.log.warn({ messageId: rec.id, err }, 'orphan sweep could not remove a stale job');
    return false;
  }
  await queue.enqueue(rec);
  await ctx.events.publish(outboundEvent('notification.queued', rec, ctx.clock.now(), { requeued: reason }));
  return true;
}

/** Start-up pass plus a periodic one (src/core/periodic.ts); `stop()` waits for a pass in progress. */
export function startOrphanSweep(
  ctx: GatewayContext,
  queue: DeliveryJobs,
  options: SweepOptions & { intervalMs?: number; firstMinAgeMs?: number } = {},
): PeriodicRun<SweepResult> {
  const minAge = (first: boolean): number =>
    first ? (options.firstMinAgeMs ?? 0) : (options.minAgeMs ?? ctx.config.delivery.orphanSweepMinAgeMs);
  return startPeriodic((first) => sweepOrphans(ctx, queue, { ...options, minAgeMs: minAge(first) }), {
    intervalMs: options.intervalMs ?? ctx.config.delivery.orphanSweepIntervalMs,
    fallback: { examined: 0, requeued: 0 },
    onError: (err) => ctx.log.error({ err }, 'orphan sweep pass failed'),
  });
}
