import type { AuditCheckpoint, AuditEvent, AuditEventInput } from '../../domain/audit/event.js';
import type { StateCode } from '../../domain/protocol/types.js';
import type { Page } from './page.js';

export type { AuditCheckpoint, AuditEvent, AuditEventInput } from '../../domain/audit/event.js';

// ------------------------------------------------------------------------------------------------
// Audit trail (hash-chained; see src/features/audit-trail and docs/audit-trail.md)

export interface AuditFilter {
  messageId?: string;
  partner?: StateCode;
  action?: string;
  actor?: string;
  from?: number;
  to?: number;
}

/** The most events one `append` takes: a bound on one transaction's size, shared by every adapter. */
export const MAX_APPEND_BATCH = 10_000;

export interface AuditRepo {
  /**
   * Append events atomically in the given order, chaining each to the current head. Safe with several
   * appenders in several processes: the adapter serialises chain extension (see its docs). At most
   * MAX_APPEND_BATCH events per call.
   */
  append(events: AuditEventInput[]): Promise<AuditEvent[]>;
  head(): Promise<{ seq: number; hash: string } | null>;
  /** Events with seq in [fromSeq, toSeq], ascending, in batches (for verify/export). */
  range(fromSeq: number, toSeq: number, limit: number): Promise<AuditEvent[]>;
  /**
   * Filtered, newest first, keyset-paginated; `from`/`to` bound `at` (inclusive / exclusive).
   * Ordering rule: the whole trail (no filter at all) by chain position (seq desc); any filter (an
   * equality and/or a time range) by event time, (at desc, seq desc), so every query is answered from
   * an index without sorting (src/adapters/store-common/audit-plan.ts). The cursor is opaque and carries its ordering:
   * a cursor of the other ordering (a filter added or dropped between pages) is invalid_request.
   */
  query(filter: AuditFilter, page: { limit: number; cursor?: string | null }): Promise<Page<AuditEvent>>;
  count(): Promise<number>;
  saveCheckpoint(c: AuditCheckpoint): Promise<void>;
  listCheckpoints(): Promise<AuditCheckpoint[]>;
}

/**
 * The audit events of a change, written WITH the change (the `audit` argument of the state-changing
 * writes of every repository): given the record as stored, the events to append to the chain. They
 * are written only when the change happens (a transition that finds another state, an insert that
 * finds the idempotency key, jti, id or trip taken, a repeated attempt number, a second erasure or
 * purge: no events), and they pass the audit trail's own checks (src/domain/audit/check-event.ts).
 * Events without a state change (reads, queries, refusals) go through the EventBus instead.
 *
 * SQLite: the change and its events are ONE transaction — a crash leaves both or neither, and events
 * refused by the checks refuse the change. MongoDB: the events are appended right after the change,
 * in the same call (the adapter avoids multi-document transactions so a standalone server works, as
 * its audit chain does); a crash between the two loses those events (docs/audit-trail.md).
 */
export type AuditWith<R> = (record: R) => AuditEventInput[];
