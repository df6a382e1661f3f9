/**
 * The console's page frame: skip link, the service navigation (service name "TNX gateway" and only the
 * pages the user's roles open), who is signed in with a sign-out button (a POST form with the CSRF
 * token), the main landmark and a footer. No inline script or style anywhere: the page works under
 * `script-src 'self'; style-src 'self'`, and /console/assets/app.mjs sets GOV.UK's `js-enabled` class.
 */
import type { Role } from '../../core/principal.js';
import { postForm, successBanner } from './components.js';
import { html, type Html } from './html.js';

export const SERVICE_NAME = 'TNX gateway';

export interface NavLink {
  href: string;
  label: string;
  current: boolean;
}

export interface LayoutInput {
  title: string;
  body: Html;
  /** Absent on pages shown before sign-in (errors, signed out). */
  user?: { name: string; roles: readonly Role[]; csrf: string };
  nav?: readonly NavLink[];
  flash?: string;
}

const ROLE_LABEL: Readonly<Record<Role, string>> = {
  submitter: 'Submitter',
  poc: 'Point of contact',
  auditor: 'Auditor',
  admin: 'Administrator',
  registry: 'Registry officer',
  screening: 'Screening officer',
};

export function roleLabel(role: Role): string {
  return ROLE_LABEL[role];
}

function serviceNavigation(nav: readonly NavLink[]): Html {
  return html`<section
    aria-label="Service information"
    class="govuk-service-navigation"
    data-module="govuk-service-navigation"
  >
    <div class="govuk-width-container">
      <div class="govuk-service-navigation__container">
        <span class="govuk-service-navigation__service-name"
          ><a href="/console" class="govuk-service-navigation__link">${SERVICE_NAME}</a></span
        >
        ${
          nav.length > 0
            ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper">
                <button
                  type="button"
                  class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                  aria-controls="navigation"
                  hidden
                  aria-hidden="true"
                >
                  Menu
                </button>
                <ul class="govuk-service-navigation__list" id="navigation">
                  ${nav.map((n) =>
                    n.current
                      ? html`<li class="govuk-service-navigation__item govuk-service-navigation__item--active">
                          <a class="govuk-service-navigation__link" href="${n.href}" aria-current="page"
                            ><strong class="govuk-service-navigation__active-fallback">${n.label}</strong></a
                          >
                        </li>`
                      : html`<li class="govuk-service-navigation__item">
                          <a class="govuk-service-navigation__link" href="${n.href}">${n.label}</a>
                        </li>`,
                  )}
                </ul>
              </nav>`
            : ''
        }
      </div>
    </div>
  </section>`;
}

function accountBar(user: NonNullable<LayoutInput['user']>): Html {
  return html`<div class="govuk-width-container tnx-account">
    <p class="govuk-body-s tnx-account__who">
      Signed in as <strong>${user.name}</strong> · ${user.roles.map(roleLabel).join(', ')}
    </p>
    ${postForm('/console/logout', user.csrf, html`<button type="submit" class="govuk-button govuk-button--secondary tnx-account__button" data-module="govuk-button">Sign out</button>`)}
  </div>`;
}

export function layout(input: LayoutInput): Html {
  return html`<!DOCTYPE html>
    <html lang="en" class="govuk-template">
      <head>
        <meta charset="utf-8" />
        <title>${input.title} – ${SERVICE_NAME}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#1d70b8" />
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script type="module" src="/console/assets/app.mjs"></script>
      </head>
      <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
        <header class="govuk-template__header">${serviceNavigation(input.nav ?? [])}</header>
        ${input.user ? accountBar(input.user) : ''}
        <div class="govuk-width-container">
          <main class="govuk-main-wrapper" id="main-content">
            ${input.flash ? successBanner(input.flash) : ''} ${input.body}
          </main>
        </div>
        <footer class="govuk-footer">
          <div class="govuk-width-container">
            <div class="govuk-footer__meta">
              <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <p class="govuk-body-s">
                  ${SERVICE_NAME} — Travel Notification Exchange. What you change here is recorded in the audit trail
                  under your sign-in.
                </p>
              </div>
            </div>
          </div>
        </footer>
      </body>
    </html>`;
}
