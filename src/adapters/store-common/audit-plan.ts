/**
 * How the filtered audit query is answered, decided once for both adapters (pure, no I/O).
 *
 * Ordering rule (the port's contract, AuditRepo.query):
 *   - the whole trail, no filter at all → newest first by chain position: `seq DESC`, seq cursor
 *     ["s", seq] (the table itself, read from the end);
 *   - any filter (an equality and/or a time range) → newest first by event time: `at DESC, seq DESC`,
 *     cursor ["a", at, seq]. Ordering a time range by seq would make the store read and sort EVERY
 *     event in the range for one page (7 days of a million-event trail: 230,000 rows, p99 ≈ 1 s —
 *     BENCHMARKS.md); ordered by (at, seq) the first page is the first rows of one index, read
 *     backwards. Equality filters without a time range use the same ordering, so one index per field
 *     serves both: a second, (field, seq) index per field cost every appended event four more index
 *     writes, 22 % of the sender's store CPU (migration 40, BENCHMARKS.md 2026-11-28). Event time is
 *     chain order up to the clock skew between the gateway's processes.
 * A cursor carries its ordering; a cursor of the other ordering is refused (invalid_request), never
 * reinterpreted, so a client that changes its filter between pages gets an error, not a gap.
 *
 * Index choice: every equality filter has one composite index (field, at, seq), so ANY combination of
 * filters has an index whose prefix is one equality followed by the sort key — no sort step, no full
 * scan. With several equality filters the adapter names the index of the most
 * selective one (`lead`) instead of leaving it to the planner's guess, which without statistics treats
 * all equalities alike and may walk the (large) action index to find one message.
 */
import type { AuditEvent, AuditFilter } from '../../ports/store/index.js';
import { decodeAtSeqCursor, decodeSeqCursor, encodeAtSeqCursor, encodeSeqCursor, type AtSeqKey } from './paging.js';

export type AuditEqualityField = 'messageId' | 'partner' | 'actor' | 'action';

/**
 * Most selective first: a message id names one message (a handful of events); a partner is one of
 * the partner states (a fraction of message events); an actor may be "system", which writes most
 * events; an action such as delivery.attempt recurs for every message.
 */
export const AUDIT_INDEX_PRIORITY: readonly AuditEqualityField[] = ['messageId', 'partner', 'actor', 'action'];

export type AuditPlan =
  | { order: 'seq'; lead: null; before: number | null }
  | { order: 'at'; lead: AuditEqualityField | null; before: AtSeqKey | null };

export function isTimeRanged(filter: AuditFilter): boolean {
  return filter.from !== undefined || filter.to !== undefined;
}

export function planAuditQuery(filter: AuditFilter, cursor: string | null | undefined): AuditPlan {
  const lead = AUDIT_INDEX_PRIORITY.find((f) => filter[f] !== undefined) ?? null;
  return lead === null && !isTimeRanged(filter)
    ? { order: 'seq', lead, before: decodeSeqCursor(cursor) }
    : { order: 'at', lead, before: decodeAtSeqCursor(cursor) };
}

/** The cursor that continues after `last` in the plan's ordering. */
export function auditCursor(plan: AuditPlan, last: AuditEvent): string {
  return plan.order === 'at' ? encodeAtSeqCursor({ at: last.at, seq: last.seq }) : encodeSeqCursor(last.seq);
}
