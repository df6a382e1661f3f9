/* global document, fetch, URLSearchParams */
// The travel report form: the deadline status (late report, the registry's minimum notice) shown as
// the officer types the dates, from GET /console/registry/deadline — the same rule function the check
// step and the recorded report use. Progressive enhancement only: without this script the check step
// shows the status before anything is recorded. The DOM is built node by node (no innerHTML, no
// inline style), so the page keeps working under the console's Content-Security-Policy.
const box = document.querySelector('[data-tnx-deadline]');
const form = box?.closest('form');
const field = (name) => form?.querySelector(`[name="${name}"]`);
const LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/;
const OFFSET = /^(Z|[+-]\d{2}:\d{2})$/;
const seconds = (t) => (t.length === 16 ? `${t}:00` : t).replace(' ', 'T');

// The box is a live region: it stays in the accessibility tree (empty, never `hidden`), so a screen
// reader announces what is put in it; a region revealed and filled at once may be announced by none.
function show(status) {
  box.replaceChildren();
  if (!status) return;
  const warn = status.verdict === 'late' || status.verdict === 'after_departure';
  const panel = document.createElement('div');
  if (warn) {
    panel.className = 'govuk-warning-text';
    const icon = document.createElement('span');
    icon.className = 'govuk-warning-text__icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = '!';
    const text = document.createElement('strong');
    text.className = 'govuk-warning-text__text';
    const hidden = document.createElement('span');
    hidden.className = 'govuk-visually-hidden';
    hidden.textContent = 'Warning';
    text.append(hidden, ` ${status.message}`);
    panel.append(icon, text);
  } else {
    panel.className = 'govuk-inset-text';
    panel.textContent = status.message;
  }
  box.append(panel);
}

let asked = 0;
async function update() {
  const reported = (field('reportedAt')?.value ?? '').trim();
  const departure = (field('departure')?.value ?? '').trim();
  const offset = (field('offset')?.value ?? '').trim();
  if (!LOCAL.test(reported) || !LOCAL.test(departure) || !OFFSET.test(offset)) return show(null);
  const query = new URLSearchParams({
    reportedAt: `${seconds(reported)}Z`,
    departureAt: `${seconds(departure)}${offset}`,
    emergency: (field('emergency')?.value ?? '').trim() ? 'true' : 'false',
  });
  const mine = ++asked;
  try {
    const res = await fetch(`${box.dataset.tnxDeadline}?${query}`, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    // An answer overtaken by a later keystroke is dropped.
    if (mine !== asked) return;
    show(res.ok ? await res.json() : null);
  } catch {
    if (mine === asked) show(null);
  }
}

if (box && form) {
  for (const name of ['reportedAt', 'departure', 'offset', 'emergency']) {
    field(name)?.addEventListener('input', update);
    field(name)?.addEventListener('change', update);
  }
  void update();
}
