/**
 * Auditor: one message's whole story on one timeline — submitted, sealed and queued, each delivery
 * attempt (time, HTTP status, failure, duration), the receipt (verified, digest, receivedAt), its lead
 * time against departure, alerts raised, the follow-ups the destination reported back (when, what was
 * done; to the PoC, auditors and admins only), and every audit event about it, linked by seq. Read through the same services as
 * GET /api/v1/notifications/{id}, GET /api/v1/inbox?notificationId=&type=FollowUpReport and
 * GET /api/v1/audit?messageId=.
 */
import type { Role } from '../../../core/principal.js';
import { queryAudit, type AuditItem } from '../../audit-trail/audit-query.js';
import { followUpsBack } from '../../inbox/follow-ups-back.js';
import { ID } from '../../query-schema.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import { getNotificationView } from '../../submission/notification-view.js';
import { heading, link, summaryList, table, tag, withQuery } from '../components.js';
import { html, type Html } from '../html.js';
import { definePage } from '../page.js';
import { hours, stateTag, timelinessTag, when } from './format.js';

/** Who is told what a destination did about the person: the API's inbox and audit roles. */
const FOLLOW_UP_READERS: readonly Role[] = [...ROLES_BY_CONCERN.inbox, ...ROLES_BY_CONCERN.audit];

interface Moment {
  at: string | null;
  what: Html;
}

export const notificationPage = definePage({
  name: 'console.notification',
  method: 'GET',
  path: '/deliveries/:id',
  part: 'core',
  roles: ROLES_BY_CONCERN.deliveryView,
  params: { id: { pattern: ID } },
  query: {},
  async handle({ principal, params }, { ctx }) {
    const v = await getNotificationView(ctx, principal, params.id);
    // Audit events are for auditors and admins only (the API's rule); others see the delivery alone.
    const mayAudit = (ROLES_BY_CONCERN.audit as readonly string[]).includes(principal.role);
    const events = mayAudit ? (await queryAudit(ctx, principal, { messageId: v.id, limit: 200 })).items.reverse() : [];
    // What a destination did about the person (entry denied, interviewed…) is shown to the roles the
    // API already tells it: the PoC (GET /api/v1/inbox) and auditors and admins (the
    // followup.received event's outcome in GET /api/v1/audit?messageId=). A submitter is not told.
    const mayFollowUps = FOLLOW_UP_READERS.includes(principal.role);
    // Follow-ups are reported about a TravelNotification; updates and follow-ups we sent have none.
    const followUps =
      mayFollowUps && v.messageType === 'TravelNotification' ? await followUpsBack(ctx, v.notificationId) : [];
    const alerts = events.filter((e) => e.action === 'notification.failed' || e.action === 'notification.at_risk');
    const moments: Moment[] = [
      { at: v.submittedAt, what: html`Submitted by ${v.submittedBy}` },
      ...(v.queuedAt ? [{ at: v.queuedAt, what: html`Sealed and queued for delivery to ${v.partner}` }] : []),
      ...(v.attempts ?? []).map((a) => ({
        at: a.at,
        what: html`Attempt ${a.attempt}:
        ${a.outcome.replace(/_/g, ' ')}${a.httpStatus !== null ? html`, HTTP ${a.httpStatus}` : ''}${a.error ? html` — ${a.error}` : ''}
        (${a.durationMs} ms)`,
      })),
      ...alerts.map((e) => ({
        at: e.at,
        what: html`${tag(e.action === 'notification.failed' ? 'alert: failed' : 'alert: at risk', 'red')}
        ${e.outcome ?? ''}`,
      })),
      ...followUps.map((f) => ({
        at: f.receivedAt,
        what: html`Follow-up from ${f.from} received: ${tag(f.action.replace(/_/g, ' '), 'blue')} (action taken
        ${when(f.actionAt)})`,
      })),
      ...(v.receipt
        ? [
            {
              at: v.receipt.receivedAt,
              what: html`Receipt from ${v.partner}
              verified${v.receipt.digest ? html` — digest <code>${v.receipt.digest}</code>` : ''}`,
            },
          ]
        : []),
    ].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
    const body = html`${heading(`${v.messageType} to ${v.partner}`, 'Delivery')}
      ${summaryList([
        ['Message id', html`<code>${v.id}</code>`],
        ['Notification id', html`<code>${v.notificationId}</code>`],
        ['State', stateTag(v.state)],
        ['Departure', when(v.departureAt)],
        ['Lead time before departure', hours(v.leadTimeHours)],
        ['Timeliness', timelinessTag(v.timeliness)],
        ['Attempts', String(v.attemptCount)],
        ...(mayFollowUps
          ? ([
              [
                'Follow-ups received',
                followUps.length ? followUps.map((f) => f.action.replace(/_/g, ' ')).join(', ') : 'none',
              ],
            ] as const)
          : []),
        ...(v.lastError ? ([['Last error', v.lastError]] as const) : []),
      ])}
      <h2 class="govuk-heading-m">Timeline</h2>
      <ol class="govuk-list govuk-list--spaced">
        ${moments.map((m) => html`<li><strong>${when(m.at)}</strong><br />${m.what}</li>`)}
      </ol>
      ${
        mayAudit
          ? table<AuditItem>(
              'Audit events about this message',
              [
                {
                  header: 'Seq',
                  cell: (e) =>
                    link(
                      withQuery('/console/audit', { fromSeq: e.seq, toSeq: e.seq }),
                      html`<span class="govuk-visually-hidden">Verify event </span>${e.seq}`,
                    ),
                  numeric: true,
                },
                { header: 'Time', cell: (e) => when(e.at) },
                { header: 'Action', cell: (e) => e.action },
                { header: 'Actor', cell: (e) => e.actor },
                { header: 'Outcome', cell: (e) => e.outcome ?? '—' },
              ],
              events,
              'No audit event names this message.',
            )
          : ''
      }
      <p class="govuk-body">${link('/console/deliveries', 'Back to deliveries')}</p>`;
    return { kind: 'page', title: `Delivery ${v.id.slice(0, 8)}`, body };
  },
});
