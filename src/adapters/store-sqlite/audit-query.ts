/**
 * The SQL of the filtered audit query (pure: a statement and its parameters, for audit-repo.ts to
 * run and for tests/store/sqlite.test.ts to EXPLAIN for every combination of filters).
 *
 * The statement names its index (INDEXED BY) — the one whose prefix is the most selective equality
 * filter followed by the sort key (audit-plan.ts). Naming it also makes a missing index an error at
 * prepare time instead of a silent full scan.
 */
import type { AuditEqualityField, AuditPlan } from '../store-common/audit-plan.js';
import type { AuditFilter } from '../../ports/store/index.js';

export const AUDIT_SELECT = `SELECT seq, id, at, action, actor, message_id AS messageId, partner, outcome, detail,
  prev_hash AS prevHash, hash FROM audit_events`;

const COLUMN: Record<AuditEqualityField, string> = {
  messageId: 'message_id',
  partner: 'partner',
  actor: 'actor',
  action: 'action',
};

/** (field, at, seq): newest first by event time, for every filtered query. Migration 30. */
const AT_INDEX: Record<AuditEqualityField, string> = {
  messageId: 'ix_audit_message_at',
  partner: 'ix_audit_partner_at',
  actor: 'ix_audit_actor_at',
  action: 'ix_audit_action_at',
};

export function auditQuerySql(
  filter: AuditFilter,
  plan: AuditPlan,
  limit: number,
): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit };
  for (const f of ['messageId', 'partner', 'action', 'actor'] as const) {
    if (filter[f] !== undefined) {
      where.push(`${COLUMN[f]} = @${f}`);
      params[f] = filter[f];
    }
  }
  if (filter.from !== undefined) {
    where.push('at >= @from');
    params.from = filter.from;
  }
  const after = plan.order === 'at' ? plan.before : null;
  if (after !== null) {
    // One upper bound on `at`, the tighter of `to` and the cursor, computed here: given both, SQLite
    // would bound the index scan by one of them, and if it took `to` every further page would re-read
    // the pages before it. (at is integer ms, so at < to ⇔ at <= to − 1.)
    where.push('at <= @upperAt', '(at, seq) < (@beforeAt, @beforeSeq)');
    params.upperAt = filter.to === undefined ? after.at : Math.min(after.at, filter.to - 1);
    params.beforeAt = after.at;
    params.beforeSeq = after.seq;
  } else if (filter.to !== undefined) {
    where.push('at < @to');
    params.to = filter.to;
  }
  let index: string | null;
  let order: string;
  if (plan.order === 'at') {
    index = plan.lead === null ? 'ix_audit_at' : AT_INDEX[plan.lead];
    order = 'at DESC, seq DESC';
  } else {
    // No filter at all: the table itself (rowid = seq) is the index, read from the end.
    index = null;
    order = 'seq DESC';
    if (plan.before !== null) {
      where.push('seq < @before');
      params.before = plan.before;
    }
  }
  const sql = `${AUDIT_SELECT}${index ? ` INDEXED BY ${index}` : ''}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT @limit`;
  return { sql, params };
}
