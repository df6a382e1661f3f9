/**
 * The registry's retention job (issue 5 §1): ends and shreds records past their registration end plus
 * `registry.retentionDaysAfterEnd`, and flags records whose periodic review is overdue (CJEU C-118/22).
 * Both are audited (src/domain/registry/registry-events.ts `retentionEvent`); what remains after shredding is
 * a tombstone with the registry's own dates and status, so statistics survive without personal data.
 *
 * Scheduling: a BullMQ job scheduler (repeatable job) in the gateway's Redis prefix. Every process
 * may call `startRetentionJob`: the scheduler is upserted under one id, so there is one schedule
 * however many processes run, and a pass is idempotent (a shredded or flagged record no longer
 * qualifies), so a pass run twice changes nothing the second time.
 */
import { Queue, Worker } from 'bullmq';
import type { GatewayContext } from '../../ports/context.js';
import { bullConnection } from '../../adapters/queue-bullmq/delivery-queue.js';
import type { RegistryKeys } from '../../domain/registry/registry-keys.js';
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
  readonly queueName: string;
  /** Resolves with the result of each completed pass (tests wait on it). */
  onPass(fn: (r: RetentionResult) => void): void;
  close(): Promise<void>;
}

export interface RetentionJobOptions {
  queueName?: string;
  intervalMs?: number;
  policy?: RetentionPolicy;
  /** Called after every completed pass (registered before the worker starts, so no pass is missed). */
  onPass?: (r: RetentionResult) => void;
}

export const RETENTION_SCHEDULER_ID = 'registry-retention';

export async function startRetentionJob(
  ctx: GatewayContext,
  _keys: RegistryKeys | null,
  options: RetentionJobOptions = {},
): Promise<RetentionJob> {
  const reg = ctx.config.registry;
  const policy = options.policy ?? { retentionDaysAfterEnd: reg?.retentionDaysAfterEnd ?? 365 };
  const intervalMs = options.intervalMs ?? (reg?.retentionScanIntervalSeconds ?? 3600) * 1000;
  const queueName = options.queueName ?? 'tnx-registry-retention';
  const { url, prefix } = ctx.config.redis;
  const queueConn = bullConnection(url);
  const workerConn = bullConnection(url);
  const queue = new Queue(queueName, { connection: queueConn, prefix });
  const listeners: ((r: RetentionResult) => void)[] = options.onPass ? [options.onPass] : [];
  const worker = new Worker(
    queueName,
    async () => {
      const r = await runRetentionPass(ctx, policy);
      ctx.log.info({ shredded: r.shredded.length, flagged: r.flagged.length }, 'registry retention pass');
      for (const fn of listeners) fn(r);
      return { shredded: r.shredded.length, flagged: r.flagged.length };
    },
    { connection: workerConn, prefix, concurrency: 1 },
  );
  worker.on('error', (err) => ctx.log.warn({ err }, 'retention worker error'));
  await queue.upsertJobScheduler(
    RETENTION_SCHEDULER_ID,
    { every: intervalMs },
    { name: 'retention', opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
  return {
    queueName,
    onPass: (fn) => void listeners.push(fn),
    async close() {
      await worker.close();
      await queue.close();
      queueConn.disconnect();
      workerConn.disconnect();
    },
  };
}
