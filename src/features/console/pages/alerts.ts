/**
 * Auditor: alerts — deliveries that failed and deliveries at risk of arriving after departure, from
 * the audit trail's alert events (the one record of every alert raised, whichever channel carried it).
 */
import { queryAudit, type AuditItem } from '../../audit-trail/audit-query.js';
import { CURSOR } from '../../query-schema.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import { heading, link, messageLink, pager, table, tag } from '../components.js';
import { html } from '../html.js';
import { definePage } from '../page.js';
import { when } from './format.js';

const KINDS = { failed: 'notification.failed', at_risk: 'notification.at_risk' } as const;

export const alertsPage = definePage({
  name: 'console.alerts',
  method: 'GET',
  path: '/alerts',
  part: 'core',
  roles: ROLES_BY_CONCERN.audit,
  query: {
    kind: { type: 'enum', values: ['failed', 'at_risk'] },
    cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
  },
  nav: {
    label: 'Alerts',
    description: 'Deliveries that failed, and those at risk of arriving after departure.',
    order: 40,
  },
  async handle({ principal, query }, { ctx }) {
    const kind = query.kind ?? 'failed';
    const page = await queryAudit(ctx, principal, {
      action: KINDS[kind],
      limit: 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    const tabs = html`<ul class="govuk-list">
      <li>
        ${kind === 'failed' ? html`<strong>Failed deliveries</strong>` : link('/console/alerts?kind=failed', 'Failed deliveries')}
      </li>
      <li>
        ${kind === 'at_risk' ? html`<strong>At risk (departure close, not delivered)</strong>` : link('/console/alerts?kind=at_risk', 'At risk (departure close, not delivered)')}
      </li>
    </ul>`;
    const body = html`${heading('Alerts')}${tabs}
    ${table<AuditItem>(
      kind === 'failed' ? 'Failed deliveries, newest first' : 'At-risk deliveries, newest first',
      [
        { header: 'Raised', cell: (e) => when(e.at) },
        { header: 'Partner', cell: (e) => e.partner ?? '—' },
        { header: 'Kind', cell: () => (kind === 'failed' ? tag('failed', 'red') : tag('at risk', 'orange')) },
        { header: 'Reason', cell: (e) => e.outcome ?? '—' },
        {
          header: 'Message',
          cell: (e) => messageLink(e.messageId),
        },
      ],
      page.items,
      'No alert of this kind.',
    )}
    ${pager('/console/alerts', { kind }, query.cursor, page.next)}`;
    return { kind: 'page', title: 'Alerts', body };
  },
});
