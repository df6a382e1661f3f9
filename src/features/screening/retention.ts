/**
 * Manifest retention (issue 6 §1; EU API rules: passenger data deleted within 24 h): the people of a
 * manifest are purged once `purgeAfter` (receivedAt + screening.retentionHours) has passed. What stays
 * is the screening result — flight, counts, and per candidate the passenger's position, registrant
 * id, score, features and the review — an audit and statistics record without any passenger's data.
 *
 * The job is a BullMQ job scheduler (one repeatable job per gateway prefix, whatever the number of
 * processes: the scheduler id is fixed, so upserting it again changes nothing). The purge itself is
 * idempotent — each manifest is purged by a conditional update, and only the call that purged it
 * writes the events, with the purge — so a job run twice, or by two workers, purges and audits each
 * manifest once.
 */
import { Queue, Worker } from 'bullmq';
import type { GatewayContext } from '../../ports/context.js';
import { bullConnection } from '../../adapters/queue-bullmq/delivery-queue.js';
import { manifestExpired } from './events.js';

export const RETENTION_QUEUE_NAME = 'tnx-manifest-retention';
const SCHEDULER_ID = 'manifest-retention';
const BATCH = 500;

/** Purge every manifest due at `now`; returns the ids purged by this call. */
export async function purgeDueManifests(
  ctx: Pick<GatewayContext, 'store' | 'clock'>,
  now = ctx.clock.now(),
): Promise<string[]> {
  const purged: string[] = [];
  for (;;) {
    const due = await ctx.store.manifests.listDue(now, BATCH);
    for (const id of due) {
      // Only the call that purged it writes the events, with the purge: another run got it first otherwise.
      if (!(await ctx.store.manifests.purge(id, now, (m) => manifestExpired(m, now)))) continue;
      purged.push(id);
    }
    if (due.length < BATCH) return purged;
  }
}

export interface RetentionJob {
  readonly queue: Queue;
  /** Run one pass now (start-up, tests) outside the schedule. */
  runOnce(): Promise<string[]>;
  close(): Promise<void>;
}

/** Schedule the purge every `screening.retentionIntervalSeconds` and run a worker for it. */
export async function startManifestRetention(
  ctx: GatewayContext,
  options: { queueName?: string } = {},
): Promise<RetentionJob> {
  const name = options.queueName ?? RETENTION_QUEUE_NAME;
  const prefix = ctx.config.redis.prefix;
  const queueConn = bullConnection(ctx.config.redis.url);
  const workerConn = bullConnection(ctx.config.redis.url);
  const queue = new Queue(name, { connection: queueConn, prefix });
  const worker = new Worker(name, async () => ({ purged: (await purgeDueManifests(ctx)).length }), {
    connection: workerConn,
    prefix,
    concurrency: 1,
  });
  worker.on('failed', (_job, err) => ctx.log.error({ err }, 'manifest retention pass failed'));
  try {
    await queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: ctx.config.screening.retentionIntervalSeconds * 1000 },
      {
        name: 'purge',
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  } catch (err) {
    await worker.close();
    await queue.close();
    queueConn.disconnect();
    workerConn.disconnect();
    throw err;
  }
  return {
    queue,
    runOnce: () => purgeDueManifests(ctx),
    async close() {
      await worker.close();
      await queue.close();
      queueConn.disconnect();
      workerConn.disconnect();
    },
  };
}
