/**
 * Form fields with GOV.UK's error pattern, for pages whose forms are checked on the server: a field
 * refused gets its message above the input (govuk-error-message) and a link from the page's error
 * summary (`#f-<name>`), and keeps what was typed. Also the purpose question that opens personal data.
 */
import {
  button,
  described,
  errorSummary,
  group,
  heading,
  hintAndError,
  textInput,
  type FieldOptions,
} from '../components.js';
import { html, type Html } from '../html.js';

/** Messages per field name; the order of insertion is the order of the error summary. */
export type FieldErrors = Record<string, string>;

export function summaryOf(errors: FieldErrors): Html {
  return errorSummary(Object.entries(errors).map(([name, text]) => ({ text, href: `#f-${name}` })));
}

/** An input on a form checked on the server: the browser does not offer what it remembers. */
export function inputField(
  name: string,
  label: string,
  value: string | undefined,
  o: Parameters<typeof textInput>[3] = {},
): Html {
  return textInput(name, label, value, { autocomplete: 'off', ...o });
}

/** One line of markup: whatever is between the tags is the value, so no formatter may indent it. */
function textarea(name: string, value: string, error: boolean, by: string | undefined): Html {
  const cls = error ? 'govuk-textarea govuk-textarea--error' : 'govuk-textarea';
  const aria = by ? html` aria-describedby="${by}"` : '';
  return html`<textarea class="${cls}" id="f-${name}" name="${name}" rows="3" ${aria}>${value}</textarea>`;
}

export function textareaField(name: string, label: string, value: string | undefined, o: FieldOptions = {}): Html {
  const by = described(name, o);
  return group(
    o,
    html`<label class="govuk-label" for="f-${name}">${label}</label> ${hintAndError(name, o)}
      ${textarea(name, value ?? '', o.error !== undefined, by)}`,
  );
}

export function selectField(
  name: string,
  label: string,
  options: readonly (readonly [string, string])[],
  value: string | undefined,
  o: FieldOptions = {},
): Html {
  const by = described(name, o);
  return group(
    o,
    html`<label class="govuk-label" for="f-${name}">${label}</label>
      ${hintAndError(name, o)}
      <select
        class="govuk-select${o.error ? ' govuk-select--error' : ''}"
        id="f-${name}"
        name="${name}"
        ${by ? html` aria-describedby="${by}"` : ''}
      >
        ${options.map(([v, l]) => html`<option value="${v}" ${v === value ? html` selected` : ''}>${l}</option>`)}
      </select>`,
  );
}

/** Radios in a fieldset; the first radio has id `f-<name>` so the error summary can reach it. */
export function radiosField(
  name: string,
  legend: string,
  options: readonly (readonly [string, string])[],
  value: string | undefined,
  o: FieldOptions & { inline?: boolean } = {},
): Html {
  const by = described(name, o);
  return group(
    o,
    html`<fieldset class="govuk-fieldset" ${by ? html` aria-describedby="${by}"` : ''}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${legend}</legend>
      ${hintAndError(name, o)}
      <div class="govuk-radios${o.inline ? ' govuk-radios--inline' : ''}" data-module="govuk-radios">
        ${options.map(
          ([v, l], i) =>
            html`<div class="govuk-radios__item">
              <input
                class="govuk-radios__input"
                id="${i === 0 ? `f-${name}` : `f-${name}-${i}`}"
                name="${name}"
                type="radio"
                value="${v}"
                ${v === value ? html` checked` : ''}
              />
              <label class="govuk-label govuk-radios__label" for="${i === 0 ? `f-${name}` : `f-${name}-${i}`}"
                >${l}</label
              >
            </div>`,
        )}
      </div>
    </fieldset>`,
  );
}

/** Hidden fields carrying values from one step of a form to the next. */
export function hiddenFields(values: Readonly<Record<string, string | undefined>>): Html {
  return html`${Object.entries(values).map(([k, v]) =>
    v === undefined ? '' : html`<input type="hidden" name="${k}" value="${v}" />`,
  )}`;
}

/**
 * The question asked before personal data is shown: the purpose is recorded with the reader in the
 * audit trail (the service refuses to open the data without it). A GET form back to `action`.
 */
export function askPurpose(
  action: string,
  opts: { refused: boolean; title: string; what: string; button: string; caption?: string },
): Html {
  const refusal = opts.refused ? 'Give the purpose of this consultation' : undefined;
  return html`${refusal ? errorSummary([{ text: refusal, href: '#f-purpose' }]) : ''}
    ${heading(opts.title, opts.caption)}
    <p class="govuk-body">
      ${opts.what} The purpose you give is recorded with your name in the audit trail before the data is shown.
    </p>
    <form method="get" action="${action}">
      ${textInput('purpose', 'Purpose of the consultation', undefined, {
        hint: 'For example: case 2026-114, border alert for flight BA178',
        width: 20,
        error: refusal,
      })}
      ${button(opts.button)}
    </form>`;
}

/** A posted field, trimmed; '' when absent. */
export function fieldOf(form: Readonly<Record<string, string>>, name: string): string {
  return (form[name] ?? '').trim();
}
