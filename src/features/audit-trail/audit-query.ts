/**
 * GET /api/v1/audit: the filtered, cursor-paginated audit trail for compliance staff, as JSON or CSV.
 * The query itself is audited (`audit.queried`, with the filter — ids and codes only) before the
 * result is returned: who looked at the trail is part of the trail.
 */
import { isoTime } from '../../core/clock.js';
import type { GatewayContext } from '../../ports/context.js';
import type { Principal } from '../../core/principal.js';
import type { AuditEvent, AuditFilter } from '../../ports/store/index.js';
import { recordQuery } from './queried.js';

/** What the audit trail can be filtered by (GET /api/v1/audit, checked by its query schema). */
export interface AuditQuery {
  messageId?: string;
  partner?: string;
  action?: string;
  actor?: string;
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

export interface AuditItem {
  seq: number;
  id: string;
  at: string;
  action: string;
  actor: string;
  messageId: string | null;
  partner: string | null;
  outcome: string | null;
  detail: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

function toItem(e: AuditEvent): AuditItem {
  return {
    seq: e.seq,
    id: e.id,
    at: isoTime(e.at),
    action: e.action,
    actor: e.actor,
    messageId: e.messageId,
    partner: e.partner,
    outcome: e.outcome,
    detail: e.detail,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

export async function queryAudit(
  ctx: GatewayContext,
  principal: Principal,
  q: AuditQuery,
): Promise<{ items: AuditItem[]; next: string | null }> {
  const filter: AuditFilter = {};
  if (q.messageId) filter.messageId = q.messageId;
  if (q.partner) filter.partner = q.partner;
  if (q.action) filter.action = q.action;
  if (q.actor) filter.actor = q.actor;
  if (q.from !== undefined) filter.from = q.from;
  if (q.to !== undefined) filter.to = q.to;
  const page = await ctx.store.audit.query(filter, { limit: q.limit, cursor: q.cursor ?? null });
  await recordQuery(ctx, principal, { view: 'audit', filter: { ...filter }, count: page.items.length });
  return { items: page.items.map(toItem), next: page.next };
}

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'id',
  'at',
  'action',
  'actor',
  'messageId',
  'partner',
  'outcome',
  'detail',
  'prevHash',
  'hash',
] as const;

/**
 * RFC 4180 CSV. A cell that a spreadsheet would run as a formula (leading = + - @ tab CR) is prefixed
 * with an apostrophe (OWASP "CSV injection"): auditors open these files in spreadsheets.
 */
export function csvCell(v: unknown): string {
  let s =
    v === null || v === undefined
      ? ''
      : typeof v === 'object'
        ? JSON.stringify(v)
        : `${v as string | number | boolean | bigint}`;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsv(items: readonly AuditItem[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const it of items) lines.push(AUDIT_CSV_COLUMNS.map((c) => csvCell(it[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
