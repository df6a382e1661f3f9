/**
 * Manifest retention (EU API rules: passenger data deleted within 24 h): the people of a
 * manifest are purged once `purgeAfter` (receivedAt + screening.retentionHours) has passed. What stays
 * is the screening result — flight, counts, and per candidate the passenger's position, registrant
 * id, score, features and the review — an audit and statistics record without any passenger's data.
 *
 * The job is a scheduled job (src/ports/jobs.ts: one schedule per gateway, whatever the number of
 * processes, one run at a time). The purge itself is idempotent — each manifest is purged by a
 * conditional update, and only the call that purged it writes the events, with the purge — so a job run twice, or
 * by two workers, purges and audits each manifest once.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { ScheduledJobs } from '../../ports/jobs.js';
import { manifestExpired } from './events.js';

/** The name of the manifest retention job. */
export const RETENTION_JOB_NAME = 'manifest-retention';
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
  readonly name: string;
  /** Run one pass now (start-up, tests) outside the schedule. */
  runOnce(): Promise<string[]>;
  close(): Promise<void>;
}

/** Schedule the purge every `screening.retentionIntervalSeconds`. */
export async function startManifestRetention(
  ctx: GatewayContext,
  jobs: ScheduledJobs,
  options: { name?: string } = {},
): Promise<RetentionJob> {
  const job = await jobs.schedule(
    options.name ?? RETENTION_JOB_NAME,
    ctx.config.screening.retentionIntervalSeconds * 1000,
    async () => ({ purged: (await purgeDueManifests(ctx)).length }),
  );
  return {
    name: job.name,
    runOnce: () => purgeDueManifests(ctx),
    close: () => job.stop(),
  };
}
