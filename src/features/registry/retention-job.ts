/**
 * The registry's retention job: ends and shreds records past their registration end plus
 * `registry.retentionDaysAfterEnd`, and flags records whose periodic review is overdue (CJEU C-118/22).
 * Both are audited (src/domain/registry/registry-events.ts `retentionEvent`); what remains after shredding is
 * a tombstone with the registry's own dates and status, so statistics survive without personal data.
 *
 * Scheduling: a scheduled job (src/ports/jobs.ts). Every process may call `startRetentionJob`: there
 * is one schedule however many processes run, one pass at a time, and a pass is idempotent (a
 * shredded or flagged record no longer qualifies), so a pass run twice changes nothing the second time.
 */
import type { GatewayContext } from '../../ports/context.js';
import { TnxError } from '../../core/errors.js';
import type { ScheduledJobs } from '../../ports/jobs.js';
import { retentionEvent } from '../../domain/registry/registry-events.js';
import {
  flagReview,
  planRetention,
  retentionCutoffs,
  retentionOutcome,
  type RetentionPolicy,
} from '../../domain/registry/retention.js';
import { shredRegistrant } from '../../domain/registry/sealed-registrant.js';

export interface RetentionResult {
  shredded: string[];
  flagged: string[];
}

const BATCH = 500;

/** One pass over every qualifying record, in batches. */
export async function runRetentionPass(ctx: GatewayContext, policy: RetentionPolicy): Promise<RetentionResult> {
  const result: RetentionResult = { shredded: [], flagged: [] };
  const seen = new Set<string>();
  for (;;) {
    const views = (await ctx.store.registry.retentionCandidates(retentionCutoffs(policy, ctx.clock), BATCH)).filter(
      (v) => !seen.has(v.id),
    );
    if (views.length === 0) return result;
    const plan = planRetention(views, policy, ctx.clock);
    for (const v of views) {
      seen.add(v.id);
      const sealed = await ctx.store.registry.get(v.id);
      if (!sealed || sealed.erasedAt !== null) continue;
      if (plan.shred.includes(v.id)) {
        // The erasure and its event are one write; followers (the screening index) are told after it.
        const shredded = [retentionEvent(retentionOutcome(v, 'shredded', ctx.clock))];
        if (!(await ctx.store.registry.erase(shredRegistrant(sealed, ctx.clock.now()), () => shredded))) continue;
        await ctx.events.announce(...shredded);
        await ctx.store.travelReports.shredForRegistrant(v.id);
        result.shredded.push(v.id);
      } else if (plan.flagReview.includes(v.id)) {
        const flagged = [retentionEvent(retentionOutcome(v, 'review_flagged', ctx.clock))];
        if (await ctx.store.registry.replace(flagReview(sealed, ctx.clock), sealed.updatedAt, () => flagged)) {
          await ctx.events.announce(...flagged);
          result.flagged.push(v.id);
        }
      }
    }
  }
}

export interface RetentionJob {
  readonly name: string;
  /** Called with the result of each completed pass run in this process (tests wait on it). */
  onPass(fn: (r: RetentionResult) => void): void;
  close(): Promise<void>;
}

export interface RetentionJobOptions {
  /** The scheduled job's name (tests isolate gateways sharing one Redis prefix). */
  name?: string;
  intervalMs?: number;
  policy?: RetentionPolicy;
  /** Called after every completed pass (registered before the schedule starts, so no pass is missed). */
  onPass?: (r: RetentionResult) => void;
}

/** The name of the registry retention job: one schedule per gateway, whatever the processes. */
export const RETENTION_SCHEDULER_ID = 'registry-retention';

export async function startRetentionJob(
  ctx: GatewayContext,
  jobs: ScheduledJobs,
  options: RetentionJobOptions = {},
): Promise<RetentionJob> {
  const reg = ctx.config.registry;
  if (!reg)
    throw new TnxError('config_invalid', 'config registry: required for the retention job', {
      pointer: 'config/registry',
    });
  const policy = options.policy ?? { retentionDaysAfterEnd: reg.retentionDaysAfterEnd };
  const intervalMs = options.intervalMs ?? reg.retentionScanIntervalSeconds * 1000;
  const listeners: ((r: RetentionResult) => void)[] = options.onPass ? [options.onPass] : [];
  const job = await jobs.schedule(options.name ?? RETENTION_SCHEDULER_ID, intervalMs, async () => {
    const r = await runRetentionPass(ctx, policy);
    ctx.log.info({ shredded: r.shredded.length, flagged: r.flagged.length }, 'registry retention pass');
    for (const fn of listeners) fn(r);
    return { shredded: r.shredded.length, flagged: r.flagged.length };
  });
  return {
    name: job.name,
    onPass: (fn) => void listeners.push(fn),
    close: () => job.stop(),
  };
}
