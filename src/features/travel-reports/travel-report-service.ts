/**
 * Travel reports entered by registry staff: create, change, cancel. Creating a report
 * builds one TravelNotification per destination (src/domain/travel-reports/to-notifications.ts) and submits
 * each through the gateway's submission service, exactly as a national system's POST would — so each is
 * stored, audited, queued and tracked on its own. A change becomes TravelUpdate amends (and new
 * notifications for added destinations, cancels for dropped ones); a cancellation becomes cancels,
 * which stop deliveries not yet made (src/features/submission/cancel.ts).
 *
 * Each notification is submitted with its id fixed in advance and an idempotency key derived from the
 * report, so a retried request (or a retry after a crash between two destinations) resubmits the same
 * messages and the gateway answers with the first result instead of sending twice.
 */
import { uuid7 } from '../../core/uuid7.js';
import { TnxError } from '../../core/errors.js';
import { submitMessage, type SubmitResult } from '../submission/submit.js';
import type { Principal } from '../../core/principal.js';
import type { StateCode, TravelNotification, TravelUpdate } from '../../domain/protocol/types.js';
import { registrantRead, requirePurpose, travelReportRecorded } from '../../domain/registry/registry-events.js';
import { openRegistrant, type SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { AuditWith, TravelReportRecord } from '../../ports/store/index.js';
import { assessDeadline } from '../../domain/travel-reports/deadline.js';
import { toNotifications } from '../../domain/travel-reports/to-notifications.js';
import { toUpdates, type UpdatePlan } from '../../domain/travel-reports/to-updates.js';
import { validateTravelReport, type TravelReport } from '../../domain/travel-reports/travel-report.js';
import { tripKey } from '../../domain/travel-reports/trip-key.js';
import { isoOf, type NationalDeps } from '../registry/deps.js';
import { openReport, sealReport } from './report-crypto.js';
import { recordSecondSource } from './trips.js';
import { crashPoint } from '../../core/crash-point.js';

export interface SentMessage {
  destination: StateCode;
  id: string;
  status: string;
  statusUrl: string;
}

export interface TravelReportView {
  id: string;
  registrantId: string;
  state: TravelReportRecord['state'];
  late: boolean;
  daysOfNotice: number;
  emergency: boolean;
  enteredBy: string;
  enteredAt: string;
  /** Messages submitted by this request (notifications, updates). */
  sent: SentMessage[];
  /** Destinations already notified for the same trip by another source: not notified again. */
  deduplicated: StateCode[];
  notificationIds: Record<StateCode, string>;
}

function view(rec: TravelReportRecord, sent: SentMessage[], deduplicated: StateCode[] = []): TravelReportView {
  return {
    id: rec.id,
    registrantId: rec.registrantId,
    state: rec.state,
    late: rec.late,
    daysOfNotice: rec.daysOfNotice,
    emergency: rec.emergency,
    enteredBy: rec.enteredBy,
    enteredAt: isoOf(rec.enteredAt),
    sent,
    deduplicated,
    notificationIds: rec.notificationIds,
  };
}

function asBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TnxError('invalid_travel_report', 'the body must be one object', { pointer: '' });
  }
  return body as Record<string, unknown>;
}

async function liveRegistrant(deps: NationalDeps, id: string): Promise<SealedRegistrant> {
  const s = await deps.ctx.store.registry.get(id);
  if (!s) throw new TnxError('not_found', 'no such registrant');
  if (!s.dek) throw new TnxError('registrant_erased', 'the registrant has been erased');
  return s;
}

/** The idempotency-key prefix of a report's first notifications: the request and the recovery job share it. */
export function reportKey(reportId: string): string {
  return `tr:${reportId}`;
}

/** The idempotency-key prefix of the messages of a change that stored `version`. */
export function changeKey(reportId: string, version: number): string {
  return `tr:${reportId}:v${version}`;
}

export async function submitAll(
  deps: NationalDeps,
  principal: Principal,
  messages: (TravelNotification | TravelUpdate)[],
  key: string,
): Promise<SentMessage[]> {
  const sent: SentMessage[] = [];
  for (const m of messages) {
    const isNote = m.type === 'TravelNotification';
    const id = isNote ? m.notificationId : m.updateId;
    const r: SubmitResult = await submitMessage(deps.submit, {
      principal,
      idempotencyKey: `${key}:${id}`.slice(0, 128),
      body: m,
      expect: m.type,
    });
    sent.push({ destination: m.destination, id: r.id, status: r.status, statusUrl: r.statusUrl });
  }
  return sent;
}

export async function createTravelReport(
  deps: NationalDeps,
  principal: Principal,
  registrantId: string,
  body: unknown,
): Promise<TravelReportView> {
  const { ctx, keys } = deps;
  const b = asBody(body);
  const now = ctx.clock.now();
  const sealed = await liveRegistrant(deps, registrantId);
  const report = validateTravelReport({
    id: uuid7(),
    registrantId,
    travel: b.travel,
    ...(b.emergency === undefined ? {} : { emergency: b.emergency }),
    reportedAt: b.reportedAt ?? isoOf(now),
    enteredBy: principal.id,
    enteredAt: isoOf(now),
  });
  const registrant = openRegistrant(sealed, keys);
  const key = tripKey(keys.indexKey, registrantId, report.travel.legs[0]!);

  // Already notified for this trip by another source (a manifest match)? Record the self-report on
  // those notifications and notify only destinations they did not cover.
  const known = await ctx.store.trips.get(key);
  const covered = new Map<StateCode, string>();
  if (known) {
    for (const id of known.notificationIds) {
      const rec = await ctx.store.outbound.get(id);
      if (rec) covered.set(rec.partner, id);
    }
    await recordSecondSource(ctx, key, 'self_report', principal.id);
  }
  const only = report.travel.destinationCountries.filter((d) => !covered.has(d));
  const { notifications, deadline } = toNotifications(report, registrant, ctx.config.state, ctx.config.pointOfContact, {
    rules: deps.rules,
    clock: ctx.clock,
    only,
  });
  const notificationIds: Record<StateCode, string> = Object.fromEntries(covered);
  for (const n of notifications) notificationIds[n.destination] = n.notificationId;
  if (!known) {
    const claim = await ctx.store.trips.claim({
      tripKey: key,
      registrantId,
      notificationIds: notifications.map((n) => n.notificationId),
      firstSource: 'self_report',
      alsoFoundBy: [],
      createdAt: now,
    });
    if (!claim.created)
      throw new TnxError('conflict', 'this trip was notified by another request meanwhile; submit again');
  }

  const rec: TravelReportRecord = {
    id: report.id,
    registrantId,
    state: 'active',
    sealedReport: sealReport(report, sealed, keys),
    destinations: [...report.travel.destinationCountries],
    notificationIds,
    departureAt: deadline.departureAt,
    late: deadline.late,
    daysOfNotice: deadline.daysOfNotice,
    emergency: deadline.emergency,
    tripKey: key,
    enteredBy: principal.id,
    enteredAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  // The registrant was read to build the notifications: that read is recorded with the report it
  // produced, in the same write, before any notification leaves.
  await ctx.store.travelReports.insert(rec, () => [
    registrantRead(registrantId, principal.id, 'travel notification', now, [
      'person.name',
      'person.dateOfBirth',
      'person.sex',
      'person.citizenships',
      'person.travelDocuments',
      'person.nameOriginalScript',
      'person.aliases',
      'convictions',
    ]),
    travelReportRecorded(rec.id, registrantId, deadline, principal.id, now, 'created'),
  ]);
  // A request dying here leaves a report without notifications: the recovery job
  // (./recovery-job.ts) submits them, under the same ids and idempotency keys as this request.
  crashPoint('travel-report-stored');
  const sent = await submitAll(deps, principal, notifications, reportKey(rec.id));
  return view(rec, sent, [...covered.keys()]);
}

async function loadReport(
  deps: NationalDeps,
  id: string,
): Promise<{ rec: TravelReportRecord; sealed: SealedRegistrant; report: TravelReport }> {
  const rec = await deps.ctx.store.travelReports.get(id);
  if (!rec) throw new TnxError('not_found', 'no such travel report');
  const sealed = await liveRegistrant(deps, rec.registrantId);
  return { rec, sealed, report: openReport(rec.sealedReport, rec.id, sealed, deps.keys) };
}

export async function readTravelReport(
  deps: NationalDeps,
  principal: Principal,
  id: string,
  purpose: unknown,
): Promise<TravelReport & { status: TravelReportView }> {
  const p = requirePurpose(purpose);
  const { rec, report } = await loadReport(deps, id);
  await deps.ctx.events.publish({
    action: 'personal_data.read',
    actor: principal.id,
    at: deps.ctx.clock.now(),
    messageId: id,
    outcome: 'read',
    detail: { entity: 'travel_report', registrantId: rec.registrantId, purpose: p },
  });
  return { ...report, status: view(rec, []) };
}

function reasonOf(b: Record<string, unknown>): string | undefined {
  if (b.reason === undefined) return undefined;
  if (typeof b.reason !== 'string' || b.reason.length === 0 || b.reason.length > 500) {
    throw new TnxError('invalid_travel_report', '/reason must be 1..500 characters', { pointer: '/reason' });
  }
  return b.reason;
}

/** The TravelUpdates from `before` to `after` (null: cancelled), carrying the body's reason if it gives one. */
function planUpdates(
  deps: NationalDeps,
  rec: TravelReportRecord,
  before: TravelReport,
  after: TravelReport | null,
  b: Record<string, unknown>,
): UpdatePlan {
  const reason = reasonOf(b);
  return toUpdates(before, after, {
    ownState: deps.ctx.config.state,
    rules: deps.rules,
    clock: deps.ctx.clock,
    notificationIds: rec.notificationIds,
    ...(reason ? { reason } : {}),
  });
}

/** Store the next version with its audit event; refused if another change stored one first. */
async function storeVersion(
  deps: NationalDeps,
  updated: TravelReportRecord,
  events: AuditWith<TravelReportRecord>,
): Promise<void> {
  if (!(await deps.ctx.store.travelReports.update(updated, events)))
    throw new TnxError('conflict', 'the travel report was changed meanwhile');
}

/** A change: amends for kept destinations, notifications for added ones, cancels for dropped ones. */
export async function changeTravelReport(
  deps: NationalDeps,
  principal: Principal,
  id: string,
  body: unknown,
): Promise<TravelReportView> {
  const { ctx, keys } = deps;
  const b = asBody(body);
  const { rec, sealed, report: old } = await loadReport(deps, id);
  if (rec.state === 'cancelled') throw new TnxError('conflict', 'the travel report is cancelled');
  const now = ctx.clock.now();
  const next = validateTravelReport({
    ...old,
    travel: b.travel,
    ...(b.emergency === undefined ? { emergency: undefined } : { emergency: b.emergency }),
  });
  if (next.emergency === undefined) delete next.emergency;
  const plan = planUpdates(deps, rec, old, next, b);
  const registrant = openRegistrant(sealed, keys);
  const added =
    plan.added.length > 0
      ? toNotifications(next, registrant, ctx.config.state, ctx.config.pointOfContact, {
          rules: deps.rules,
          clock: ctx.clock,
          only: plan.added,
        }).notifications
      : [];
  const deadline = assessDeadline(next, deps.rules, ctx.clock);

  const notificationIds: Record<StateCode, string> = {};
  for (const d of next.travel.destinationCountries) {
    const nid = rec.notificationIds[d] ?? added.find((n) => n.destination === d)?.notificationId;
    if (nid) notificationIds[d] = nid;
  }
  const key = tripKey(keys.indexKey, rec.registrantId, next.travel.legs[0]!);
  if (key !== rec.tripKey) {
    await ctx.store.trips.release(rec.tripKey);
    await ctx.store.trips.claim({
      tripKey: key,
      registrantId: rec.registrantId,
      notificationIds: Object.values(notificationIds),
      firstSource: 'self_report',
      alsoFoundBy: [],
      createdAt: now,
    });
  }
  const updated: TravelReportRecord = {
    ...rec,
    sealedReport: sealReport(next, sealed, keys),
    destinations: [...next.travel.destinationCountries],
    notificationIds,
    departureAt: deadline.departureAt,
    late: deadline.late,
    daysOfNotice: deadline.daysOfNotice,
    emergency: deadline.emergency,
    tripKey: key,
    updatedAt: now,
    version: rec.version + 1,
  };
  const amended = () => [
    travelReportRecorded(id, rec.registrantId, deadline, principal.id, now, 'amended', {
      version: updated.version,
      added: added.map((n) => n.destination),
    }),
  ];
  await storeVersion(deps, updated, amended);
  // As after a creation: a request dying here leaves added destinations without notifications, which
  // the recovery job submits under this key and this submitter (found in the event above).
  const sent = await submitAll(deps, principal, [...plan.updates, ...added], changeKey(id, updated.version));
  return view(updated, sent);
}

/** Cancel: a TravelUpdate cancel to every destination; undelivered notifications are stopped instead. */
export async function cancelTravelReport(
  deps: NationalDeps,
  principal: Principal,
  id: string,
  body: unknown,
): Promise<TravelReportView> {
  const { ctx } = deps;
  const b = body === undefined || body === null ? {} : asBody(body);
  const { rec, report } = await loadReport(deps, id);
  if (rec.state === 'cancelled') throw new TnxError('conflict', 'the travel report is already cancelled');
  const now = ctx.clock.now();
  const plan = planUpdates(deps, rec, report, null, b);
  const updated: TravelReportRecord = { ...rec, state: 'cancelled', updatedAt: now, version: rec.version + 1 };
  const deadline = assessDeadline(report, deps.rules, ctx.clock);
  const cancelled = () => [travelReportRecorded(id, rec.registrantId, deadline, principal.id, now, 'cancelled')];
  await storeVersion(deps, updated, cancelled);
  // The trip is off: a later sighting of the same flight (it happened after all) notifies afresh.
  await ctx.store.trips.release(rec.tripKey);
  const sent = await submitAll(deps, principal, plan.updates, `tr:${id}:cancel`);
  return view(updated, sent);
}
