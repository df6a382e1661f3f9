/**
 * The registry officer's pages: search (name, date of birth, document number — with the purpose the
 * API also requires), a registrant opened with a purpose (recorded before the data is shown), create
 * and edit (checked on the server; a refused field keeps what was typed and is named in the error
 * summary), and a travel report recorded in two steps: the form, then a check page that shows the
 * deadline rules applied to the dates entered (late report, the registry's minimum notice) before the
 * officer confirms. With JavaScript, /console/assets/travel-deadline.mjs shows the same status as the
 * officer types, from GET /console/registry/deadline (the same checkDeadline as the API's
 * /api/v1/travel-deadline, under the console session).
 */
import { isTnxError, type TnxError } from '../../../core/errors.js';
import type { Registrant } from '../../../domain/registry/registrant.js';
import type { Person } from '../../../domain/protocol/types.js';
import { ID, PURPOSE } from '../../query-schema.js';
import {
  createRegistrant,
  readRegistrant,
  searchRegistrants,
  SEARCH_LIMIT,
  updateRegistrant,
} from '../../registry/registry-service.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import { checkDeadline, type DeadlineCheck } from '../../travel-reports/deadline-check.js';
import { createTravelReport } from '../../travel-reports/travel-report-service.js';
import { button, errorSummary, heading, link, postForm, summaryList, table, tag, withQuery } from '../components.js';
import { html, type Html } from '../html.js';
import { definePage, type PageResult } from '../page.js';
import {
  askPurpose,
  fieldOf,
  hiddenFields,
  inputField,
  radiosField,
  selectField,
  summaryOf,
  textareaField,
  type FieldErrors,
} from './forms.js';
import { when } from './format.js';

const roles = ROLES_BY_CONCERN.registry;
const id = { pattern: ID } as const;
/** The longest search criterion accepted (the API's query schema bound). */
const MAX_CRITERION = 200;
type Form = Readonly<Record<string, string>>;

const registrantHref = (rid: string, purpose?: string, tail = '') =>
  withQuery(`/console/registry/registrants/${rid}${tail}`, { purpose });
const nameOf = (p: Pick<Person, 'name'>) => `${p.name.family}, ${p.name.given.join(' ')}`;

// ——— search ———

/** What an officer searches by. Sent by POST: names, dates of birth and document numbers stay out of
 * URLs, so out of the browser's history, the sign-in return path and any proxy's access log. */
interface Criteria {
  name?: string;
  dateOfBirth?: string;
  documentNumber?: string;
  purpose?: string;
}

function criteriaOf(form: Form): Criteria {
  const c: Criteria = {};
  for (const k of ['name', 'dateOfBirth', 'documentNumber', 'purpose'] as const) {
    const v = fieldOf(form, k).trim();
    if (v !== '') c[k] = v;
  }
  return c;
}

export const searchPage = definePage({
  name: 'console.registry.search',
  method: 'GET',
  path: '/registry',
  part: 'registry',
  roles,
  query: {},
  nav: {
    label: 'Registry',
    description: 'Search registrants, open, create and change records, record travel reports.',
    order: 45,
  },
  handle: ({ principal, csrf }, deps) => searchResult(deps, principal, csrf, null),
});

export const searchPostPage = definePage({
  name: 'console.registry.search.send',
  method: 'POST',
  path: '/registry',
  part: 'registry',
  roles,
  query: {},
  handle: ({ principal, form, csrf }, deps) => searchResult(deps, principal, csrf, criteriaOf(form)),
});

async function searchResult(
  deps: Parameters<typeof searchRegistrants>[0],
  principal: Parameters<typeof searchRegistrants>[1],
  csrf: string,
  sent: Criteria | null,
): Promise<PageResult> {
  const query: Criteria = sent ?? {};
  const asked = query.name !== undefined || query.dateOfBirth !== undefined || query.documentNumber !== undefined;
  const errors: FieldErrors = {};
  for (const k of ['name', 'dateOfBirth', 'documentNumber'] as const)
    if ((query[k]?.length ?? 0) > MAX_CRITERION) errors[k] = `Give at most ${MAX_CRITERION} characters`;
  let hits: Awaited<ReturnType<typeof searchRegistrants>>['items'] | null = null;
  if (Object.keys(errors).length > 0) hits = null;
  else if (asked && (query.purpose ?? '').trim() === '') errors.purpose = 'Give the purpose of the search';
  else if (asked) {
    try {
      hits = (await searchRegistrants(deps, principal, query)).items;
    } catch (err) {
      if (!isTnxError(err, 'invalid_request') && !isTnxError(err, 'purpose_required')) throw err;
      // The refusal names the criterion at fault; a search with nothing to search by names none.
      if (err.pointer === 'purpose') errors.purpose = 'Give the purpose as plain text of at most 200 characters';
      else if (err.pointer === 'dateOfBirth')
        errors.dateOfBirth = 'Enter the date of birth as YYYY-MM-DD, or YYYY to search by the year';
      else errors.name = 'Give a name, a date of birth or a document number to search by';
    }
  } else if (sent !== null) errors.name = 'Give a name, a date of birth or a document number';
  // The service returns at most SEARCH_LIMIT hits: a full page may not be all of them.
  const limited = hits !== null && hits.length >= SEARCH_LIMIT;
  const results =
    hits === null
      ? ''
      : html`${
          limited
            ? html`<div class="govuk-inset-text">
                Only the first ${String(SEARCH_LIMIT)} matches are shown; there may be more. Narrow the search: add the
                date of birth or a document number, or give more of the name.
              </div>`
            : ''
        }
        ${table(
          limited
            ? `The first ${SEARCH_LIMIT} registrants found`
            : `${hits.length} registrant${hits.length === 1 ? '' : 's'} found`,
          [
            { header: 'Name', cell: (h) => nameOf(h) },
            { header: 'Date of birth', cell: (h) => h.dateOfBirth },
            { header: 'Status', cell: (h) => statusTag(h.status) },
            {
              header: 'Record',
              cell: (h) =>
                link(
                  registrantHref(h.id, query.purpose),
                  html`Open<span class="govuk-visually-hidden"> the record of ${nameOf(h)}</span>`,
                ),
            },
          ],
          hits,
          'Nobody on the registry matches. Names are matched whole, after folding accents and case.',
        )}`;
  return {
    kind: 'page',
    status: Object.keys(errors).length > 0 ? 400 : 200,
    title: 'Registry',
    body: html`${summaryOf(errors)} ${heading('Search the registry', 'Registry')}
      <p class="govuk-body">
        The search is recorded in the audit trail with its purpose.
        ${link('/console/registry/new', 'Create a registrant')}
      </p>
      ${postForm(
        '/console/registry',
        csrf,
        html` <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-third">
              ${inputField('name', 'Name', query.name, { error: errors.name, hint: 'Family or given name' })}
            </div>
            <div class="govuk-grid-column-one-third">
              ${inputField('dateOfBirth', 'Date of birth', query.dateOfBirth, {
                error: errors.dateOfBirth,
                // No month: the blind index holds the full date and the year, not the month (searchTerms).
                hint: 'YYYY-MM-DD, or YYYY for the year',
              })}
            </div>
            <div class="govuk-grid-column-one-third">
              ${inputField('documentNumber', 'Document number', query.documentNumber, { hint: 'Passport or ID card' })}
            </div>
          </div>
          ${inputField('purpose', 'Purpose of the search', query.purpose, {
            error: errors.purpose,
            hint: 'For example: travel report by phone, case 2026-114',
            width: 20,
          })}
          ${button('Search')}`,
      )}
      ${results}`,
  };
}

function statusTag(s: Registrant['status']): Html {
  return s === 'active'
    ? tag('Active', 'green')
    : s === 'suspended'
      ? tag('Suspended', 'yellow')
      : tag('Ended', 'grey');
}

// ——— the registrant ———

function askFor(action: string, purpose: string | undefined, what: string, buttonText: string): PageResult {
  return {
    kind: 'page',
    title: 'Why are you opening this record?',
    status: purpose === undefined ? 200 : 400,
    body: askPurpose(action, {
      refused: purpose !== undefined,
      title: 'Why are you opening this record?',
      caption: 'Registry',
      what,
      button: buttonText,
    }),
  };
}

export const registrantPage = definePage({
  name: 'console.registry.registrant',
  method: 'GET',
  path: '/registry/registrants/:id',
  part: 'registry',
  roles,
  params: { id },
  query: { purpose: PURPOSE },
  async handle({ principal, params, query }, deps) {
    if ((query.purpose ?? '').trim() === '') {
      return askFor(
        `/console/registry/registrants/${params.id}`,
        query.purpose,
        'The record holds personal data and convictions.',
        'Open the record',
      );
    }
    const purpose = query.purpose!;
    const r = await readRegistrant(deps, principal, params.id, purpose);
    const p = r.person;
    return {
      kind: 'page',
      title: nameOf(p),
      body: html`${heading(nameOf(p), 'Registrant')}
        <p class="govuk-body">Opened for: ${purpose}</p>
        <div class="govuk-button-group">
          <a class="govuk-button" data-module="govuk-button" href="${registrantHref(r.id, purpose, '/travel')}"
            >Record travel</a
          >
          <a
            class="govuk-button govuk-button--secondary"
            data-module="govuk-button"
            href="${registrantHref(r.id, purpose, '/edit')}"
            >Change the record</a
          >
        </div>
        <h2 class="govuk-heading-m">Registration</h2>
        ${summaryList([
          ['Status', statusTag(r.status)],
          ['Registry reference', r.externalReference ?? '—'],
          ['Registered from', r.registrationStart],
          ['Registered until', r.registrationEnd ?? 'Indefinite (until a review ends it)'],
          ['Next review', html`${r.reviewDue} ${r.summary.reviewOverdue ? tag('Overdue', 'red') : ''}`],
          ['Record id', html`<code>${r.id}</code>`],
        ])}
        <h2 class="govuk-heading-m">Person</h2>
        ${summaryList([
          ['Name', nameOf(p)],
          ['Other names', (p.aliases ?? []).map((a) => `${a.family}, ${a.given.join(' ')}`).join('; ') || '—'],
          ['Date of birth', String(p.dateOfBirth)],
          ['Sex', SEX_LABEL[p.sex] ?? p.sex],
          ['Citizenship', p.citizenships.join(', ')],
          [
            'Travel documents',
            p.travelDocuments.map((d) => `${DOC_LABEL[d.type] ?? d.type} ${d.number} (${d.issuingState})`).join('; ') ||
              '—',
          ],
        ])}
        ${table(
          'Convictions',
          [
            { header: 'Offence', cell: (c) => OFFENCE_LABEL[c.offenceCategory] ?? c.offenceCategory },
            { header: 'Convicted on', cell: (c) => c.convictedOn },
            { header: 'Jurisdiction', cell: (c) => c.jurisdiction },
            { header: 'Sentence', cell: (c) => c.sentenceSummary },
            { header: 'Victim a minor', cell: (c) => (c.victimMinor ? 'Yes' : 'No') },
            { header: 'Registration ends', cell: (c) => c.registrationEndsOn ?? 'Indefinite' },
          ],
          r.convictions,
        )}
        <p class="govuk-body">${link('/console/registry', 'Back to the search')}</p>`,
    };
  },
});

// ——— create and edit ———

const SEX_LABEL: Readonly<Record<string, string>> = { F: 'Female', M: 'Male', X: 'Unspecified (X)', U: 'Unknown' };
const DOC_LABEL: Readonly<Record<string, string>> = {
  passport: 'Passport',
  identity_card: 'Identity card',
  visa: 'Visa',
  residence_permit: 'Residence permit',
  other: 'Other document',
};
const OFFENCE_LABEL: Readonly<Record<string, string>> = {
  child_sexual_abuse: 'Child sexual abuse',
  child_sexual_abuse_material: 'Child sexual abuse material',
  child_sexual_exploitation: 'Child sexual exploitation',
  online_solicitation: 'Online solicitation',
  child_trafficking: 'Child trafficking',
  other: 'Other',
};
const STATUS_LABEL: Readonly<Record<string, string>> = { active: 'Active', suspended: 'Suspended', ended: 'Ended' };
const options = (labels: Readonly<Record<string, string>>) => Object.entries(labels);
const choose = (labels: Readonly<Record<string, string>>): (readonly [string, string])[] => [
  ['', 'Choose'],
  ...options(labels),
];

/** Form field → its label, and the JSON pointer of the registrant it fills. */
const REGISTRANT_FIELDS: readonly (readonly [string, string, string])[] = [
  ['family', 'Family name', '/person/name/family'],
  ['given', 'Given names', '/person/name/given'],
  ['dateOfBirth', 'Date of birth', '/person/dateOfBirth'],
  ['sex', 'Sex', '/person/sex'],
  ['citizenships', 'Citizenship', '/person/citizenships'],
  ['docType', 'Document type', '/person/travelDocuments/0/type'],
  ['docNumber', 'Document number', '/person/travelDocuments/0/number'],
  ['docState', 'Issuing state', '/person/travelDocuments/0/issuingState'],
  ['docExpires', 'Document expires on', '/person/travelDocuments/0/expiresOn'],
  ['offence', 'Offence', '/convictions/0/offenceCategory'],
  ['convictedOn', 'Convicted on', '/convictions/0/convictedOn'],
  ['jurisdiction', 'Jurisdiction', '/convictions/0/jurisdiction'],
  ['sentence', 'Sentence', '/convictions/0/sentenceSummary'],
  ['victimMinor', 'Victim a minor', '/convictions/0/victimMinor'],
  ['convictionEnds', 'Registration for this conviction ends', '/convictions/0/registrationEndsOn'],
  ['registrationStart', 'Registered from', '/registrationStart'],
  ['registrationEnd', 'Registered until', '/registrationEnd'],
  ['status', 'Status', '/status'],
  ['reviewDue', 'Next review', '/reviewDue'],
  ['externalReference', 'Registry reference', '/externalReference'],
];
const LABEL = Object.fromEntries(REGISTRANT_FIELDS.map(([f, l]) => [f, l]));
const REQUIRED: readonly (readonly [string, string])[] = [
  ['family', 'Enter the family name'],
  ['dateOfBirth', 'Enter the date of birth'],
  ['sex', 'Choose the sex recorded'],
  ['citizenships', 'Enter at least one citizenship'],
  ['offence', 'Choose the offence'],
  ['convictedOn', 'Enter the date of the conviction'],
  ['jurisdiction', 'Enter the jurisdiction'],
  ['sentence', 'Summarise the sentence'],
  ['victimMinor', 'Say whether the victim was a minor'],
  ['registrationStart', 'Enter when the registration started'],
  ['status', 'Choose the status'],
  ['reviewDue', 'Enter the date of the next review'],
];

/** The field a refused JSON pointer belongs to: the longest field pointer that starts it. */
export function fieldOfPointer(
  pointer: string,
  fields: readonly (readonly [string, string, string])[],
  fallback: string,
): string {
  let best: readonly [string, string, string] | undefined;
  for (const f of fields) if (pointer.startsWith(f[2]) && (!best || f[2].length > best[2].length)) best = f;
  return best?.[0] ?? fallback;
}

/** A service's refusal (schema or cross-field rule) as messages on the fields it names. */
export function errorsOfRefusal(
  err: TnxError,
  fields: readonly (readonly [string, string, string])[],
  fallback: string,
): FieldErrors {
  const label = Object.fromEntries(fields.map(([f, l]) => [f, l]));
  const listed = (err.detail?.errors as { pointer: string; detail: string }[] | undefined) ?? [
    { pointer: err.pointer ?? '', detail: err.message.replace(/^\S+ /, '') },
  ];
  const out: FieldErrors = {};
  for (const e of listed) {
    const f = fieldOfPointer(e.pointer, fields, fallback);
    out[f] ??= `${label[f] ?? 'The record'} ${e.detail}`;
  }
  return out;
}

const words = (s: string) => s.split(/[\s,]+/).filter(Boolean);

function checkRegistrantForm(form: Form): FieldErrors {
  const errors: FieldErrors = {};
  for (const [f, message] of REQUIRED) if (fieldOf(form, f) === '') errors[f] = message;
  if (fieldOf(form, 'docNumber') !== '') {
    if (fieldOf(form, 'docType') === '') errors.docType = 'Choose the type of the document';
    if (fieldOf(form, 'docState') === '') errors.docState = 'Enter the state that issued the document';
  }
  return errors;
}

/** The registrant the form describes; on an edit, what the form does not show is kept from `existing`. */
function registrantOf(form: Form, existing?: Registrant): Record<string, unknown> {
  const v = (f: string) => fieldOf(form, f);
  const doc = v('docNumber')
    ? [
        {
          number: v('docNumber').toUpperCase().replace(/\s+/g, ''),
          type: v('docType'),
          issuingState: v('docState').toUpperCase(),
          ...(v('docExpires') ? { expiresOn: v('docExpires') } : {}),
        },
      ]
    : [];
  const conviction = {
    offenceCategory: v('offence'),
    convictedOn: v('convictedOn'),
    jurisdiction: v('jurisdiction').toUpperCase(),
    sentenceSummary: v('sentence'),
    victimMinor: v('victimMinor') === 'yes',
    registrationEndsOn: v('convictionEnds') || null,
  };
  const { id: _id, summary: _summary, ...kept } = (existing ?? {}) as Registrant & { summary?: unknown };
  void _id;
  void _summary;
  const { externalReference: _ref, ...keptWithoutRef } = kept;
  void _ref;
  return {
    ...keptWithoutRef,
    person: {
      ...(existing?.person ?? {}),
      name: { family: v('family'), given: givenNamesOf(v('given'), existing) },
      dateOfBirth: v('dateOfBirth'),
      sex: v('sex'),
      citizenships: words(v('citizenships').toUpperCase()),
      travelDocuments: [...doc, ...(existing?.person.travelDocuments.slice(1) ?? [])],
    },
    convictions: [conviction, ...(existing?.convictions.slice(1) ?? [])],
    registrationStart: v('registrationStart'),
    registrationEnd: v('registrationEnd') || null,
    status: v('status'),
    reviewDue: v('reviewDue'),
    ...(v('externalReference') ? { externalReference: v('externalReference') } : {}),
  };
}

/**
 * The given names typed, split on spaces — but on an edit, an unchanged field keeps the names as
 * stored: one name may hold a space ("Mary Ann"), and splitting it again would make it two.
 */
function givenNamesOf(typed: string, existing?: Registrant): string[] {
  const stored = existing?.person.name.given;
  if (stored && typed === stored.join(' ').trim()) return [...stored];
  return words(typed);
}

/** What the edit form starts from. */
function formOf(r: Registrant): Record<string, string> {
  const d = r.person.travelDocuments[0];
  const c = r.convictions[0]!;
  return {
    family: r.person.name.family,
    given: r.person.name.given.join(' '),
    dateOfBirth: String(r.person.dateOfBirth),
    sex: r.person.sex,
    citizenships: r.person.citizenships.join(', '),
    docType: d?.type ?? '',
    docNumber: d?.number ?? '',
    docState: d?.issuingState ?? '',
    docExpires: d?.expiresOn ?? '',
    offence: c.offenceCategory,
    convictedOn: c.convictedOn,
    jurisdiction: c.jurisdiction,
    sentence: c.sentenceSummary,
    victimMinor: c.victimMinor ? 'yes' : 'no',
    convictionEnds: c.registrationEndsOn ?? '',
    registrationStart: r.registrationStart,
    registrationEnd: r.registrationEnd ?? '',
    status: r.status,
    reviewDue: r.reviewDue,
    externalReference: r.externalReference ?? '',
  };
}

function registrantForm(
  action: string,
  csrf: string,
  values: Form,
  errors: FieldErrors,
  submit: string,
  hidden: Readonly<Record<string, string | undefined>>,
  extraNote?: string,
): Html {
  const e = (f: string) => errors[f];
  const v = (f: string) => values[f];
  const date = (f: string, hint?: string) =>
    inputField(f, LABEL[f]!, v(f), { type: 'date', width: 10, error: e(f), ...(hint ? { hint } : {}) });
  return postForm(
    action,
    csrf,
    html`${hiddenFields(hidden)} ${extraNote ? html`<p class="govuk-body">${extraNote}</p>` : ''}
      <h2 class="govuk-heading-m">Person</h2>
      ${inputField('family', LABEL.family!, v('family'), { error: e('family'), width: 20 })}
      ${inputField('given', LABEL.given!, v('given'), {
        error: e('given'),
        width: 20,
        hint: 'Separated by spaces, as in the passport',
      })}
      ${inputField('dateOfBirth', LABEL.dateOfBirth!, v('dateOfBirth'), {
        error: e('dateOfBirth'),
        width: 10,
        hint: 'YYYY-MM-DD; YYYY-MM or YYYY when only part is known',
      })}
      ${radiosField('sex', LABEL.sex!, options(SEX_LABEL), v('sex'), { error: e('sex'), inline: true })}
      ${inputField('citizenships', LABEL.citizenships!, v('citizenships'), {
        error: e('citizenships'),
        width: 10,
        hint: 'ISO 3166-1 alpha-3 codes, separated by commas: USA, GBR',
      })}
      <h2 class="govuk-heading-m">Travel document</h2>
      ${selectField('docType', LABEL.docType!, choose(DOC_LABEL), v('docType'), { error: e('docType') })}
      ${inputField('docNumber', LABEL.docNumber!, v('docNumber'), { error: e('docNumber'), width: 10 })}
      ${inputField('docState', LABEL.docState!, v('docState'), {
        error: e('docState'),
        width: 4,
        hint: 'ISO 3166-1 alpha-3 code',
      })}
      ${date('docExpires', 'Optional')}
      <h2 class="govuk-heading-m">Conviction</h2>
      ${selectField('offence', LABEL.offence!, choose(OFFENCE_LABEL), v('offence'), { error: e('offence') })}
      ${date('convictedOn')}
      ${inputField('jurisdiction', LABEL.jurisdiction!, v('jurisdiction'), {
        error: e('jurisdiction'),
        width: 10,
        hint: 'A state code, with a subdivision where it applies: USA-NY',
      })}
      ${textareaField('sentence', LABEL.sentence!, v('sentence'), { error: e('sentence') })}
      ${radiosField(
        'victimMinor',
        LABEL.victimMinor!,
        [
          ['yes', 'Yes'],
          ['no', 'No'],
        ],
        v('victimMinor'),
        { error: e('victimMinor'), inline: true },
      )}
      ${date('convictionEnds', 'Leave empty when indefinite')}
      <h2 class="govuk-heading-m">Registration</h2>
      ${date('registrationStart')} ${date('registrationEnd', 'Leave empty when indefinite')}
      ${selectField('status', LABEL.status!, choose(STATUS_LABEL), v('status'), { error: e('status') })}
      ${date('reviewDue', 'Required: no record is kept without a periodic review')}
      ${inputField('externalReference', LABEL.externalReference!, v('externalReference'), {
        error: e('externalReference'),
        width: 20,
        hint: 'Optional: the registry’s own record number',
      })}
      ${button(submit, 'primary', { once: true })}`,
    { novalidate: true, once: true },
  );
}

export const newRegistrantPage = definePage({
  name: 'console.registry.new',
  method: 'GET',
  path: '/registry/new',
  part: 'registry',
  roles,
  query: {},
  handle({ csrf }) {
    return Promise.resolve({
      kind: 'page',
      title: 'Create a registrant',
      body: html`${heading('Create a registrant', 'Registry')}
      ${registrantForm('/console/registry/new', csrf, { status: 'active' }, {}, 'Create the registrant', {})}`,
    });
  },
});

export const createRegistrantPage = definePage({
  name: 'console.registry.create',
  method: 'POST',
  path: '/registry/new',
  part: 'registry',
  roles,
  query: {},
  async handle({ principal, form, csrf }, deps) {
    const refused = (errors: FieldErrors): PageResult => ({
      kind: 'page',
      status: 400,
      title: 'Create a registrant',
      body: html`${summaryOf(errors)} ${heading('Create a registrant', 'Registry')}
      ${registrantForm('/console/registry/new', csrf, form, errors, 'Create the registrant', {})}`,
    });
    const errors = checkRegistrantForm(form);
    if (Object.keys(errors).length > 0) return refused(errors);
    try {
      const s = await createRegistrant(deps, principal, registrantOf(form));
      return {
        kind: 'redirect',
        to: registrantHref(s.id),
        flash: s.created
          ? 'Registrant created. Give the purpose to open the record.'
          : 'A registrant with this registry reference and the same data exists already: nothing was changed.',
      };
    } catch (err) {
      if (isTnxError(err, 'invalid_registrant') || isTnxError(err, 'idempotency_conflict'))
        return refused(errorsOfRefusal(err, REGISTRANT_FIELDS, 'family'));
      throw err;
    }
  },
});

export const editRegistrantPage = definePage({
  name: 'console.registry.edit',
  method: 'GET',
  path: '/registry/registrants/:id/edit',
  part: 'registry',
  roles,
  params: { id },
  query: { purpose: PURPOSE },
  async handle({ principal, params, query, csrf }, deps) {
    if ((query.purpose ?? '').trim() === '') {
      return askFor(
        `/console/registry/registrants/${params.id}/edit`,
        query.purpose,
        'Changing the record shows its personal data.',
        'Open the record to change it',
      );
    }
    const r = await readRegistrant(deps, principal, params.id, query.purpose);
    return editPage(r.id, String(r.summary.updatedAt), csrf, formOf(r), {}, query.purpose!);
  },
});

const CHANGED_MEANWHILE =
  'Someone changed this record after you opened it. Your changes were not saved: the record is shown as it is now — make your change again.';
const REFERENCE_IN_USE = 'Registry reference is already used by another registrant';

/**
 * The edit form. `version`: the record's updatedAt the values were read at — a refused form keeps the
 * version it was opened at, never the current one, or its stale values would pass the next check.
 * `conflict` is a refusal of the whole form (409), named in the error summary only.
 */
function editPage(
  rid: string,
  version: string,
  csrf: string,
  values: Form,
  errors: FieldErrors,
  purpose: string,
  conflict?: string,
): PageResult {
  const hasErrors = Object.keys(errors).length > 0;
  return {
    kind: 'page',
    status: conflict ? 409 : hasErrors ? 400 : 200,
    title: 'Change the record',
    body: html`${conflict ? errorSummary([{ text: conflict }]) : summaryOf(errors)}
      ${heading('Change the record', 'Registry')}
      ${registrantForm(
        `/console/registry/registrants/${rid}/edit`,
        csrf,
        values,
        errors,
        'Save the changes',
        { purpose, updatedAt: version },
        'Other names, further documents and convictions, and notes are kept as they are.',
      )}
      <p class="govuk-body">${link(registrantHref(rid, purpose), 'Back to the record without saving')}</p>`,
  };
}

export const updateRegistrantPage = definePage({
  name: 'console.registry.update',
  method: 'POST',
  path: '/registry/registrants/:id/edit',
  part: 'registry',
  roles,
  params: { id },
  query: {},
  async handle({ principal, params, form, csrf }, deps) {
    const purpose = fieldOf(form, 'purpose');
    // The record as it is now: what the form does not show is kept from it (a read, with the purpose).
    const current = await readRegistrant(deps, principal, params.id, purpose);
    // The version the officer opened: the store writes only if the record is still that version.
    const opened = fieldOf(form, 'updatedAt');
    const errors = checkRegistrantForm(form);
    if (Object.keys(errors).length > 0) return editPage(params.id, opened, csrf, form, errors, purpose);
    try {
      await updateRegistrant(deps, principal, params.id, registrantOf(form, current), Number(opened));
    } catch (err) {
      if (isTnxError(err, 'conflict') && err.pointer === '/externalReference') {
        return editPage(params.id, opened, csrf, form, { externalReference: REFERENCE_IN_USE }, purpose);
      }
      if (isTnxError(err, 'conflict')) {
        // Changed since it was opened: show it as it is now (a new read), so no stale form can be saved.
        const now = await readRegistrant(deps, principal, params.id, purpose);
        return editPage(params.id, String(now.summary.updatedAt), csrf, formOf(now), {}, purpose, CHANGED_MEANWHILE);
      }
      if (!isTnxError(err, 'invalid_registrant')) throw err;
      return editPage(params.id, opened, csrf, form, errorsOfRefusal(err, REGISTRANT_FIELDS, 'family'), purpose);
    }
    return { kind: 'redirect', to: registrantHref(params.id, purpose), flash: 'The changes were saved.' };
  },
});

// ——— travel reports ———

const TRAVEL_FIELDS: readonly (readonly [string, string, string])[] = [
  ['reportedAt', 'Reported at (UTC)', '/reportedAt'],
  ['travelPurpose', 'Purpose of the travel', '/travel/purpose'],
  ['carrier', 'Airline', '/travel/legs/0/carrier'],
  ['flightNumber', 'Flight number', '/travel/legs/0/flightNumber'],
  ['from', 'From (airport)', '/travel/legs/0/departureAirport'],
  ['to', 'To (airport)', '/travel/legs/0/arrivalAirport'],
  ['departure', 'Departure (local time at the airport)', '/travel/legs/0/scheduledDeparture'],
  ['offset', 'UTC offset of the departure airport', '/travel/legs'],
  ['destinations', 'Destination states', '/travel/destinationCountries'],
  ['returnDate', 'Return date', '/travel/returnDate'],
  ['withChild', 'Travelling with a child', '/travel/travellingWithChild'],
  ['emergency', 'Emergency reason', '/emergency'],
];
const TLABEL = Object.fromEntries(TRAVEL_FIELDS.map(([f, l]) => [f, l]));
const TRAVEL_NAMES = TRAVEL_FIELDS.map(([f]) => f);
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/;
const OFFSET = /^(?:Z|[+-](\d{2}):(\d{2}))$/;
/** `YYYY-MM-DD HH:MM[:SS]` (or with a T) as RFC 3339 without the offset. */
const withSeconds = (t: string) => (t.length === 16 ? `${t}:00` : t).replace(' ', 'T');
/**
 * A real date and time: the shape, and a round trip through the calendar — Date reads 2026-02-30 as
 * 2 March and 2026-13-01 as nothing, so what does not come back as written was not a date.
 */
export function isLocalTime(t: string): boolean {
  if (!LOCAL_TIME.test(t)) return false;
  const iso = withSeconds(t);
  const d = new Date(`${iso}Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === iso;
}
/** A UTC offset that exists: Z, or ±hh:mm with minutes under 60 and at most 14 hours (Kiribati, +14:00). */
export function isUtcOffset(o: string): boolean {
  const m = OFFSET.exec(o);
  if (!m) return false;
  if (m[1] === undefined) return true;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  return minutes < 60 && hours * 60 + minutes <= 14 * 60;
}

interface TravelInput {
  body: Record<string, unknown>;
  reportedAt: number;
  departureAt: number;
  emergency: boolean;
}

/** The form as a travel report body, or the fields refused. */
function travelOf(form: Form, now: number): { input: TravelInput } | { errors: FieldErrors } {
  const v = (f: string) => fieldOf(form, f);
  const errors: FieldErrors = {};
  if (!isLocalTime(v('reportedAt')))
    errors.reportedAt = 'Enter when the registrant reported as a real date and time, YYYY-MM-DD HH:MM';
  if (v('travelPurpose') === '') errors.travelPurpose = 'Enter the purpose of the travel';
  if (v('carrier') === '') errors.carrier = 'Enter the airline designator';
  if (v('flightNumber') === '') errors.flightNumber = 'Enter the flight number';
  if (v('from') === '') errors.from = 'Enter the departure airport';
  if (v('to') === '') errors.to = 'Enter the arrival airport';
  if (!isLocalTime(v('departure'))) errors.departure = 'Enter the departure as a real date and time, YYYY-MM-DD HH:MM';
  if (!isUtcOffset(v('offset')))
    errors.offset = 'Enter the UTC offset as +hh:mm or -hh:mm, at most 14 hours (Z for UTC)';
  if (v('destinations') === '') errors.destinations = 'Enter at least one destination state';
  if (v('withChild') !== 'yes' && v('withChild') !== 'no')
    errors.withChild = 'Say whether the registrant travels with a child';
  const reportedAt = Date.parse(`${withSeconds(v('reportedAt'))}Z`);
  if (!errors.reportedAt && reportedAt > now) errors.reportedAt = 'The report time cannot be in the future';
  if (Object.keys(errors).length > 0) return { errors };
  const scheduledDeparture = `${withSeconds(v('departure'))}${v('offset')}`;
  const body = {
    reportedAt: `${withSeconds(v('reportedAt'))}Z`,
    travel: {
      purpose: v('travelPurpose'),
      legs: [
        {
          sequence: 1,
          carrier: v('carrier').toUpperCase(),
          flightNumber: v('flightNumber').toUpperCase().replace(/\s+/g, ''),
          departureAirport: v('from').toUpperCase(),
          arrivalAirport: v('to').toUpperCase(),
          scheduledDeparture,
        },
      ],
      destinationCountries: words(v('destinations').toUpperCase()),
      returnDate: v('returnDate') || null,
      travellingWithChild: v('withChild') === 'yes',
    },
    ...(v('emergency') ? { emergency: { reason: v('emergency') } } : {}),
  };
  return {
    input: { body, reportedAt, departureAt: Date.parse(scheduledDeparture), emergency: v('emergency') !== '' },
  };
}

function travelForm(rid: string, csrf: string, values: Form, errors: FieldErrors, purpose: string): Html {
  const e = (f: string) => errors[f];
  const v = (f: string) => values[f];
  return postForm(
    `/console/registry/registrants/${rid}/travel/check`,
    csrf,
    html`${hiddenFields({ purpose })}
      ${inputField('reportedAt', TLABEL.reportedAt!, v('reportedAt'), {
        error: e('reportedAt'),
        width: 10,
        hint: 'When the registrant told you, YYYY-MM-DD HH:MM; the notice counts from here',
      })}
      ${inputField('travelPurpose', TLABEL.travelPurpose!, v('travelPurpose'), { error: e('travelPurpose'), width: 20 })}
      <h2 class="govuk-heading-m">First flight</h2>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-one-quarter">
          ${inputField('carrier', TLABEL.carrier!, v('carrier'), { error: e('carrier'), width: 3, hint: 'BA' })}
        </div>
        <div class="govuk-grid-column-one-quarter">
          ${inputField('flightNumber', TLABEL.flightNumber!, v('flightNumber'), {
            error: e('flightNumber'),
            width: 5,
            hint: 'BA178',
          })}
        </div>
        <div class="govuk-grid-column-one-quarter">
          ${inputField('from', TLABEL.from!, v('from'), { error: e('from'), width: 3, hint: 'JFK' })}
        </div>
        <div class="govuk-grid-column-one-quarter">
          ${inputField('to', TLABEL.to!, v('to'), { error: e('to'), width: 3, hint: 'LHR' })}
        </div>
      </div>
      ${inputField('departure', TLABEL.departure!, v('departure'), {
        error: e('departure'),
        width: 10,
        hint: 'YYYY-MM-DD HH:MM, as on the ticket',
      })}
      ${inputField('offset', TLABEL.offset!, v('offset'), {
        error: e('offset'),
        width: 5,
        hint: 'For example -05:00 for New York in winter, +00:00 for London',
      })}
      <div
        id="deadline-status"
        class="tnx-deadline"
        aria-live="polite"
        data-tnx-deadline="/console/registry/deadline"
      ></div>
      ${inputField('destinations', TLABEL.destinations!, v('destinations'), {
        error: e('destinations'),
        width: 10,
        hint: 'ISO 3166-1 alpha-3 codes, separated by commas; each is notified',
      })}
      ${inputField('returnDate', TLABEL.returnDate!, v('returnDate'), {
        type: 'date',
        width: 10,
        error: e('returnDate'),
        hint: 'Optional',
      })}
      ${radiosField(
        'withChild',
        TLABEL.withChild!,
        [
          ['no', 'No'],
          ['yes', 'Yes'],
        ],
        v('withChild'),
        { error: e('withChild'), inline: true },
      )}
      ${textareaField('emergency', TLABEL.emergency!, v('emergency'), {
        error: e('emergency'),
        hint: 'Only for emergency travel (a relative’s death, say): where the rules allow it, the notice is waived',
      })}
      ${button('Continue')}
      <p class="govuk-body">The next step shows whether the report is on time before you record it.</p>`,
    { novalidate: true },
  );
}

function travelFormPage(
  rid: string,
  csrf: string,
  values: Form,
  errors: FieldErrors,
  purpose: string,
  status = 200,
): PageResult {
  return {
    kind: 'page',
    status,
    title: 'Record travel',
    body: html`${summaryOf(errors)} ${heading('Record travel', 'Registry')}
      <p class="govuk-body">
        Travel the registrant reported. Each destination state is sent a travel notification when you record it.
      </p>
      ${travelForm(rid, csrf, values, errors, purpose)}
      <p class="govuk-body">${link(registrantHref(rid, purpose), 'Back to the record')}</p>`,
  };
}

export const travelPage = definePage({
  name: 'console.registry.travel',
  method: 'GET',
  path: '/registry/registrants/:id/travel',
  part: 'registry',
  roles,
  params: { id },
  query: { purpose: PURPOSE },
  handle({ params, query, csrf }, deps) {
    const now = new Date(deps.ctx.clock.now()).toISOString().slice(0, 16).replace('T', ' ');
    return Promise.resolve(
      travelFormPage(params.id, csrf, { reportedAt: now, offset: '+00:00' }, {}, query.purpose ?? ''),
    );
  },
});

/** The deadline status as the officer reads it: a warning when late, the rule and its numbers. */
function deadlinePanel(d: DeadlineCheck, minimum: number): Html {
  const warn = d.verdict === 'late' || d.verdict === 'after_departure';
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  return html`${
    warn
      ? html`<div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
          <strong class="govuk-warning-text__text"
            ><span class="govuk-visually-hidden">Warning</span> ${d.message}</strong
          >
        </div>`
      : html`<div class="govuk-inset-text">${d.message}</div>`
  }
  ${summaryList([
    ['Notice given', days(d.daysOfNotice)],
    ['Notice required here', `${days(minimum)} (21 days under US rules, 7 under UK-style rules)`],
    ['On time if reported by', when(d.onTimeIfReportedBy)],
    ['Changes accepted until', when(d.changeDeadline)],
  ])}`;
}

export const travelCheckPage = definePage({
  name: 'console.registry.travelCheck',
  method: 'POST',
  path: '/registry/registrants/:id/travel/check',
  part: 'registry',
  roles,
  params: { id },
  query: {},
  handle({ params, form, csrf }, deps) {
    const purpose = fieldOf(form, 'purpose');
    if (form.step === 'change') return Promise.resolve(travelFormPage(params.id, csrf, form, {}, purpose));
    const parsed = travelOf(form, deps.ctx.clock.now());
    if ('errors' in parsed) return Promise.resolve(travelFormPage(params.id, csrf, form, parsed.errors, purpose, 400));
    const { reportedAt, departureAt, emergency } = parsed.input;
    const d = checkDeadline(deps, { reportedAt, departureAt, emergency });
    const kept = Object.fromEntries(TRAVEL_NAMES.map((n) => [n, form[n] ?? '']));
    const v = (f: string) => fieldOf(form, f);
    return Promise.resolve({
      kind: 'page',
      title: 'Check the travel report',
      body: html`${heading('Check the travel report', 'Registry')}
        <h2 class="govuk-heading-m">Deadline</h2>
        ${deadlinePanel(d, deps.rules.minimumNoticeDays)}
        <h2 class="govuk-heading-m">The travel</h2>
        ${summaryList([
          [TLABEL.reportedAt!, `${v('reportedAt').replace('T', ' ')} UTC`],
          [TLABEL.travelPurpose!, v('travelPurpose')],
          [
            'Flight',
            `${v('flightNumber').toUpperCase()} ${v('from').toUpperCase()} → ${v('to').toUpperCase()}, ${v('departure').replace('T', ' ')} (UTC ${v('offset')})`,
          ],
          [TLABEL.destinations!, v('destinations').toUpperCase()],
          [TLABEL.returnDate!, v('returnDate') || '—'],
          [TLABEL.withChild!, v('withChild') === 'yes' ? 'Yes' : 'No'],
          [TLABEL.emergency!, v('emergency') || '—'],
        ])}
        <div class="govuk-button-group">
          ${postForm(
            `/console/registry/registrants/${params.id}/travel`,
            csrf,
            html`${hiddenFields({ ...kept, purpose })}${button(
              d.late ? 'Record the late travel report' : 'Record the travel report',
              'primary',
              { once: true },
            )}`,
            { once: true },
          )}
          ${postForm(
            `/console/registry/registrants/${params.id}/travel/check`,
            csrf,
            html`${hiddenFields({ ...kept, purpose, step: 'change' })}${button('Change the details', 'secondary')}`,
          )}
        </div>`,
    });
  },
});

export const recordTravelPage = definePage({
  name: 'console.registry.travelRecord',
  method: 'POST',
  path: '/registry/registrants/:id/travel',
  part: 'registry',
  roles,
  params: { id },
  query: {},
  async handle({ principal, params, form, csrf }, deps) {
    const purpose = fieldOf(form, 'purpose');
    const parsed = travelOf(form, deps.ctx.clock.now());
    if ('errors' in parsed) return travelFormPage(params.id, csrf, form, parsed.errors, purpose, 400);
    let r;
    try {
      r = await createTravelReport(deps, principal, params.id, parsed.input.body);
    } catch (err) {
      if (!isTnxError(err, 'invalid_travel_report')) throw err;
      return travelFormPage(params.id, csrf, form, errorsOfRefusal(err, TRAVEL_FIELDS, 'travelPurpose'), purpose, 400);
    }
    const sent = r.sent.map((s) => `${s.destination} (${s.status.replace(/_/g, ' ')})`).join(', ');
    const flash = `Travel report recorded${r.late ? ' and flagged as late' : ''}: ${r.daysOfNotice} days of notice. ${
      sent ? `Travel notifications sent to ${sent}.` : 'No notification was needed.'
    }${r.deduplicated.length ? ` Already notified by another source: ${r.deduplicated.join(', ')}.` : ''}`;
    return { kind: 'redirect', to: purpose ? registrantHref(params.id, purpose) : '/console/registry', flash };
  },
});

/** The deadline status for the script that updates it as the officer types: JSON, no personal data. */
export const deadlinePage = definePage({
  name: 'console.registry.deadline',
  method: 'GET',
  path: '/registry/deadline',
  part: 'registry',
  roles,
  query: {
    reportedAt: { type: 'date-or-instant', required: true },
    departureAt: { type: 'date-or-instant', required: true },
    emergency: { type: 'enum', values: ['true', 'false'] },
  },
  handle({ query }, deps) {
    const d = checkDeadline(deps, {
      reportedAt: query.reportedAt,
      departureAt: query.departureAt,
      emergency: query.emergency === 'true',
    });
    return Promise.resolve({
      kind: 'file',
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ ...d, minimumNoticeDays: deps.rules.minimumNoticeDays }),
    });
  },
});

export const registryPages = [
  searchPage,
  searchPostPage,
  newRegistrantPage,
  createRegistrantPage,
  registrantPage,
  editRegistrantPage,
  updateRegistrantPage,
  travelPage,
  travelCheckPage,
  recordTravelPage,
  deadlinePage,
] as const;
