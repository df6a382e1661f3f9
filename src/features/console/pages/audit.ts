/**
 * Auditor: the audit trail — search (the same service and filters as GET /api/v1/audit), the state of
 * its integrity (head, last signed checkpoint, last verification) and "verify this range now" with the
 * result.
 */
import { queryAudit, type AuditItem } from '../../audit-trail/audit-query.js';
import { trailState, verifyRange, type LastVerification } from '../../audit-trail/verify-range.js';
import { auditTrailRoutes } from '../../audit-trail/routes.js';
import type { QuerySchema } from '../../query-schema.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import {
  button,
  heading,
  link,
  messageLink,
  pager,
  postForm,
  summaryList,
  table,
  tag,
  textInput,
} from '../components.js';
import { html, type Html } from '../html.js';
import { definePage } from '../page.js';
import { when } from './format.js';

const API_QUERY = auditTrailRoutes.find((r) => r.name === 'queryAudit')!.query;
/** The API's own parameter checks (patterns, messages), typed here as the strings they yield. */
type StringParam = { type: 'string' };
const api = (name: string) => API_QUERY[name] as StringParam;
const QUERY = {
  messageId: api('messageId'),
  partner: api('partner'),
  action: api('action'),
  actor: api('actor'),
  cursor: api('cursor'),
  from: { type: 'date-or-instant' },
  to: { type: 'date-or-instant' },
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
  fromSeq: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  toSeq: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
} as const satisfies QuerySchema;

const FILTERS = ['messageId', 'partner', 'action', 'actor', 'from', 'to'] as const;

function lastVerification(v: LastVerification | null): Html | string {
  if (!v) return 'none recorded yet';
  const range = v.fromSeq !== null && v.toSeq !== null ? html`events ${v.fromSeq} to ${v.toSeq}` : 'a range';
  return html`${v.ok ? tag('intact', 'green') : tag('broken', 'red')} ${range}, verified
  ${when(new Date(v.at).toISOString())} by ${v.actor}`;
}

export const auditPage = definePage({
  name: 'console.audit',
  method: 'GET',
  path: '/audit',
  part: 'core',
  roles: ROLES_BY_CONCERN.audit,
  query: QUERY,
  nav: {
    label: 'Audit trail',
    description: 'Search the audit trail, see its integrity and verify a range now.',
    order: 30,
  },
  async handle({ principal, query, raw, csrf }, { ctx }) {
    const { fromSeq, toSeq, ...search } = query;
    const [page, state] = await Promise.all([queryAudit(ctx, principal, search), trailState(ctx)]);
    const f: Record<string, string | undefined> = {};
    for (const k of FILTERS) f[k] = typeof raw[k] === 'string' ? raw[k] : undefined;
    const head = state.head?.seq ?? 0;
    const body = html`${heading('Audit trail')}
      <h2 class="govuk-heading-m">Integrity</h2>
      ${summaryList([
        ['Events in the trail', String(head)],
        [
          'Last signed checkpoint',
          state.lastCheckpoint
            ? html`event ${state.lastCheckpoint.seq}, signed ${when(new Date(state.lastCheckpoint.at).toISOString())}`
            : 'none yet',
        ],
        ['Not yet covered by a checkpoint', String(head - (state.lastCheckpoint?.seq ?? 0))],
        ['Last verification', lastVerification(state.lastVerification)],
      ])}
      ${postForm(
        '/console/audit/verify',
        csrf,
        html`<fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Verify a range of events now</legend>
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-quarter">
                ${textInput('fromSeq', 'From event', String(fromSeq ?? Math.max(1, head - 999)), { width: 10 })}
              </div>
              <div class="govuk-grid-column-one-quarter">
                ${textInput('toSeq', 'To event', String(toSeq ?? Math.max(1, head)), { width: 10 })}
              </div>
            </div>
          </fieldset>
          ${button('Verify range', 'secondary')}`,
      )}
      <h2 class="govuk-heading-m">Search</h2>
      <form method="get" action="/console/audit">
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">
            ${textInput('action', 'Action', f.action, { hint: 'e.g. notification.delivered' })}
          </div>
          <div class="govuk-grid-column-one-third">
            ${textInput('actor', 'Actor', f.actor, { hint: 'token id, oidc:…, system or a state' })}
          </div>
          <div class="govuk-grid-column-one-third">
            ${textInput('partner', 'Partner state', f.partner, { width: 3 })}
          </div>
        </div>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">${textInput('messageId', 'Message id', f.messageId)}</div>
          <div class="govuk-grid-column-one-third">${textInput('from', 'From', f.from, { type: 'date' })}</div>
          <div class="govuk-grid-column-one-third">${textInput('to', 'Before', f.to, { type: 'date' })}</div>
        </div>
        <div class="govuk-button-group">
          <button type="submit" class="govuk-button" data-module="govuk-button">Search</button
          >${link('/console/audit', 'Clear')}
        </div>
      </form>
      ${table<AuditItem>(
        'Events, newest first',
        [
          { header: 'Seq', cell: (e) => String(e.seq), numeric: true },
          { header: 'Time', cell: (e) => when(e.at) },
          { header: 'Action', cell: (e) => e.action },
          { header: 'Actor', cell: (e) => e.actor },
          { header: 'Partner', cell: (e) => e.partner ?? '—' },
          {
            header: 'Message',
            cell: (e) => messageLink(e.messageId),
          },
          { header: 'Outcome', cell: (e) => e.outcome ?? '—' },
        ],
        page.items,
        'No event matches.',
      )}
      ${pager('/console/audit', f, query.cursor, page.next)}`;
    return { kind: 'page', title: 'Audit trail', body };
  },
});

export const auditVerifyPage = definePage({
  name: 'console.auditVerify',
  method: 'POST',
  path: '/audit/verify',
  part: 'core',
  roles: ROLES_BY_CONCERN.audit,
  query: {},
  async handle({ principal, form }, { ctx }) {
    const fromSeq = Number(form.fromSeq);
    const toSeq = Number(form.toSeq);
    const r = await verifyRange(ctx, principal, fromSeq, toSeq);
    const body = html`${heading(r.ok ? 'The range verifies' : 'The range does NOT verify', 'Audit trail')}
      ${r.ok ? tag('intact', 'green') : tag('broken', 'red')}
      ${summaryList([
        ['Range', `events ${fromSeq} to ${toSeq}`],
        ['Events whose hash was recomputed and found right', String(r.events)],
        ['Signed checkpoints checked in the range', String(r.checkpoints)],
        ['Events after the last good checkpoint (intact, not yet signed)', String(r.unsealed)],
        ...(r.firstBad ? ([['First problem', `event ${r.firstBad.seq}: ${r.firstBad.problem}`]] as const) : []),
      ])}
      <p class="govuk-body">${link(`/console/audit?fromSeq=${fromSeq}&toSeq=${toSeq}`, 'Back to the audit trail')}</p>`;
    return { kind: 'page', title: 'Verification result', body, status: 200 };
  },
});
