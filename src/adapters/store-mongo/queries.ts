/**
 * Every MongoDB filter, sort and update of the store, as plain data built by pure functions. The
 * adapter only passes these to the driver, so their logic is tested here without a server by
 * executing them with mingo on fixture documents (tests/store/mongo-queries.test.ts).
 *
 * Values reach a filter only as operands of explicit operators ($eq, $in, $lt, …), never as a
 * whole sub-filter, so a caller-supplied string cannot turn into a query operator.
 */
import type {
  AuditEvent,
  AuditFilter,
  InboundFilter,
  OutboundFilter,
  OutboundPatch,
  OutboundState,
} from '../../ports/store/index.js';
import type { AuditEqualityField, AuditPlan } from '../store-common/audit-plan.js';
import type { AtSeqKey, TimeKey } from '../store-common/paging.js';

export type Filter = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;

/** States in which a departure can still be missed (the at-risk alert watches these). */
export const LIVE_STATES: readonly OutboundState[] = ['accepted', 'queued', 'delivering', 'retrying'];

export const NEWEST_FIRST: Sort = { createdAt: -1, _id: -1 };
export const INBOUND_NEWEST_FIRST: Sort = { receivedAt: -1, _id: -1 };
export const OLDEST_FIRST: Sort = { createdAt: 1, _id: 1 };
export const DEPARTURE_FIRST: Sort = { departureAt: 1, _id: 1 };
export const SEQ_ASC: Sort = { seq: 1 };
export const SEQ_DESC: Sort = { seq: -1 };
/** Audit query with a time range: newest first by event time, seq breaks ties (audit-plan.ts). */
export const AT_SEQ_DESC: Sort = { at: -1, seq: -1 };
export const CHECKPOINT_ORDER: Sort = { seq: 1, at: 1, _id: 1 };

/** Keyset condition "strictly after `after` in (time desc, _id desc) order". */
function afterTimeKey(field: string, after: TimeKey | null): Filter[] {
  if (!after) return [];
  return [{ $or: [{ [field]: { $lt: after.t } }, { [field]: { $eq: after.t }, _id: { $lt: after.id } }] }];
}

function range(field: string, from?: number, to?: number): Filter[] {
  const r: Record<string, number> = {};
  if (from !== undefined) r.$gte = from;
  if (to !== undefined) r.$lt = to;
  return Object.keys(r).length ? [{ [field]: r }] : [];
}

function and(parts: Filter[]): Filter {
  return parts.length === 0 ? {} : parts.length === 1 ? (parts[0] as Filter) : { $and: parts };
}

export function outboundListFilter(f: OutboundFilter, after: TimeKey | null): Filter {
  const parts: Filter[] = [];
  if (f.partner !== undefined) parts.push({ partner: { $eq: f.partner } });
  if (f.submittedBy !== undefined) parts.push({ submittedBy: { $eq: f.submittedBy } });
  if (f.messageType !== undefined) parts.push({ messageType: { $eq: f.messageType } });
  if (f.notificationId !== undefined) parts.push({ notificationId: { $eq: f.notificationId } });
  if (f.state !== undefined) parts.push({ state: { $in: Array.isArray(f.state) ? [...f.state] : [f.state] } });
  if (f.timeliness !== undefined) parts.push({ timeliness: { $eq: f.timeliness === 'pending' ? null : f.timeliness } });
  parts.push(...range('createdAt', f.from, f.to), ...afterTimeKey('createdAt', after));
  return and(parts);
}

export function acceptedFilter(olderThan: number): Filter {
  return { state: { $eq: 'accepted' }, createdAt: { $lt: olderThan } };
}

export function atRiskFilter(departureBefore: number): Filter {
  return {
    atRiskAlertedAt: { $eq: null },
    state: { $in: [...LIVE_STATES] },
    departureAt: { $ne: null, $lt: departureBefore },
  };
}

export function idempotencyFilter(submittedBy: string, key: string): Filter {
  return { submittedBy: { $eq: submittedBy }, idempotencyKey: { $eq: key } };
}

/** The conditional transition: matches only while the record is in one of `from`. */
export function transitionFilter(id: string, from: readonly OutboundState[]): Filter {
  return { _id: { $eq: id }, state: { $in: [...from] } };
}

export function versionFilter(id: string, version: number): Filter {
  return { _id: { $eq: id }, version: { $eq: version } };
}

/** $set of the patch (only the keys present), plus state when transitioning; bumps version. */
export function patchUpdate(patch: OutboundPatch, now: number, to?: OutboundState): Filter {
  const $set: Record<string, unknown> = { updatedAt: now };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) $set[k] = v;
  if (to !== undefined) $set.state = to;
  return { $set, $inc: { version: 1 } };
}

export function inboundListFilter(f: InboundFilter, after: TimeKey | null): Filter {
  const parts: Filter[] = [];
  if (f.iss !== undefined) parts.push({ iss: { $eq: f.iss } });
  if (f.messageType !== undefined) parts.push({ messageType: { $eq: f.messageType } });
  if (f.notificationId !== undefined) parts.push({ notificationId: { $eq: f.notificationId } });
  parts.push(...range('receivedAt', f.from, f.to), ...afterTimeKey('receivedAt', after));
  return and(parts);
}

export function jtiFilter(iss: string, jti: string): Filter {
  return { iss: { $eq: iss }, jti: { $eq: jti } };
}

/**
 * Filter of the audit query. `before` is the plan's cursor key: a seq (no filter, seq order) or
 * (at, seq) (any filter, (at, seq) order). The extra `at <= before.at` bound lets the index scan start
 * at the cursor instead of filtering its way there through the $or.
 */
export function auditQueryFilter(f: AuditFilter, before: number | AtSeqKey | null): Filter {
  const parts: Filter[] = [];
  if (f.messageId !== undefined) parts.push({ messageId: { $eq: f.messageId } });
  if (f.partner !== undefined) parts.push({ partner: { $eq: f.partner } });
  if (f.action !== undefined) parts.push({ action: { $eq: f.action } });
  if (f.actor !== undefined) parts.push({ actor: { $eq: f.actor } });
  parts.push(...range('at', f.from, f.to));
  if (typeof before === 'number') parts.push({ seq: { $lt: before } });
  else if (before !== null) {
    parts.push(
      { at: { $lte: before.at } },
      { $or: [{ at: { $lt: before.at } }, { at: { $eq: before.at }, seq: { $lt: before.seq } }] },
    );
  }
  return and(parts);
}

/** (field, at -1, seq -1) indexes: every filtered query (schemas.ts, audit-plan.ts). */
const AUDIT_AT_INDEX: Record<AuditEqualityField, string> = {
  messageId: 'ix_audit_message_at',
  partner: 'ix_audit_partner_at',
  actor: 'ix_audit_actor_at',
  action: 'ix_audit_action_at',
};

/**
 * The whole audit query: filter, sort and the index to use (audit-plan.ts: the most selective
 * equality filter followed by the sort key). The hint is explicit for the same reason as the SQLite
 * adapter's INDEXED BY: the planner's trial run may settle on a less selective index.
 */
export function auditQuery(f: AuditFilter, plan: AuditPlan): { filter: Filter; sort: Sort; hint: string } {
  if (plan.order === 'at') {
    return {
      filter: auditQueryFilter(f, plan.before),
      sort: AT_SEQ_DESC,
      hint: plan.lead === null ? 'ix_audit_at_seq' : AUDIT_AT_INDEX[plan.lead],
    };
  }
  return { filter: auditQueryFilter(f, plan.before), sort: SEQ_DESC, hint: 'ux_audit_seq' }; // no filter: the whole chain
}

export function auditRangeFilter(fromSeq: number, toSeq: number): Filter {
  return { seq: { $gte: fromSeq, $lte: toSeq } };
}

// ---- audit chain head: compare-and-set -----------------------------------------------------------

export const HEAD_ID = 'audit';

/** Matches the head only if nobody moved it since we read it and no batch is waiting to be written. */
export function headCasFilter(head: { seq: number; hash: string }): Filter {
  return { _id: { $eq: HEAD_ID }, seq: { $eq: head.seq }, hash: { $eq: head.hash }, pending: { $eq: null } };
}

/** Install the new head together with the batch it covers (one document, so one atomic write). */
export function headCasUpdate(events: AuditEventDoc[]): Filter {
  const last = events[events.length - 1] as AuditEventDoc;
  return { $set: { seq: last.seq, hash: last.hash, pending: events } };
}

/** Clear `pending` only if it is still the batch we materialised (a later batch is left alone). */
export function clearPendingFilter(firstSeq: number): Filter {
  return { _id: { $eq: HEAD_ID }, 'pending.0.seq': { $eq: firstSeq } };
}

export const CLEAR_PENDING: Filter = { $set: { pending: null } };

export interface AuditEventDoc extends Omit<AuditEvent, 'id' | 'detail'> {
  _id: string;
  detail: string | null;
}

// ---- leases --------------------------------------------------------------------------------------

/**
 * Upsert filter for acquiring a lease: matches when the lease is ours or has expired. If it is held by
 * someone else and live, nothing matches, the upsert tries to insert `_id: name` and the unique `_id`
 * makes it fail (E11000) — the adapter answers false.
 */
export function leaseAcquireFilter(name: string, holder: string, now: number): Filter {
  return { _id: { $eq: name }, $or: [{ holder: { $eq: holder } }, { expiresAt: { $lte: now } }] };
}

export function leaseAcquireUpdate(holder: string, expiresAt: number): Filter {
  return { $set: { holder, expiresAt } };
}

export function leaseReleaseFilter(name: string, holder: string): Filter {
  return { _id: { $eq: name }, holder: { $eq: holder } };
}
