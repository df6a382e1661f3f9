/** Pages shown outside the page table: refusals, errors, signed out, the hop after sign-in. */
import { heading, link } from '../components.js';
import { html, type Html } from '../html.js';

export function forbiddenBody(reason: string): Html {
  return html`${heading('You cannot open this page')}
    <p class="govuk-body">${reason}</p>
    <p class="govuk-body">${link('/console', 'Go to your pages')}</p>`;
}

export function errorBody(title: string, message: string): Html {
  return html`${heading(title)}
    <p class="govuk-body">${message}</p>
    <p class="govuk-body">${link('/console', 'Go to your pages')}</p>`;
}

export function signedOutBody(): Html {
  return html`${heading('You have signed out')}
    <p class="govuk-body">Your console session has ended.</p>
    <p class="govuk-body">${link('/console', 'Sign in again')}</p>`;
}

export function noRoleBody(): Html {
  return html`${heading('Your account has no TNX role')}
    <p class="govuk-body">
      You signed in, but your organisation's identity provider gives your account none of the roles the console knows
      (submitter, point of contact, auditor, administrator, registry officer, screening officer).
    </p>
    <p class="govuk-body">Ask your administrator to grant you a role, then ${link('/console', 'sign in again')}.</p>`;
}

export function signInFailedBody(): Html {
  return html`${heading('Sign-in did not complete')}
    <p class="govuk-body">
      The answer from the identity provider could not be accepted (it may have expired, or been used already).
    </p>
    <p class="govuk-body">${link('/console', 'Try signing in again')}</p>`;
}
