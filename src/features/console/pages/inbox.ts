/**
 * The point of contact's pages: the desk (unread first, soonest departure first, by origin state),
 * one message — opened only after the purpose of the consultation is given, as the API requires —
 * and the follow-up form that sends a FollowUpReport back to the origin over the wire.
 */
import type { TnxMessage } from '../../../domain/protocol/types.js';
import { inboxDesk } from '../../inbox/desk.js';
import { createFollowUp } from '../../inbox/follow-up.js';
import { readInboxMessage } from '../../inbox/read.js';
import { ID, PURPOSE, STATE_CODE } from '../../query-schema.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import {
  button,
  errorSummary,
  heading,
  link,
  postForm,
  summaryList,
  table,
  tag,
  textInput,
  withQuery,
} from '../components.js';
import { html, type Html } from '../html.js';
import { definePage } from '../page.js';

const roles = ROLES_BY_CONCERN.inbox;
const id = { pattern: ID } as const;

export const FOLLOW_UP_ACTIONS: readonly (readonly [string, string])[] = [
  ['monitored', 'Monitored'],
  ['interviewed', 'Interviewed'],
  ['visa_refused', 'Visa refused'],
  ['entry_denied', 'Entry denied'],
  ['subject_did_not_arrive', 'Did not arrive'],
  ['investigation_opened', 'Investigation opened'],
  ['none', 'No action'],
  ['other', 'Other'],
];

const when = (iso: string | null): string => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '—');

export const inboxPage = definePage({
  name: 'console.inbox',
  method: 'GET',
  path: '/inbox',
  part: 'core',
  roles,
  query: { iss: { type: 'string', pattern: STATE_CODE, what: 'an ISO 3166-1 alpha-3 code' } },
  nav: {
    label: 'Inbox',
    description: 'Messages partner states sent us, unread and soonest departure first.',
    order: 20,
  },
  async handle({ principal, query }, { ctx }) {
    const desk = await inboxDesk(ctx, principal, query.iss ? { iss: query.iss } : {});
    const origins = html`<ul class="govuk-list">
      <li>${query.iss ? link('/console/inbox', 'All origin states') : html`<strong>All origin states</strong>`}</li>
      ${desk.origins.map(
        (o) =>
          html`<li>
            ${
              o.iss === query.iss
                ? html`<strong>${o.iss}</strong>`
                : link(withQuery('/console/inbox', { iss: o.iss }), o.iss)
            }
            — ${o.unread} unread of ${o.total}
          </li>`,
      )}
    </ul>`;
    const rows = table(
      query.iss ? `Messages from ${query.iss}` : 'Messages received',
      [
        { header: 'Status', cell: (i) => (i.read ? tag('Read', 'grey') : tag('Unread', 'blue')) },
        { header: 'From', cell: (i) => i.iss },
        { header: 'Type', cell: (i) => i.messageType },
        { header: 'Departure', cell: (i) => when(i.departureAt) },
        { header: 'Received', cell: (i) => when(i.receivedAt) },
        {
          header: 'Message',
          cell: (i) =>
            link(
              `/console/inbox/${i.id}`,
              html`Open<span class="govuk-visually-hidden">
                  message from ${i.iss} received ${when(i.receivedAt)}</span
                >`,
            ),
        },
      ],
      desk.items,
      'No messages have been received.',
    );
    return {
      kind: 'page',
      title: 'Inbox',
      body: html`${heading('Inbox', 'Point of contact')}
        <p class="govuk-body">
          Unread messages come first, then the soonest departure. Opening a message asks for the purpose of the
          consultation, which is recorded in the audit trail.
        </p>
        <h2 class="govuk-heading-s">By origin state</h2>
        ${origins} ${rows} ${desk.more ? html`<p class="govuk-body">Only the latest messages are shown here.</p>` : ''}`,
    };
  },
});

export const inboxMessagePage = definePage({
  name: 'console.inbox.message',
  method: 'GET',
  path: '/inbox/:id',
  part: 'core',
  roles,
  params: { id },
  query: { purpose: PURPOSE },
  async handle({ principal, params, query, csrf }, { ctx }) {
    if (query.purpose === undefined || query.purpose.trim() === '') {
      return {
        kind: 'page',
        title: 'Why are you opening this message?',
        status: query.purpose === undefined ? 200 : 400,
        body: purposeForm(`/console/inbox/${params.id}`, query.purpose !== undefined),
      };
    }
    const m = await readInboxMessage(ctx, principal, params.id, query.purpose);
    return {
      kind: 'page',
      title: `Message from ${m.iss}`,
      body: html`${heading(`${m.messageType} from ${m.iss}`, 'Inbox')}
        <p class="govuk-body">Opened for: ${query.purpose}</p>
        ${messageDetails(m.message)}
        ${summaryList([
          ['Notification id', m.notificationId],
          ['Received', when(m.receivedAt)],
          ['Departure', when(m.departureAt)],
        ])}
        ${
          m.messageType === 'TravelNotification'
            ? html`<h2 class="govuk-heading-m">Report back to ${m.iss}</h2>
                ${followUpForm(`/console/inbox/${params.id}/follow-up`, csrf)}`
            : ''
        }
        <p class="govuk-body">${link('/console/inbox', 'Back to the inbox')}</p>`,
    };
  },
});

export const followUpPage = definePage({
  name: 'console.inbox.followUp',
  method: 'POST',
  path: '/inbox/:id/follow-up',
  part: 'core',
  roles,
  params: { id },
  query: {},
  async handle({ principal, params, form, csrf }, deps) {
    const action = form.action ?? '';
    const note = (form.note ?? '').trim();
    if (!FOLLOW_UP_ACTIONS.some(([v]) => v === action)) {
      return {
        kind: 'page',
        status: 400,
        title: 'Report back',
        body: html`${errorSummary([{ text: 'Choose what was done', href: '#f-action' }])}
        ${heading('Report back', 'Inbox')} ${followUpForm(`/console/inbox/${params.id}/follow-up`, csrf)}`,
      };
    }
    const result = await createFollowUp(deps, principal, params.id, { action, ...(note ? { note } : {}) }, null);
    return {
      kind: 'redirect',
      to: '/console/inbox',
      flash: `Follow-up sent (${action.replace(/_/g, ' ')}): ${result.status}.`,
    };
  },
});

export function purposeForm(action: string, refused: boolean): Html {
  return html`${refused ? errorSummary([{ text: 'Give the purpose of this consultation', href: '#f-purpose' }]) : ''}
    ${heading('Why are you opening this message?')}
    <p class="govuk-body">
      It holds personal data. The purpose you give is recorded with your name in the audit trail before the data is
      shown.
    </p>
    <form method="get" action="${action}">
      ${textInput('purpose', 'Purpose of the consultation', undefined, {
        hint: 'For example: case 2026-114, border alert for flight BA178',
        width: 20,
      })}
      ${button('Open the message')}
    </form>`;
}

function followUpForm(action: string, csrf: string): Html {
  return postForm(
    action,
    csrf,
    html`<div class="govuk-form-group">
        <label class="govuk-label" for="f-action">What was done</label>
        <select class="govuk-select" id="f-action" name="action">
          ${FOLLOW_UP_ACTIONS.map(([v, l]) => html`<option value="${v}">${l}</option>`)}
        </select>
      </div>
      ${textInput('note', 'Note (optional)', undefined, { width: 20 })} ${button('Send follow-up')}`,
  );
}

function messageDetails(message: TnxMessage): Html {
  if (message.type !== 'TravelNotification') {
    return summaryList(
      Object.entries(message)
        .filter(([, v]) => typeof v === 'string')
        .map(([k, v]) => [k, String(v)]),
    );
  }
  const p = message.person;
  const t = message.travel;
  return html`${summaryList([
    ['Name', `${p.name.family}, ${p.name.given.join(' ')}`],
    ['Date of birth', String(p.dateOfBirth)],
    ['Citizenship', p.citizenships.join(', ')],
    ['Documents', p.travelDocuments.map((d) => `${d.type} ${d.number} (${d.issuingState})`).join('; ')],
    [
      'Flights',
      t.legs
        .map(
          (l) =>
            `${l.flightNumber.startsWith(l.carrier) ? l.flightNumber : l.carrier + l.flightNumber} ${l.departureAirport}→${l.arrivalAirport}`,
        )
        .join(', '),
    ],
    ['Destinations', t.destinationCountries.join(', ')],
    ['Point of contact', `${message.pointOfContact.unit}, ${message.pointOfContact.email}`],
  ])}`;
}

export const inboxPages = [inboxPage, inboxMessagePage, followUpPage] as const;
