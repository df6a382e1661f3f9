/** The home page: the pages the signed-in person's roles open, each with what it is for. */
import { heading, link } from '../components.js';
import { html } from '../html.js';
import type { NavEntry } from '../page.js';

/** A page the user may open, with its address. */
export interface HomeEntry extends NavEntry {
  href: string;
}

export function homeBody(name: string, roles: readonly string[], entries: readonly HomeEntry[]) {
  return html`${heading(`Welcome, ${name}`, 'TNX gateway console')}
    <p class="govuk-body">You are signed in as ${roles.join(', ')}. These are the pages your roles open:</p>
    ${
      entries.length === 0
        ? html`<p class="govuk-body">None of the console's pages is open to your roles yet.</p>`
        : html`<ul class="govuk-list">
            ${entries.map(
              (e) =>
                html`<li>
                  <h2 class="govuk-heading-s govuk-!-margin-bottom-1">${link(e.href, e.label)}</h2>
                  <p class="govuk-body">${e.description}</p>
                </li>`,
            )}
          </ul>`
    }`;
}
