/**
 * GOV.UK Frontend components the console's pages share, as html`` functions: the CSRF field every
 * form carries, buttons, tables, summary lists, tags, the pager of cursor-paged lists, error summaries.
 * Markup follows the design system's documented HTML so its CSS and accessibility hold.
 */
import { randomUUID } from 'node:crypto';
import { html, type Html, type Interpolation } from './html.js';

/** The synchronizer token: every console form has it, every POST is refused without it. */
export const CSRF_FIELD = '_csrf';

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}" />`;
}

/** A POST form with its CSRF field; `body` holds the fields and the button. */
/**
 * A POST form carrying the session's CSRF token. `once`: a form that creates something (a record, a
 * report) also carries a token of its own, which the console takes on the first send and refuses
 * after (409): a page sent twice — a double click without JavaScript, the browser's resend, the back
 * button — records once.
 */
export function postForm(
  action: string,
  csrf: string,
  body: Interpolation,
  attrs: { novalidate?: boolean; once?: boolean } = {},
): Html {
  const once = attrs.once ? html`<input type="hidden" name="${ONCE_FIELD}" value="${randomUUID()}" />` : '';
  return html`<form method="post" action="${action}" ${attrs.novalidate ? html` novalidate` : ''}>
    ${csrfField(csrf)}${once}${body}
  </form>`;
}

export const ONCE_FIELD = '_once';
/** What a one-time token looks like (a UUID as postForm writes it). */
export const ONCE_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A submit button. `once`: a button that creates something (a record, a report) ignores a second click
 * made while the first is being sent (GOV.UK Frontend's data-prevent-double-click, with JavaScript).
 */
export function button(
  text: string,
  variant: 'primary' | 'secondary' | 'warning' = 'primary',
  o: { once?: boolean } = {},
): Html {
  const cls = variant === 'primary' ? 'govuk-button' : `govuk-button govuk-button--${variant}`;
  const once = o.once ? html` data-prevent-double-click="true"` : '';
  // One line: the text is the button's whole content, with no white space around it.
  return html`<button type="submit" class="${cls}" data-module="govuk-button" ${once}>${text}</button>`;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => Interpolation;
  numeric?: boolean;
}

export function table<T>(
  caption: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  empty = 'Nothing to show.',
): Html {
  if (rows.length === 0) return html`<p class="govuk-body">${empty}</p>`;
  const num = (c: Column<T>) => (c.numeric ? ' govuk-table__cell--numeric' : '');
  return html`<table class="govuk-table">
    <caption class="govuk-table__caption govuk-table__caption--m">
      ${caption}
    </caption>
    <thead class="govuk-table__head">
      <tr class="govuk-table__row">
        ${columns.map(
          (c) =>
            html`<th scope="col" class="govuk-table__header${c.numeric ? ' govuk-table__header--numeric' : ''}">
              ${c.header}
            </th>`,
        )}
      </tr>
    </thead>
    <tbody class="govuk-table__body">
      ${rows.map(
        (r) =>
          html`<tr class="govuk-table__row">
            ${columns.map((c) => html`<td class="govuk-table__cell${num(c)}">${c.cell(r)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function summaryList(rows: readonly (readonly [string, Interpolation])[]): Html {
  return html`<dl class="govuk-summary-list">
    ${rows.map(
      ([k, v]) =>
        html`<div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">${k}</dt>
          <dd class="govuk-summary-list__value">${v}</dd>
        </div>`,
    )}
  </dl>`;
}

export type TagColour =
  'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export function tag(text: string, colour?: TagColour): Html {
  return html`<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ''}">${text}</strong>`;
}

export function link(href: string, text: Interpolation): Html {
  return html`<a class="govuk-link" href="${href}">${text}</a>`;
}

/** A link to a message's delivery timeline by the start of its id, or a dash when there is none. */
export function messageLink(messageId: string | null | undefined): Html | string {
  return messageId
    ? link(
        `/console/deliveries/${encodeURIComponent(messageId)}`,
        html`<span class="govuk-visually-hidden">Open message </span>${messageId.slice(0, 8)}…`,
      )
    : '—';
}

/** A path with a query string, leaving out empty values. */
export function withQuery(path: string, query: Readonly<Record<string, string | number | undefined | null>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Cursor paging (the store's Page.next): "Next page" carries the cursor with the same filters,
 * "First page" drops it. Cursors only go forward, as the API's Link header does.
 */
export function pager(
  path: string,
  filters: Readonly<Record<string, string | undefined>>,
  cursor: string | undefined,
  next: string | null,
): Html {
  if (!cursor && !next) return html``;
  return html`<nav class="govuk-pagination govuk-pagination--block" aria-label="Pages">
    ${
      cursor
        ? html`<div class="govuk-pagination__prev">
            <a class="govuk-link govuk-pagination__link" href="${withQuery(path, filters)}" rel="first"
              ><span class="govuk-pagination__link-title">First page</span></a
            >
          </div>`
        : ''
    }
    ${
      next
        ? html`<div class="govuk-pagination__next">
            <a
              class="govuk-link govuk-pagination__link"
              href="${withQuery(path, { ...filters, cursor: next })}"
              rel="next"
              ><span class="govuk-pagination__link-title">Next page</span></a
            >
          </div>`
        : ''
    }
  </nav>`;
}

/** A notification banner for a confirmation (flash message). */
export function successBanner(text: string): Html {
  return html`<div
    class="govuk-notification-banner govuk-notification-banner--success"
    role="alert"
    aria-labelledby="flash-title"
    data-module="govuk-notification-banner"
  >
    <div class="govuk-notification-banner__header">
      <h2 class="govuk-notification-banner__title" id="flash-title">Done</h2>
    </div>
    <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${text}</p></div>
  </div>`;
}

/** An error summary at the top of a page whose form or query was refused. */
export function errorSummary(messages: readonly { text: string; href?: string }[]): Html {
  if (messages.length === 0) return html``;
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary">
    <div role="alert">
      <h2 class="govuk-error-summary__title">There is a problem</h2>
      <div class="govuk-error-summary__body">
        <ul class="govuk-list govuk-error-summary__list">
          ${messages.map((m) => html`<li>${m.href ? html`<a href="${m.href}">${m.text}</a>` : m.text}</li>`)}
        </ul>
      </div>
    </div>
  </div>`;
}

export function heading(text: string, caption?: string): Html {
  return html`${caption ? html`<span class="govuk-caption-l">${caption}</span>` : ''}
    <h1 class="govuk-heading-l">${text}</h1>`;
}

/** A select of `options` ([value, label]), the current value selected; '' is "Any". */
export function select(
  name: string,
  label: string,
  options: readonly (readonly [string, string])[],
  current: string | undefined,
): Html {
  return html`<div class="govuk-form-group">
    <label class="govuk-label" for="f-${name}">${label}</label>
    <select class="govuk-select" id="f-${name}" name="${name}">
      <option value="">Any</option>
      ${options.map(([v, l]) => html`<option value="${v}" ${v === current ? html` selected` : ''}>${l}</option>`)}
    </select>
  </div>`;
}

/** What a form field may carry besides its value: a hint, and the message of a refusal. */
export interface FieldOptions {
  hint?: string;
  error?: string | undefined;
}

/** The ids the input is described by: its hint and its error message, when present. */
export function described(name: string, o: FieldOptions): string | undefined {
  const ids = [o.hint ? `f-${name}-hint` : '', o.error ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

export function hintAndError(name: string, o: FieldOptions): Html {
  return html`${o.hint ? html`<div id="f-${name}-hint" class="govuk-hint">${o.hint}</div>` : ''}
  ${
    o.error
      ? html`<p id="f-${name}-error" class="govuk-error-message">
          <span class="govuk-visually-hidden">Error:</span> ${o.error}
        </p>`
      : ''
  }`;
}

/** A form group, marked as refused (GOV.UK's error pattern) when the field carries an error. */
export function group(o: FieldOptions, body: Interpolation): Html {
  return html`<div class="govuk-form-group${o.error ? ' govuk-form-group--error' : ''}">${body}</div>`;
}

/**
 * A text, date or date-time input with its label, hint and (on forms checked on the server) error.
 * Filter forms leave `autocomplete` to the browser; forms that take personal data set it.
 */
export function textInput(
  name: string,
  label: string,
  value: string | undefined,
  o: FieldOptions & {
    type?: 'text' | 'date' | 'datetime-local';
    width?: 2 | 3 | 4 | 5 | 10 | 20;
    autocomplete?: string;
  } = {},
): Html {
  const by = described(name, o);
  const cls = `govuk-input${o.width ? ` govuk-input--width-${o.width}` : ''}${o.error ? ' govuk-input--error' : ''}`;
  return group(
    o,
    html`<label class="govuk-label" for="f-${name}">${label}</label>
      ${hintAndError(name, o)}
      <input
        class="${cls}"
        id="f-${name}"
        name="${name}"
        type="${o.type ?? 'text'}"
        value="${value ?? ''}"
        ${by ? html` aria-describedby="${by}"` : ''}
        ${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}
      />`,
  );
}
