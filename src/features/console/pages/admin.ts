/**
 * The administrator's pages: partners (directory entries, key ids and ages, endpoint health from our
 * recent attempts), failed deliveries with the resend form (the same service as
 * POST /api/v1/notifications/{id}/resend), and the API clients.
 */
import { isoTime } from '../../../core/clock.js';
import type { HealthVerdict } from '../../../domain/delivery/endpoint-health.js';
import { apiClients } from '../../admin/api-clients.js';
import { partnersOverview } from '../../admin/partners.js';
import { resendDelivery } from '../../delivery/resend.js';
import { CURSOR, ID } from '../../query-schema.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import { listNotificationViews } from '../../submission/notification-view.js';
import { heading, link, pager, postForm, summaryList, table, tag, type TagColour } from '../components.js';
import { html } from '../html.js';
import { definePage } from '../page.js';

/** Administrator-only, as the API routes that change the directory or resend. */
const ADMIN = ROLES_BY_CONCERN.directoryChange;
const when = (ms: number | null): string => (ms === null ? '—' : isoTime(ms).slice(0, 16).replace('T', ' ') + ' UTC');
const HEALTH: Record<HealthVerdict, [string, TagColour]> = {
  healthy: ['Healthy', 'green'],
  degraded: ['Degraded', 'yellow'],
  failing: ['Failing', 'red'],
  idle: ['No recent attempts', 'grey'],
};

export const partnersPage = definePage({
  name: 'console.admin.partners',
  method: 'GET',
  path: '/admin/partners',
  part: 'core',
  roles: ADMIN,
  query: {},
  nav: { label: 'Partners', description: 'Partner states, their keys and the health of their endpoints.', order: 60 },
  async handle({ principal }, { ctx }) {
    const v = await partnersOverview(ctx, principal);
    const sections = v.partners.map((p) => {
      const [label, colour] = HEALTH[p.health.verdict];
      return html`<h2 class="govuk-heading-m">${p.name} (${p.state}) ${tag(label, colour)}</h2>
        ${summaryList([
          ['Endpoint', p.endpoint ?? 'None: messages are passed on by hand'],
          ['Accepts', p.accepts.join(', ')],
          [
            'Attempts in the last 24 hours',
            p.health.attempts === 0
              ? 'None'
              : `${p.health.delivered} delivered of ${p.health.attempts} (median ${p.health.medianDurationMs} ms)`,
          ],
          ['Last success', when(p.health.lastSuccessAt)],
          [
            'Last failure',
            p.health.lastFailure
              ? `${when(p.health.lastFailure.at)}: ${p.health.lastFailure.error ?? `HTTP ${p.health.lastFailure.httpStatus}`}`
              : '—',
          ],
        ])}
        ${table(
          `Keys of ${p.state}`,
          [
            { header: 'Key id', cell: (k) => html`<code>${k.kid}</code>` },
            { header: 'Use', cell: (k) => (k.use === 'sig' ? 'Signing' : k.use === 'enc' ? 'Encryption' : k.use) },
            { header: 'Algorithm', cell: (k) => k.alg },
            { header: 'Age', cell: (k) => (k.ageDays === null ? 'Unknown' : `${k.ageDays} days`), numeric: true },
            { header: 'Status', cell: (k) => (k.valid ? tag('Active', 'green') : tag('Retired', 'grey')) },
          ],
          p.keys,
          'No keys.',
        )}`;
    });
    return {
      kind: 'page',
      title: 'Partners',
      body: html`${heading('Partners', 'Administration')}
        <p class="govuk-body">
          Health is judged from our own delivery attempts since ${when(v.since)}.
          ${link('/console/admin/failed', 'Failed deliveries')} can be sent again once the cause is fixed.
        </p>
        ${sections.length ? sections : html`<p class="govuk-body">The directory lists no partner.</p>`}`,
    };
  },
});

export const failedPage = definePage({
  name: 'console.admin.failed',
  method: 'GET',
  path: '/admin/failed',
  part: 'core',
  roles: ROLES_BY_CONCERN.resend,
  query: { cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' } },
  nav: {
    label: 'Failed deliveries',
    description: 'Deliveries that failed for good, and sending them again.',
    order: 61,
  },
  async handle({ principal, query, csrf }, { ctx }) {
    const page = await listNotificationViews(ctx, principal, {
      state: ['failed'],
      limit: 50,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return {
      kind: 'page',
      title: 'Failed deliveries',
      body: html`${heading('Failed deliveries', 'Administration')}
        <p class="govuk-body">
          Resending sends the same sealed message again; the partner recognises it if an earlier attempt reached it.
        </p>
        ${table(
          'Failed deliveries',
          [
            { header: 'Message', cell: (n) => html`<code>${n.id}</code>` },
            { header: 'To', cell: (n) => n.partner },
            { header: 'Type', cell: (n) => n.messageType },
            { header: 'Attempts', cell: (n) => n.attemptCount, numeric: true },
            { header: 'Last error', cell: (n) => n.lastError ?? '—' },
            {
              header: 'Action',
              cell: (n) =>
                postForm(
                  `/console/admin/failed/${n.id}/resend`,
                  csrf,
                  html`<button
                    type="submit"
                    class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                    data-module="govuk-button"
                  >
                    Resend<span class="govuk-visually-hidden"> message ${n.id} to ${n.partner}</span>
                  </button>`,
                ),
            },
          ],
          page.items,
          'No delivery has failed.',
        )}
        ${pager('/console/admin/failed', {}, query.cursor, page.next)}`,
    };
  },
});

export const resendPage = definePage({
  name: 'console.admin.resend',
  method: 'POST',
  path: '/admin/failed/:id/resend',
  part: 'core',
  roles: ROLES_BY_CONCERN.resend,
  params: { id: { pattern: ID } },
  query: {},
  async handle({ principal, params }, deps) {
    const r = await resendDelivery(deps, principal, params.id);
    return {
      kind: 'redirect',
      to: '/console/admin/failed',
      flash: r.resent
        ? `Message ${r.id} is being sent again (${r.status}).`
        : `Message ${r.id} was already on its way (${r.status}).`,
    };
  },
});

export const apiClientsPage = definePage({
  name: 'console.admin.apiClients',
  method: 'GET',
  path: '/admin/api-clients',
  part: 'core',
  roles: ADMIN,
  query: {},
  nav: { label: 'API clients', description: 'Who may call the API: tokens and OAuth clients.', order: 62 },
  async handle({ principal }, { ctx }) {
    const v = await apiClients(ctx, principal);
    return {
      kind: 'page',
      title: 'API clients',
      body: html`${heading('API clients', 'Administration')}
        <p class="govuk-body">
          Secrets are never shown: the configuration holds only their hashes. Activity comes from the latest
          ${v.scannedEvents} audit events.
        </p>
        ${table(
          'Static bearer tokens',
          [
            { header: 'Token id', cell: (t) => html`<code>${t.id}</code>` },
            { header: 'Role', cell: (t) => t.role },
            { header: 'Last active', cell: (t) => when(t.lastActiveAt) },
          ],
          v.tokens,
          'No static token is configured.',
        )}
        <h2 class="govuk-heading-m">OAuth 2.0 clients</h2>
        ${
          v.oauth
            ? html`${summaryList([
                ['Issuer', v.oauth.issuer],
                ['Audience', v.oauth.audience],
                ['Role claim', v.oauth.roleClaim],
              ])}
              ${table(
                'OAuth clients seen',
                [
                  { header: 'Client id', cell: (c) => html`<code>${c.clientId}</code>` },
                  { header: 'Last active', cell: (c) => when(c.lastActiveAt) },
                ],
                v.oauth.clients,
                'No OAuth client has called the API recently.',
              )}`
            : html`<p class="govuk-body">OAuth access tokens are not accepted (no issuer configured).</p>`
        }`,
    };
  },
});

export const adminPages = [partnersPage, failedPage, resendPage, apiClientsPage] as const;
