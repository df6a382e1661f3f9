/**
 * GET /api/v1/audit: the filtered, cursor-paginated audit trail for compliance staff, as JSON or CSV.
 * The query itself is audited (`audit.queried`, with the filter — ids and codes only) before the
 * result is returned: who looked at the trail is part of the trail.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { Principal } from '../../core/principal.js';
import type { AuditEvent, AuditFilter } from '../../ports/store/index.js';
import { CURSOR, ID, limitParam, patternParam, readQuery, STATE_CODE, timeParam } from '../query-params.js';

export const AUDIT_QUERY = ['messageId', 'partner', 'action', 'actor', 'from', 'to', 'limit', 'cursor'] as const;

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
    at: new Date(e.at).toISOString(),
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
  query: unknown,
): Promise<{ items: AuditItem[]; next: string | null }> {
  const q = readQuery(query, AUDIT_QUERY);
  const filter: AuditFilter = {};
  const messageId = patternParam(q.messageId, 'messageId', ID, 'an id');
  const partner = patternParam(q.partner, 'partner', STATE_CODE, 'an ISO 3166-1 alpha-3 code');
  const action = patternParam(
    q.action,
    'action',
    /^[a-z_]{1,40}\.[a-z_]{1,40}$/,
    'an action name like notification.delivered',
  );
  const actor = patternParam(q.actor, 'actor', /^[A-Za-z0-9._:@-]{1,128}$/, 'a token id, "system" or a state code');
  const from = timeParam(q.from, 'from');
  const to = timeParam(q.to, 'to');
  if (messageId) filter.messageId = messageId;
  if (partner) filter.partner = partner;
  if (action) filter.action = action;
  if (actor) filter.actor = actor;
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  const cursor = patternParam(q.cursor, 'cursor', CURSOR, 'a cursor from a previous page') ?? null;
  const page = await ctx.store.audit.query(filter, { limit: limitParam(q.limit, 100, 1000), cursor });
  await ctx.events.publish({
    action: 'audit.queried',
    actor: principal.id,
    at: ctx.clock.now(),
    messageId: null,
    partner: null,
    outcome: 'ok',
    detail: { view: 'audit', filter: { ...filter }, count: page.items.length },
  });
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
