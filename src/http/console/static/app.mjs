/* global document, HTMLScriptElement */
// GOV.UK Frontend's enhancements. The `js-enabled` class is set here, in an external file, because
// the console's Content-Security-Policy forbids inline script.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) document.body.classList.add('govuk-frontend-supported');
const { initAll } = await import('./govuk-frontend.min.js');
initAll();
// The travel report form shows the deadline rules as the officer types (progressive enhancement:
// without JavaScript the form's check step shows the same status).
if (document.querySelector('[data-tnx-deadline]')) await import('./travel-deadline.mjs');
