/**
 * The screening officer's pages: manifests received (newest first, with their pending / confirmed /
 * rejected counts), one manifest with its candidates — passenger and registrant side by side, and
 * the features that made the score, explained — opened only after the purpose is given (the same
 * read, audited first, as GET /api/v1/manifests/{id}?purpose=), the decision form (confirm or reject
 * with a reason, the same service as the API's decision endpoint), and the cases confirmations opened.
 */
import type { ManifestPassenger } from '../../../domain/screening/manifest.js';
import { explainFeatures } from '../../../domain/screening/explain.js';
import type { Person } from '../../../domain/protocol/types.js';
import { CURSOR, ID, PURPOSE } from '../../query-schema.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import { listCases, listManifests, readManifest } from '../../screening/reads.js';
import { decideCandidate, parseDecision } from '../../screening/review.js';
import type { ManifestSummary } from '../../screening/view.js';
import {
  button,
  heading,
  link,
  pager,
  postForm,
  summaryList,
  table,
  tag,
  withQuery,
  type TagColour,
} from '../components.js';
import { html, type Html } from '../html.js';
import { definePage } from '../page.js';
import { askPurpose, fieldOf, hiddenFields, radiosField, summaryOf, textareaField, type FieldErrors } from './forms.js';
import { when } from './format.js';

const roles = ROLES_BY_CONCERN.screening;
const id = { pattern: ID } as const;
const cursor = { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' } as const;

/** The manifest as readManifest answers it (src/features/screening/view.ts), as far as the page reads it. */
interface CandidateOut {
  id: string;
  passengerIndex: number;
  role: string;
  registrantId: string;
  score: number;
  features: { feature: string; contribution: number }[];
  decision: 'pending' | 'confirmed' | 'rejected';
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  outcome: string | null;
  caseId: string | null;
  registrant?: Person | null;
  passenger?: ManifestPassenger | null;
}
interface ManifestOut {
  id: string;
  format: string;
  receivedAt: string | null;
  flight: ManifestSummary['flight'];
  passengers: number;
  crew: number;
  purgedAt: string | null;
  screening: { threshold: number; durationMs: number; candidates: number };
  candidates: CandidateOut[];
}

const DECISION: Record<CandidateOut['decision'], [string, TagColour]> = {
  pending: ['Pending', 'blue'],
  confirmed: ['Confirmed', 'red'],
  rejected: ['Rejected', 'grey'],
};
const OUTCOME: Readonly<Record<string, string>> = {
  case_opened: 'Case opened',
  case_exists: 'A case for this trip existed already',
  already_notified: 'The trip had been notified already: recorded as a second source',
};

const flightOf = (f: ManifestSummary['flight']): string =>
  `${f.flightNumber} ${f.departureAirport} → ${f.arrivalAirport}`;
const local = (t: string | null): string => (t ? `${t.replace('T', ' ')} (local)` : '—');
const manifestHref = (mid: string, purpose?: string) => withQuery(`/console/screening/manifests/${mid}`, { purpose });

export const manifestsPage = definePage({
  name: 'console.screening.manifests',
  method: 'GET',
  path: '/screening/manifests',
  part: 'screening',
  roles,
  query: { cursor },
  nav: {
    label: 'Manifests',
    description: 'Passenger manifests received, their candidate matches and your decisions.',
    order: 40,
  },
  async handle({ query }, deps) {
    const page = await listManifests(deps, { limit: 50, ...(query.cursor ? { cursor: query.cursor } : {}) });
    const waiting = page.items.reduce((n, m) => n + m.pending, 0);
    return {
      kind: 'page',
      title: 'Manifests',
      body: html`${heading('Manifests received', 'Screening')}
        <p class="govuk-body">
          Newest first. A candidate is a passenger who resembles someone on the registry: a lead, not a finding — each
          waits for your decision. ${waiting > 0 ? html`<strong>${waiting} waiting on this page.</strong>` : ''}
        </p>
        ${table(
          'Manifests',
          [
            { header: 'Received', cell: (m) => when(m.receivedAt) },
            { header: 'Flight', cell: (m) => flightOf(m.flight) },
            { header: 'Departure', cell: (m) => local(m.flight.scheduledDeparture) },
            { header: 'People', cell: (m) => m.passengers + m.crew, numeric: true },
            { header: 'Pending', cell: (m) => (m.pending > 0 ? tag(String(m.pending), 'blue') : '0'), numeric: true },
            { header: 'Confirmed', cell: (m) => m.confirmed, numeric: true },
            { header: 'Rejected', cell: (m) => m.rejected, numeric: true },
            {
              header: 'Manifest',
              cell: (m) =>
                link(
                  manifestHref(m.id),
                  html`Open<span class="govuk-visually-hidden"> manifest of ${flightOf(m.flight)}</span>`,
                ),
            },
          ],
          page.items,
          'No manifest has been received.',
        )}
        ${pager('/console/screening/manifests', {}, query.cursor, page.next)}
        <p class="govuk-body">${link('/console/screening/cases', 'Cases opened')}</p>`,
    };
  },
});

export const manifestPage = definePage({
  name: 'console.screening.manifest',
  method: 'GET',
  path: '/screening/manifests/:id',
  part: 'screening',
  roles,
  params: { id },
  query: { purpose: PURPOSE },
  async handle({ principal, params, query, csrf }, deps) {
    if (query.purpose === undefined || query.purpose.trim() === '') {
      return {
        kind: 'page',
        title: 'Why are you opening this manifest?',
        status: query.purpose === undefined ? 200 : 400,
        body: askPurpose(`/console/screening/manifests/${params.id}`, {
          refused: query.purpose !== undefined,
          title: 'Why are you opening this manifest?',
          caption: 'Screening',
          what: 'Its candidates show passengers’ and registrants’ personal data side by side.',
          button: 'Open the manifest',
        }),
      };
    }
    const m = (await readManifest(deps, principal, params.id, query.purpose)) as unknown as ManifestOut;
    return { kind: 'page', title: `Manifest ${flightOf(m.flight)}`, body: manifestBody(m, query.purpose, csrf, {}) };
  },
});

function manifestBody(
  m: ManifestOut,
  purpose: string,
  csrf: string,
  refused: { candidateId?: string; errors?: FieldErrors; form?: Record<string, string> },
): Html {
  const count = (d: CandidateOut['decision']) => m.candidates.filter((c) => c.decision === d).length;
  return html`${refused.errors ? summaryOf(refused.errors) : ''} ${heading(`Flight ${flightOf(m.flight)}`, 'Manifest')}
    <p class="govuk-body">Opened for: ${purpose}</p>
    ${summaryList([
      ['Received', when(m.receivedAt)],
      ['Scheduled departure', local(m.flight.scheduledDeparture)],
      ['People on board', `${m.passengers} passengers, ${m.crew} crew (${m.format})`],
      [
        'Candidates',
        `${m.candidates.length}: ${count('pending')} pending, ${count('confirmed')} confirmed, ${count('rejected')} rejected`,
      ],
      ['Score threshold', m.screening.threshold.toFixed(2)],
    ])}
    ${
      m.purgedAt
        ? html`<div class="govuk-inset-text">
            The manifest’s passenger data was purged on ${when(m.purgedAt)}; only the references remain.
          </div>`
        : ''
    }
    ${m.candidates.length === 0 ? html`<p class="govuk-body">No passenger resembled anyone on the registry.</p>` : ''}
    ${m.candidates.map((c, i) => candidateSection(m, c, i + 1, purpose, csrf, refused))}
    <p class="govuk-body">${link('/console/screening/manifests', 'Back to the manifests')}</p>`;
}

function passengerName(p: ManifestPassenger): string {
  return `${p.familyName}, ${p.givenNames.join(' ')}`;
}
function registrantName(p: Person): string {
  return `${p.name.family}, ${p.name.given.join(' ')}`;
}

/** Passenger and registrant in one table, row by row: what a reviewer compares. */
function sideBySide(c: CandidateOut, n: number): Html {
  const p = c.passenger ?? null;
  const r = c.registrant ?? null;
  const rows: [string, string, string][] = [
    ['Name', p ? passengerName(p) : '—', r ? registrantName(r) : '—'],
    [
      'Other names',
      '—',
      r ? [...(r.aliases ?? []).map((a) => `${a.family}, ${a.given.join(' ')}`)].join('; ') || '—' : '—',
    ],
    ['Date of birth', p?.dateOfBirth ?? '—', r ? String(r.dateOfBirth) : '—'],
    ['Sex', p?.sex ?? '—', r?.sex ?? '—'],
    ['Nationality', p?.nationality ?? '—', r ? r.citizenships.join(', ') : '—'],
    [
      'Documents',
      p ? p.documents.map((d) => `${d.type} ${d.number} (${d.issuingState ?? '?'})`).join('; ') || '—' : '—',
      r ? r.travelDocuments.map((d) => `${d.type} ${d.number} (${d.issuingState})`).join('; ') || '—' : '—',
    ],
  ];
  return html`<table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--s">
        Candidate ${n}: passenger and registrant side by side
      </caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          <td class="govuk-table__header"><span class="govuk-visually-hidden">Field</span></td>
          <th scope="col" class="govuk-table__header">Passenger (manifest, ${c.role} ${c.passengerIndex + 1})</th>
          <th scope="col" class="govuk-table__header">Registrant (registry)</th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        ${rows.map(
          ([k, a, b]) =>
            html`<tr class="govuk-table__row">
              <th scope="row" class="govuk-table__header">${k}</th>
              <td class="govuk-table__cell">${a}</td>
              <td class="govuk-table__cell">${b}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${p === null ? html`<p class="govuk-body">The passenger’s data is no longer held (purged).</p>` : ''}
    ${r === null ? html`<p class="govuk-body">The registrant has been erased from the registry.</p>` : ''}`;
}

function featuresTable(c: CandidateOut, n: number): Html {
  const EFFECT: Record<string, [string, TagColour]> = {
    raises: ['Raises', 'green'],
    lowers: ['Lowers', 'orange'],
    neutral: ['No effect', 'grey'],
  };
  return table(
    `Candidate ${n}: why the score is ${c.score.toFixed(2)}`,
    [
      { header: 'What was compared', cell: (f) => f.explanation },
      { header: 'Effect', cell: (f) => tag(...EFFECT[f.effect]!) },
      {
        header: 'Contribution',
        cell: (f) => (f.contribution > 0 ? '+' : '') + f.contribution.toFixed(2),
        numeric: true,
      },
    ],
    explainFeatures(c.features),
    'The score has no recorded features.',
  );
}

function candidateSection(
  m: ManifestOut,
  c: CandidateOut,
  n: number,
  purpose: string,
  csrf: string,
  refused: { candidateId?: string; errors?: FieldErrors; form?: Record<string, string> },
): Html {
  const [label, colour] = DECISION[c.decision];
  const mine = refused.candidateId === c.id;
  const decided = html`${summaryList([
    ['Decision', `${label} by ${c.decidedBy ?? '—'} on ${when(c.decidedAt)}`],
    ['Reason', c.reason ?? '—'],
    ['Outcome', c.outcome ? (OUTCOME[c.outcome] ?? c.outcome) : '—'],
    ['Case', c.caseId ? html`<code>${c.caseId}</code>` : '—'],
  ])}`;
  const form = postForm(
    `/console/screening/manifests/${m.id}/candidates/${c.id}/decision`,
    csrf,
    html`${hiddenFields({ purpose })}
      ${radiosField(
        `decision-${n}`,
        `Your decision on candidate ${n}`,
        [
          ['confirmed', 'Confirm: it is the registrant'],
          ['rejected', 'Reject: it is someone else'],
        ],
        mine ? refused.form?.[`decision-${n}`] : undefined,
        { error: mine ? refused.errors?.[`decision-${n}`] : undefined, inline: true },
      )}
      ${textareaField(`reason-${n}`, 'Reason', mine ? refused.form?.[`reason-${n}`] : undefined, {
        hint: 'What you compared, for the record (for example: passport number and photo agree).',
        error: mine ? refused.errors?.[`reason-${n}`] : undefined,
      })}
      <input type="hidden" name="n" value="${n}" />
      ${button(`Record the decision on candidate ${n}`)}`,
  );
  return html`<section class="govuk-!-margin-bottom-9" aria-labelledby="cand-${n}">
    <h2 class="govuk-heading-m" id="cand-${n}">Candidate ${n} ${tag(label, colour)}</h2>
    <p class="govuk-body">Score ${c.score.toFixed(2)} (threshold ${m.screening.threshold.toFixed(2)}).</p>
    ${sideBySide(c, n)} ${featuresTable(c, n)} ${c.decision === 'pending' ? form : decided}
  </section>`;
}

export const decisionPage = definePage({
  name: 'console.screening.decision',
  method: 'POST',
  path: '/screening/manifests/:id/candidates/:cid/decision',
  part: 'screening',
  roles,
  params: { id, cid: id },
  query: {},
  async handle({ principal, params, form, csrf }, deps) {
    const purpose = fieldOf(form, 'purpose');
    const n = /^\d{1,3}$/.test(form.n ?? '') ? form.n! : '1';
    const decision = fieldOf(form, `decision-${n}`);
    const reason = fieldOf(form, `reason-${n}`);
    const errors: FieldErrors = {};
    if (decision !== 'confirmed' && decision !== 'rejected') errors[`decision-${n}`] = 'Choose confirm or reject';
    if (reason === '') errors[`reason-${n}`] = 'Give the reason for your decision';
    else if (reason.length > 1000) errors[`reason-${n}`] = 'The reason must be 1,000 characters or fewer';
    if (Object.keys(errors).length > 0) {
      // The page is shown again with the data: that is a read, recorded with the same purpose.
      const m = (await readManifest(deps, principal, params.id, purpose)) as unknown as ManifestOut;
      return {
        kind: 'page',
        status: 400,
        title: `Manifest ${flightOf(m.flight)}`,
        body: manifestBody(m, purpose, csrf, { candidateId: params.cid, errors, form }),
      };
    }
    const r = await decideCandidate(deps, principal, params.id, params.cid, parseDecision({ decision, reason }));
    const flash =
      r.candidate.decision === 'rejected'
        ? `Candidate ${n} rejected.`
        : r.candidate.outcome === 'case_opened' && r.case
          ? `Candidate ${n} confirmed: case ${r.case.id} opened${
              r.case.notification === 'submitted' && r.case.destination
                ? `, and a travel notification to ${r.case.destination} submitted`
                : ''
            }.`
          : `Candidate ${n} confirmed: ${OUTCOME[r.candidate.outcome ?? ''] ?? 'recorded'}.`;
    return { kind: 'redirect', to: manifestHref(params.id, purpose || undefined), flash };
  },
});

const NOTIFICATION: Readonly<Record<string, string>> = {
  submitted: 'Travel notification submitted',
  already_notified: 'Already notified by another source',
  own_state: 'Flight to our own state: nothing to send',
  not_notifiable: 'Destination unknown: not sent',
  disabled: 'Not sent (notifying confirmed matches is off)',
};

interface CaseOut {
  id: string;
  registrantId: string;
  manifestId: string;
  flight: ManifestSummary['flight'];
  destination: string | null;
  openedBy: string;
  openedAt: string | null;
  notification: string;
  notificationId: string | null;
}

export const casesPage = definePage({
  name: 'console.screening.cases',
  method: 'GET',
  path: '/screening/cases',
  part: 'screening',
  roles: ROLES_BY_CONCERN.cases,
  query: { cursor },
  nav: { label: 'Cases', description: 'Unreported-travel cases opened by confirmed matches.', order: 41 },
  async handle({ query, user }, deps) {
    const page = await listCases(deps, { limit: 50, ...(query.cursor ? { cursor: query.cursor } : {}) });
    const items = page.items as unknown as CaseOut[];
    const screener = user.roles.includes('screening');
    return {
      kind: 'page',
      title: 'Cases',
      body: html`${heading('Cases opened', 'Screening')}
        <p class="govuk-body">
          A case is opened when a screening officer confirms that a passenger is a registrant who did not report this
          trip.
        </p>
        ${table(
          'Unreported-travel cases',
          [
            { header: 'Opened', cell: (k) => when(k.openedAt) },
            { header: 'Flight', cell: (k) => flightOf(k.flight) },
            { header: 'Departure', cell: (k) => local(k.flight.scheduledDeparture) },
            { header: 'Destination', cell: (k) => k.destination ?? '—' },
            { header: 'Notification', cell: (k) => NOTIFICATION[k.notification] ?? k.notification },
            { header: 'Opened by', cell: (k) => k.openedBy },
            {
              header: 'Case',
              cell: (k) =>
                screener
                  ? link(
                      manifestHref(k.manifestId),
                      html`<code>${k.id.slice(0, 8)}…</code
                        ><span class="govuk-visually-hidden"> — open its manifest</span>`,
                    )
                  : html`<code>${k.id.slice(0, 8)}…</code>`,
            },
          ],
          items,
          'No case has been opened.',
        )}
        ${pager('/console/screening/cases', {}, query.cursor, page.next)}`,
    };
  },
});

export const screeningPages = [manifestsPage, manifestPage, decisionPage, casesPage] as const;
