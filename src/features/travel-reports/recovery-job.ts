/**
 * Travel reports whose notifications were never submitted. Creating a report stores it (with the
 * notification id of each destination) and then submits the notifications; a request that dies
 * between the two leaves a report that says "notified" while nothing was sent. This job finds active
 * reports whose last version is old enough that the request that stored it is over (updatedAt, not
 * createdAt: a change adds destinations too), and submits each missing notification — built from the
 * stored report as the request built it, under the id the report holds and the idempotency key and
 * submitter of the request that stored it: the creation's (`tr:<report>`, enteredBy) or, for a
 * destination a change added, that change's (`tr:<report>:v<version>`, its actor), read from the
 * change's audit event. The outbound store refuses a second record with the same id, so the request
 * and the job (or two runs of the job) can never send one notification twice.
 *
 * Scope: the notifications of a report's creation and of destinations a change added. The amends and
 * cancels of a change or a cancellation are not rebuilt here.
 *
 * One report never stops the pass: an error on a report is logged (ids and the error code only),
 * counted in `tnx_travel_report_recovery_total{outcome=<code>}`, and the pass goes on with the next
 * report; the failed one is tried again by the next pass. A report whose registrant is no longer
 * active is not an error but a decision: the job sends what a request made now would send, and the
 * service refuses to notify for a registration that is not active (toNotifications: `conflict`). Its
 * missing notifications are withheld, and the refusal is audited once (`input.refused`, actor
 * `system`, the report id, outcome `conflict`) instead of being retried every pass.
 *
 * Scheduling: a scheduled job (src/ports/jobs.ts), like the registry retention job.
 */
import { isTnxError } from '../../core/errors.js';
import type { StateCode } from '../../domain/protocol/types.js';
import { registrantRead } from '../../domain/registry/registry-events.js';
import { openRegistrant } from '../../domain/registry/sealed-registrant.js';
import { toNotifications } from '../../domain/travel-reports/to-notifications.js';
import type { ScheduledJobs } from '../../ports/jobs.js';
import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { TravelReportRecord } from '../../ports/store/index.js';
import type { NationalDeps } from '../registry/deps.js';
import { openReport } from './report-crypto.js';
import { changeKey, reportKey, submitAll } from './travel-report-service.js';

export interface RecoveryResult {
  /** Reports looked at. */
  checked: number;
  /** Notification ids submitted by this pass. */
  submitted: string[];
  /** Reports whose missing notifications this pass withheld (registrant no longer active), first time only. */
  withheld: string[];
  /** Reports this pass could not recover (an error), left for the next pass. */
  failed: string[];
}

const BATCH = 500;

async function missingDestinations(deps: NationalDeps, rec: TravelReportRecord): Promise<StateCode[]> {
  const missing: StateCode[] = [];
  for (const d of rec.destinations) {
    const id = rec.notificationIds[d];
    if (id && !(await deps.ctx.store.outbound.get(id))) missing.push(d);
  }
  return missing;
}

/**
 * The registration is no longer active: what a request made now would be refused, so nothing is sent.
 * Audited once per report (an earlier pass's event is found by the report id); true when written now.
 */
async function withhold(
  deps: NationalDeps,
  rec: TravelReportRecord,
  sealed: SealedRegistrant,
  missing: StateCode[],
): Promise<boolean> {
  const { ctx } = deps;
  const earlier = await ctx.store.audit.query({ messageId: rec.id, action: WITHHELD_ACTION }, { limit: 1 });
  if (earlier.items.some((e) => e.actor === 'system')) return false;
  await ctx.events.publish({
    action: WITHHELD_ACTION,
    actor: 'system',
    at: ctx.clock.now(),
    messageId: rec.id,
    outcome: 'conflict',
    detail: {
      entity: 'travel_report',
      job: RECOVERY_SCHEDULER_ID,
      registrantId: rec.registrantId,
      registrantStatus: sealed.status,
      withheld: [...missing],
    },
  });
  return true;
}

const WITHHELD_ACTION = 'input.refused';

async function checkOne(deps: NationalDeps, rec: TravelReportRecord, result: RecoveryResult): Promise<void> {
  const { ctx } = deps;
  const missing = await missingDestinations(deps, rec);
  if (missing.length === 0) return;
  const sealed = await ctx.store.registry.get(rec.registrantId);
  // Erased (or shredded) since: nothing left to send, and nothing that may be sent.
  if (!sealed?.dek || rec.sealedReport === null) return;
  if (sealed.status !== 'active') {
    if (await withhold(deps, rec, sealed, missing)) {
      ctx.metrics.travelReportRecovery.inc({ outcome: 'withheld' });
      ctx.log.warn(
        { travelReport: rec.id, registrant: rec.registrantId, registrantStatus: sealed.status, withheld: missing },
        'travel report not recovered: its registration is no longer active, so its missing notifications are withheld',
      );
      result.withheld.push(rec.id);
    }
    return;
  }
  const ids = await recoverOne(deps, rec, sealed, missing);
  if (ids.length > 0) {
    ctx.metrics.travelReportRecovery.inc({ outcome: 'recovered' });
    ctx.log.warn(
      { travelReport: rec.id, notifications: ids },
      'travel report recovered: notifications its request never submitted are submitted now',
    );
  }
  result.submitted.push(...ids);
}

interface Origin {
  /** Idempotency-key prefix and submitter of the request that stored the notification's id. */
  key: string;
  submitter: string;
}

/**
 * Which request stored each missing destination's notification id: the newest change whose audit
 * event lists it as added, else the creation. (An event lost on a MongoDB crash falls back to the
 * creation; the request is long over by then, so at worst a retry of it would answer 409.)
 */
async function originsOf(
  deps: NationalDeps,
  rec: TravelReportRecord,
  missing: StateCode[],
): Promise<Map<StateCode, Origin>> {
  const origins = new Map<StateCode, Origin>();
  if (rec.version > 1) {
    const changes = await deps.ctx.store.audit.query(
      { messageId: rec.id, action: 'personal_data.altered' },
      { limit: CHANGES_READ },
    );
    for (const e of changes.items) {
      const { version, added } = (e.detail ?? {}) as { version?: unknown; added?: unknown };
      if (e.outcome !== 'amended' || typeof version !== 'number' || !Array.isArray(added)) continue;
      for (const d of added as StateCode[]) {
        if (!origins.has(d)) origins.set(d, { key: changeKey(rec.id, version), submitter: e.actor });
      }
    }
  }
  for (const d of missing) if (!origins.has(d)) origins.set(d, { key: reportKey(rec.id), submitter: rec.enteredBy });
  return origins;
}

/** The newest change events of one report read to find who added a destination. */
const CHANGES_READ = 200;

async function recoverOne(
  deps: NationalDeps,
  rec: TravelReportRecord,
  sealed: SealedRegistrant,
  missing: StateCode[],
): Promise<string[]> {
  const { ctx, keys } = deps;
  if (rec.sealedReport === null) return [];
  const report = openReport(rec.sealedReport, rec.id, sealed, keys);
  const registrant = openRegistrant(sealed, keys);
  const { notifications } = toNotifications(report, registrant, ctx.config.state, ctx.config.pointOfContact, {
    rules: deps.rules,
    clock: ctx.clock,
    only: missing,
  });
  for (const n of notifications) n.notificationId = rec.notificationIds[n.destination]!;
  // Building them read the registrant again: recorded like the request's own read.
  await ctx.events.publish(
    registrantRead(rec.registrantId, 'system', 'travel notification (recovery)', ctx.clock.now(), [
      'person',
      'convictions',
    ]),
  );
  const origins = await originsOf(deps, rec, missing);
  const submitted: string[] = [];
  for (const n of notifications) {
    const origin = origins.get(n.destination)!;
    try {
      const [sent] = await submitAll(deps, { id: origin.submitter, role: 'registry' }, [n], origin.key);
      submitted.push(sent!.id);
    } catch (err) {
      // The request (or another run) stored it meanwhile with a body built at another instant.
      if (!isTnxError(err, 'idempotency_conflict')) throw err;
    }
  }
  return submitted;
}

/**
 * One pass over the active reports created since lookback and last stored at least minAge ago, in
 * pages of `batchSize` by (createdAt, id): reports created in one millisecond never hold a page up.
 */
export async function runTravelReportRecovery(
  deps: NationalDeps,
  options: { batchSize?: number } = {},
): Promise<RecoveryResult> {
  const { ctx } = deps;
  const cfg = ctx.config.travelReports;
  const now = ctx.clock.now();
  const to = now - cfg.recoveryMinAgeSeconds * 1000;
  const from = now - cfg.recoveryLookbackHours * 3_600_000;
  const result: RecoveryResult = { checked: 0, submitted: [], withheld: [], failed: [] };
  let after: { createdAt: number; id: string } | null = null;
  for (;;) {
    const batch = await ctx.store.travelReports.listActiveCreated(from, to, options.batchSize ?? BATCH, after);
    if (batch.length === 0) return result;
    for (const rec of batch) {
      after = { createdAt: rec.createdAt, id: rec.id };
      result.checked += 1;
      // Changed too recently: the change request may still be submitting what it added.
      if (rec.updatedAt >= to) continue;
      try {
        await checkOne(deps, rec, result);
      } catch (err) {
        // Ids and the code only: a message of an unknown error could quote personal data.
        const code = isTnxError(err) ? err.code : 'internal';
        ctx.metrics.travelReportRecovery.inc({ outcome: code });
        ctx.log.error(
          { travelReport: rec.id, registrant: rec.registrantId, code },
          'travel report recovery failed for this report; the next pass tries it again',
        );
        result.failed.push(rec.id);
      }
    }
  }
}

export interface RecoveryJob {
  readonly name: string;
  close(): Promise<void>;
}

export const RECOVERY_SCHEDULER_ID = 'travel-report-recovery';

export async function startTravelReportRecovery(
  deps: NationalDeps,
  jobs: ScheduledJobs,
  options: { name?: string; intervalMs?: number } = {},
): Promise<RecoveryJob> {
  const intervalMs = options.intervalMs ?? deps.ctx.config.travelReports.recoveryIntervalSeconds * 1000;
  const job = await jobs.schedule(options.name ?? RECOVERY_SCHEDULER_ID, intervalMs, async () => {
    const r = await runTravelReportRecovery(deps);
    return { checked: r.checked, submitted: r.submitted.length, withheld: r.withheld.length, failed: r.failed.length };
  });
  return { name: job.name, close: () => job.stop() };
}
