/**
 * Auditor: Deliveries — what we sent, filtered by partner, state, timeliness, message type and period,
 * paged, with a CSV of the page. The same service and the same query schema as GET /api/v1/notifications
 * (only the dates also take YYYY-MM-DD, which a browser's date field sends).
 */
import { OUTBOUND_STATES } from '../../../ports/store/index.js';
import { csvCell } from '../../audit-trail/audit-query.js';
import { NOTIFICATION_LIST_QUERY, TIMELINESS_FILTER } from '../../delivery/routes.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import { listNotificationViews, type NotificationView } from '../../submission/notification-view.js';
import { heading, link, pager, select, table, textInput, withQuery } from '../components.js';
import { html } from '../html.js';
import { definePage } from '../page.js';
import { hours, stateTag, timelinessTag, when } from './format.js';

const QUERY = {
  ...NOTIFICATION_LIST_QUERY,
  from: { type: 'date-or-instant' },
  to: { type: 'date-or-instant' },
} as const;

const TYPES = ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] as const;
const TIMELINESS_LABEL: Readonly<Record<string, string>> = {
  on_time: 'On time',
  late: 'Late',
  after_departure: 'After departure',
  pending: 'Pending (not delivered yet)',
};

/** The filters as the browser sent them (strings), to keep them in the form and the links. */
function filtersOf(raw: Readonly<Record<string, unknown>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k of ['partner', 'state', 'timeliness', 'type', 'from', 'to'])
    out[k] = typeof raw[k] === 'string' && raw[k] !== '' ? raw[k] : undefined;
  return out;
}

const CSV_COLUMNS = [
  'id',
  'messageType',
  'notificationId',
  'partner',
  'state',
  'submittedAt',
  'departureAt',
  'attemptCount',
  'receivedAt',
  'leadTimeHours',
  'timeliness',
] as const;

export function deliveriesCsv(items: readonly NotificationView[]): string {
  const rows = items.map((v) =>
    [
      v.id,
      v.messageType,
      v.notificationId,
      v.partner,
      v.state,
      v.submittedAt,
      v.departureAt,
      v.attemptCount,
      v.receipt?.receivedAt ?? null,
      v.leadTimeHours,
      v.timeliness,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export const deliveriesPage = definePage({
  name: 'console.deliveries',
  method: 'GET',
  path: '/deliveries',
  part: 'core',
  roles: ROLES_BY_CONCERN.deliveryView,
  query: QUERY,
  nav: {
    label: 'Deliveries',
    description: 'What we sent: filter by partner, state, timeliness, type and period; download CSV.',
    order: 10,
  },
  async handle({ principal, query, raw }, { ctx }) {
    const page = await listNotificationViews(ctx, principal, query);
    const f = filtersOf(raw);
    const body = html`${heading('Deliveries', 'What this gateway sent')}
      <form method="get" action="/console/deliveries" class="govuk-!-margin-bottom-6">
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-quarter">
            ${textInput('partner', 'Partner state', f.partner, { hint: 'Three letters, e.g. GBR', width: 3 })}
          </div>
          <div class="govuk-grid-column-one-quarter">
            ${select(
              'state',
              'Delivery state',
              OUTBOUND_STATES.map((s) => [s, s.replace(/_/g, ' ')] as const),
              f.state,
            )}
          </div>
          <div class="govuk-grid-column-one-quarter">
            ${select(
              'timeliness',
              'Timeliness',
              TIMELINESS_FILTER.map((t) => [t, TIMELINESS_LABEL[t]!] as const),
              f.timeliness,
            )}
          </div>
          <div class="govuk-grid-column-one-quarter">
            ${select(
              'type',
              'Message type',
              TYPES.map((t) => [t, t] as const),
              f.type,
            )}
          </div>
        </div>
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-quarter">
            ${textInput('from', 'Submitted from', f.from, { type: 'date' })}
          </div>
          <div class="govuk-grid-column-one-quarter">
            ${textInput('to', 'Submitted before', f.to, { type: 'date' })}
          </div>
        </div>
        <div class="govuk-button-group">
          <button type="submit" class="govuk-button" data-module="govuk-button">Apply filters</button>
          ${link('/console/deliveries', 'Clear filters')}
          ${link(withQuery('/console/deliveries.csv', { ...f, cursor: query.cursor }), 'Download this page as CSV')}
        </div>
      </form>
      ${table<NotificationView>(
        `${page.items.length} ${page.items.length === 1 ? 'message' : 'messages'}${page.next ? ' (more on the next page)' : ''}`,
        [
          { header: 'Submitted', cell: (v) => when(v.submittedAt) },
          { header: 'Partner', cell: (v) => v.partner },
          { header: 'Type', cell: (v) => v.messageType },
          {
            header: 'Message',
            cell: (v) =>
              link(
                `/console/deliveries/${encodeURIComponent(v.id)}`,
                html`<span class="govuk-visually-hidden">Open </span>${v.id.slice(0, 8)}…`,
              ),
          },
          { header: 'State', cell: (v) => stateTag(v.state) },
          { header: 'Departure', cell: (v) => when(v.departureAt) },
          { header: 'Lead time', cell: (v) => hours(v.leadTimeHours), numeric: true },
          { header: 'Timeliness', cell: (v) => timelinessTag(v.timeliness) },
        ],
        page.items,
        'No message matches these filters.',
      )}
      ${pager('/console/deliveries', f, query.cursor, page.next)}`;
    return { kind: 'page', title: 'Deliveries', body };
  },
});

export const deliveriesCsvPage = definePage({
  name: 'console.deliveriesCsv',
  method: 'GET',
  path: '/deliveries.csv',
  part: 'core',
  roles: ROLES_BY_CONCERN.deliveryView,
  query: QUERY,
  async handle({ principal, query }, { ctx }) {
    const page = await listNotificationViews(ctx, principal, query);
    return {
      kind: 'file',
      contentType: 'text/csv; charset=utf-8',
      filename: 'deliveries.csv',
      body: deliveriesCsv(page.items),
    };
  },
});
