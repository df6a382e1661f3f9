/**
 * The registry officer's journey in a real Chromium, against two real gateways (USA keeps the
 * registry; GBR receives what USA notifies) and a real OpenID provider: create a registrant (the
 * server refuses a missing field and an impossible date, keeping what was typed), open it with a
 * purpose (recorded), change it, search for it, and record a travel report that is late — the status
 * shows as the dates are typed (JavaScript), the check step shows it before anything is recorded, and
 * GBR receives the travel notification flagged as late. Search, record and travel report are done
 * with the keyboard alone; the check step is also shown in a browser without JavaScript. axe on every
 * page, no CSP report, screenshots in docs/console/.
 */
import { strict as assert } from 'node:assert';
import type { TravelNotification } from '../../src/domain/protocol/types.js';
import { SEARCH_LIMIT } from '../../src/features/registry/registry-service.js';
import { until } from '../e2e/federation.js';
import { axeViolations, person, shot, signIn, startWorld, type Person, type World, mainText, tabTo } from './world.js';

/** Tab to a text field, replace what it holds by `text`, typed. */
async function typeInto(p: Person, id: string, text: string): Promise<void> {
  await tabTo(p, new RegExp(`\\| ${id}$`));
  await p.page.keyboard.press('Control+A');
  await p.page.keyboard.type(text);
}

async function axeClean(p: Person): Promise<void> {
  assert.deepEqual(await axeViolations(p.page), []);
}

/** "YYYY-MM-DD" `days` from now (UTC). */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('console: registry officer journey (Chromium)', function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld({ national: true });
  });
  after(async () => {
    await world?.close();
  });

  it('create, view with purpose, edit, search, record a late travel report — GBR receives it', async () => {
    const usaUrl = world.usa.url!;
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', '/console/registry');
    assert.equal(new URL(p.page.url()).pathname, '/console/registry');
    const nav = (await p.page.textContent('header nav')) ?? '';
    assert.match(nav, /Registry/);
    assert.doesNotMatch(nav, /Manifests|Deliveries|Audit/);
    await axeClean(p);
    await shot(p.page, 'registry-search');

    // Create: the first try misses the citizenship; what was typed stays.
    await p.page.click('main a:has-text("Create a registrant")');
    await p.page.waitForSelector('#f-family');
    await axeClean(p);
    await shot(p.page, 'registry-create');
    await p.page.fill('#f-family', 'Nowakowski');
    await p.page.fill('#f-given', 'Tadeusz Piotr');
    await p.page.fill('#f-dateOfBirth', '1968-02-30');
    await p.page.check('#f-sex-1');
    await p.page.selectOption('#f-docType', 'passport');
    await p.page.fill('#f-docNumber', 'us5521907');
    await p.page.fill('#f-docState', 'USA');
    await p.page.selectOption('#f-offence', 'child_sexual_abuse_material');
    await p.page.fill('#f-convictedOn', '2015-06-11');
    await p.page.fill('#f-jurisdiction', 'USA-NJ');
    await p.page.fill('#f-sentence', 'Four years, supervised release');
    await p.page.check('#f-victimMinor');
    await p.page.fill('#f-registrationStart', '2019-09-01');
    await p.page.fill('#f-reviewDue', '2031-09-01');
    await p.page.click('button:has-text("Create the registrant")');
    await p.page.waitForSelector('.govuk-error-summary');
    assert.match(await mainText(p), /There is a problem Enter at least one citizenship/);
    assert.equal(await p.page.inputValue('#f-family'), 'Nowakowski', 'what was typed is kept');
    assert.equal(await p.page.inputValue('#f-sentence'), 'Four years, supervised release');
    assert.equal(await p.page.isChecked('#f-sex-1'), true);
    await axeClean(p);
    await shot(p.page, 'registry-create-refused');
    // The second try: an impossible date of birth, refused by the registry's own rules.
    await p.page.fill('#f-citizenships', 'USA, POL');
    await p.page.click('button:has-text("Create the registrant")');
    await p.page.waitForSelector('.govuk-error-summary');
    assert.match(await mainText(p), /Date of birth is not a real calendar date/);
    assert.equal(await p.page.inputValue('#f-citizenships'), 'USA, POL');
    assert.equal(
      (await world.usa.ctx.store.audit.query({ action: 'personal_data.created' }, { limit: 5 })).items.length,
      0,
      'nothing stored',
    );
    await p.page.fill('#f-dateOfBirth', '1968-02-28');
    await p.page.click('button:has-text("Create the registrant")');
    await p.page.waitForSelector('#f-purpose');
    assert.match(await mainText(p), /Registrant created/);
    const id = /\/registry\/registrants\/([^/?]+)/.exec(p.page.url())![1]!;
    assert.match((await p.page.textContent('h1')) ?? '', /Why are you opening this record/);
    assert.doesNotMatch(await mainText(p), /Nowakowski/);
    await axeClean(p);
    await shot(p.page, 'registry-purpose');

    // View, with the purpose recorded.
    await p.page.fill('#f-purpose', 'Registration entered from the court order');
    await p.page.click('button:has-text("Open the record")');
    await p.page.waitForSelector('text=Opened for: Registration entered from the court order');
    let view = await mainText(p);
    assert.match(view, /Nowakowski, Tadeusz Piotr/);
    assert.match(view, /Passport US5521907 \(USA\)/);
    assert.match(view, /Child sexual abuse material/);
    await axeClean(p);
    await shot(p.page, 'registry-registrant');
    const reads = await world.usa.ctx.store.audit.query({ action: 'personal_data.read' }, { limit: 20 });
    assert.ok(
      reads.items.some(
        (e) =>
          /^oidc:/.test(e.actor) &&
          (e.detail as { purpose?: string }).purpose === 'Registration entered from the court order',
      ),
      'the read is recorded with the purpose and the person',
    );

    // Edit: a bad document number is refused and kept; then a real change is saved.
    await p.page.click('main a:has-text("Change the record")');
    await p.page.waitForSelector('#f-family');
    assert.equal(await p.page.inputValue('#f-family'), 'Nowakowski');
    assert.equal(await p.page.inputValue('#f-given'), 'Tadeusz Piotr');
    await p.page.fill('#f-docNumber', 'US-55');
    await p.page.click('button:has-text("Save the changes")');
    await p.page.waitForSelector('.govuk-error-summary');
    assert.match(await mainText(p), /Document number is not in the required form/);
    assert.equal(await p.page.inputValue('#f-docNumber'), 'US-55');
    await axeClean(p);
    await shot(p.page, 'registry-edit-refused');
    await p.page.fill('#f-docNumber', 'US5521907');
    await p.page.fill('#f-given', 'Tadeusz');
    await p.page.fill('#f-reviewDue', '2030-03-01');
    await p.page.click('button:has-text("Save the changes")');
    await p.page.waitForSelector('text=The changes were saved.');
    view = await mainText(p);
    assert.match(view, /Nowakowski, Tadeusz /);
    assert.doesNotMatch(view, /Tadeusz Piotr/);
    assert.match(view, /2030-03-01/);
    const altered = await world.usa.ctx.store.audit.query({ action: 'personal_data.altered' }, { limit: 5 });
    assert.equal(altered.items.length, 1);
    assert.match(altered.items[0]!.actor, /^oidc:/);

    // Keyboard alone from here: search, open, record a late travel report.
    await p.page.goto(`${usaUrl}/console/registry`);
    await typeInto(p, 'f-name', 'Nowakowski');
    await typeInto(p, 'f-purpose', 'Travel report by phone');
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('text=1 registrant found');
    assert.match(await mainText(p), /Nowakowski, Tadeusz\s*1968-02-28\s*Active/);
    await axeClean(p);
    await shot(p.page, 'registry-search-results');
    await tabTo(p, /Open the record of Nowakowski/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('text=Opened for: Travel report by phone');
    await tabTo(p, /^Record travel/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('#f-travelPurpose');
    await typeInto(p, 'f-travelPurpose', 'Family visit');
    await typeInto(p, 'f-carrier', 'BA');
    await typeInto(p, 'f-flightNumber', 'BA178');
    await typeInto(p, 'f-from', 'JFK');
    await typeInto(p, 'f-to', 'LHR');
    await typeInto(p, 'f-departure', `${day(5)} 10:15`);
    await typeInto(p, 'f-offset', '-05:00');
    // As the dates are typed, the deadline status appears (JavaScript, from the console's own endpoint).
    await p.page.waitForSelector('#deadline-status .govuk-warning-text');
    assert.match((await p.page.textContent('#deadline-status')) ?? '', /Late report: [45] days of notice/);
    await typeInto(p, 'f-destinations', 'GBR');
    await tabTo(p, /withChild \| no/);
    await p.page.keyboard.press('Space');
    await axeClean(p);
    await shot(p.page, 'registry-travel');
    await tabTo(p, /^Continue/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('h1:has-text("Check the travel report")');
    const check = await mainText(p);
    assert.match(check, /Warning Late report: [45] days of notice, 1[67] days short; the rule is 21 days of notice/);
    assert.match(check, /Notice required here 21 days/);
    await axeClean(p);
    await shot(p.page, 'registry-travel-check');
    assert.equal((await world.usa.ctx.store.travelReports.listByRegistrant(id)).length, 0, 'not recorded yet');
    await tabTo(p, /Record the late travel report/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('text=Travel report recorded and flagged as late');
    assert.match(await mainText(p), /Travel notifications sent to GBR/);
    await axeClean(p);
    await shot(p.page, 'registry-travel-recorded');

    const [report] = await world.usa.ctx.store.travelReports.listByRegistrant(id);
    assert.ok(report);
    assert.equal(report.late, true);
    assert.match(report.enteredBy, /^oidc:/);
    const received = await until(
      'GBR to receive the travel notification',
      async () =>
        (await world.gbr.ctx.store.inbound.list({ notificationId: report.notificationIds.GBR! }, { limit: 1 }))
          .items[0] ?? null,
      20_000,
    );
    const sent = received.message as TravelNotification;
    assert.equal(sent.report.late, true);
    assert.equal(sent.person.name.family, 'Nowakowski');

    // Another role's page is refused: the screening officer's manifests.
    assert.equal((await p.page.request.get(`${usaUrl}/console/screening/manifests`)).status(), 403);

    await tabTo(p, /Sign out/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForURL((u) => u.origin !== usaUrl || u.pathname === '/console/signed-out');
    if (new URL(p.page.url()).origin !== usaUrl) {
      await p.page.click('button[autofocus], button:has-text("Yes")');
      await p.page.waitForURL(`${usaUrl}/console/signed-out`);
    }
    assert.deepEqual(p.cspViolations, []);
    await p.context.close();
  });

  /** A registrant as the API takes it. */
  const registrantBody = (family: string, given: string[], more: Record<string, unknown> = {}) => ({
    person: {
      name: { family, given },
      dateOfBirth: '1975-08-09',
      sex: 'M',
      citizenships: ['USA'],
      travelDocuments: [],
    },
    convictions: [
      {
        offenceCategory: 'other',
        convictedOn: '2010-01-05',
        jurisdiction: 'USA',
        sentenceSummary: 'Two years',
        victimMinor: true,
        registrationEndsOn: null,
      },
    ],
    registrationStart: '2012-01-01',
    registrationEnd: null,
    status: 'active',
    reviewDue: '2030-01-01',
    ...more,
  });

  /** The registry API as another officer or an import would call it. */
  async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    const res = await fetch(`${world.usa.url!}${path}`, {
      method,
      headers: { authorization: world.national!.registry, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json() };
  }

  async function createThroughApi(body: unknown): Promise<string> {
    const res = await api('POST', '/api/v1/registrants', body);
    assert.equal(res.status, 201);
    return (res.json as { id: string }).id;
  }

  it('a record changed after the form was opened is not overwritten: the page shows it as it is now', async () => {
    const usaUrl = world.usa.url!;
    const id = await createThroughApi(registrantBody('Ferreira', ['Ana']));
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', `/console/registry/registrants/${id}/edit?purpose=Correction`);
    await p.page.waitForSelector('#f-family');
    // Meanwhile another writer (an officer through the API, an import) changes the record.
    const put = await api('PUT', `/api/v1/registrants/${id}`, registrantBody('Ferreira-Lopes', ['Ana']));
    assert.equal(put.status, 200);
    // A refusal of a field first: the form shown again keeps the version it was opened at.
    await p.page.fill('#f-family', '');
    await p.page.click('button:has-text("Save the changes")');
    await p.page.waitForSelector('#f-family-error');
    await p.page.fill('#f-family', 'Ferreira');
    // The stale form is saved: refused with 409, the message in the summary, not on a field.
    await p.page.fill('#f-given', 'Ana Maria');
    const [saved] = await Promise.all([
      p.page.waitForResponse((r) => r.url().endsWith(`/registrants/${id}/edit`) && r.request().method() === 'POST'),
      p.page.click('button:has-text("Save the changes")'),
    ]);
    assert.equal(saved.status(), 409);
    assert.match(await mainText(p), /There is a problem Someone changed this record after you opened it/);
    assert.equal(await p.page.locator('.govuk-form-group--error').count(), 0, 'no field is blamed');
    // The form now holds the record as it is: saving it again as is cannot undo the other change.
    assert.equal(await p.page.inputValue('#f-family'), 'Ferreira-Lopes');
    assert.equal(await p.page.inputValue('#f-given'), 'Ana');
    await axeClean(p);
    await p.page.click('button:has-text("Save the changes")');
    await p.page.waitForSelector('text=The changes were saved.');
    const read = await api('GET', `/api/v1/registrants/${id}?purpose=Test%20check`);
    assert.equal(read.json.person.name.family, 'Ferreira-Lopes', 'the other change is kept');
    await p.context.close();
  });

  it('an edit that leaves the given names alone keeps a given name with a space as one name', async () => {
    const usaUrl = world.usa.url!;
    const id = await createThroughApi(registrantBody('Whitfield', ['Mary Ann', 'Louise']));
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', `/console/registry/registrants/${id}/edit?purpose=Review%20date`);
    await p.page.waitForSelector('#f-reviewDue');
    assert.equal(await p.page.inputValue('#f-given'), 'Mary Ann Louise');
    await p.page.fill('#f-reviewDue', '2031-01-15');
    await p.page.click('button:has-text("Save the changes")');
    await p.page.waitForSelector('text=The changes were saved.');
    const read = await api('GET', `/api/v1/registrants/${id}?purpose=Test%20check`);
    assert.deepEqual(read.json.person.name.given, ['Mary Ann', 'Louise']);
    assert.equal(read.json.reviewDue, '2031-01-15');
    await p.context.close();
  });

  it('a registry reference used by another registrant is refused on that field, the edit kept', async () => {
    const usaUrl = world.usa.url!;
    await createThroughApi(registrantBody('Okafor', ['Chidi'], { externalReference: 'NJ-2010-0001' }));
    const id = await createThroughApi(registrantBody('Brennan', ['Liam'], { externalReference: 'NJ-2010-0002' }));
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', `/console/registry/registrants/${id}/edit?purpose=Correction`);
    await p.page.waitForSelector('#f-externalReference');
    await p.page.fill('#f-given', 'Liam Patrick');
    await p.page.fill('#f-externalReference', 'NJ-2010-0001');
    await p.page.click('button:has-text("Save the changes")');
    await p.page.waitForSelector('.govuk-error-summary');
    assert.match(await mainText(p), /There is a problem Registry reference is already used by another registrant/);
    assert.match(
      (await p.page.textContent('#f-externalReference-error')) ?? '',
      /Registry reference is already used by another registrant/,
    );
    assert.equal(await p.page.inputValue('#f-given'), 'Liam Patrick', 'what was typed is kept');
    assert.equal(await p.page.inputValue('#f-externalReference'), 'NJ-2010-0001');
    await axeClean(p);
    const read = await api('GET', `/api/v1/registrants/${id}?purpose=Test%20check`);
    assert.equal(read.json.externalReference, 'NJ-2010-0002', 'nothing stored');
    await p.context.close();
  });

  it('search: the date-of-birth hint offers what the search takes, and a refused date is marked on its field', async () => {
    const usaUrl = world.usa.url!;
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', '/console/registry');
    assert.equal((await p.page.textContent('#f-dateOfBirth-hint'))?.trim(), 'YYYY-MM-DD, or YYYY for the year');
    await p.page.fill('#f-dateOfBirth', '1968-02');
    await p.page.fill('#f-purpose', 'Check by phone');
    await p.page.click('button:has-text("Search")');
    await p.page.waitForSelector('.govuk-error-summary');
    assert.equal(await p.page.getAttribute('.govuk-error-summary a', 'href'), '#f-dateOfBirth');
    assert.match((await p.page.textContent('#f-dateOfBirth-error')) ?? '', /YYYY-MM-DD, or YYYY/);
    assert.equal(await p.page.locator('#f-name-error').count(), 0, 'not blamed on the name');
    assert.equal(await p.page.inputValue('#f-dateOfBirth'), '1968-02');
    await axeClean(p);
    await p.context.close();
  });

  it('search: results cut at the service limit say so, and how to narrow the search', async () => {
    const usaUrl = world.usa.url!;
    // One more namesake than a search returns, loaded as the registry's bulk import would.
    const lines = Array.from({ length: SEARCH_LIMIT + 1 }, (_, i) =>
      JSON.stringify(registrantBody('Kowalczyk', ['Jan'], { externalReference: `PL-LIMIT-${i}` })),
    );
    const imported = await fetch(`${usaUrl}/api/v1/registrants/import`, {
      method: 'POST',
      headers: { authorization: world.national!.registry, 'content-type': 'application/x-ndjson' },
      body: `${lines.join('\n')}\n`,
    });
    assert.equal(imported.status, 200, await imported.text());
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', '/console/registry');
    const search = async (criteria: Record<string, string>) => {
      for (const [field, value] of Object.entries(criteria)) await p.page.fill(`#f-${field}`, value);
      await Promise.all([
        p.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/console/registry')),
        p.page.click('button:has-text("Search")'),
      ]);
      await p.page.waitForLoadState();
      // Sent by POST: the criteria never reach the address bar, the history or an access log.
      assert.equal(new URL(p.page.url()).search, '');
    };
    await search({ name: 'Kowalczyk', purpose: 'Limit check' });
    await p.page.waitForSelector('table');
    const text = await mainText(p);
    assert.match(text, new RegExp(`The first ${SEARCH_LIMIT} registrants found`));
    assert.match(
      text,
      new RegExp(`Only the first ${SEARCH_LIMIT} matches are shown; there may be more. Narrow the search`),
    );
    assert.equal(await p.page.locator('tbody tr').count(), SEARCH_LIMIT);
    await axeClean(p);
    // A search under the limit says nothing of the kind.
    await search({ dateOfBirth: '1975', documentNumber: 'ZZ0000000', purpose: 'Check' });
    assert.doesNotMatch(await mainText(p), /Only the first/);
    await p.context.close();
  });

  it('an empty purpose is refused on the purpose field itself, which the error summary links to', async () => {
    const usaUrl = world.usa.url!;
    const id = await createThroughApi(registrantBody('Sato', ['Ken']));
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', `/console/registry/registrants/${id}?purpose=%20`);
    await p.page.waitForSelector('.govuk-error-summary');
    assert.equal(await p.page.getAttribute('.govuk-error-summary a', 'href'), '#f-purpose');
    assert.match((await p.page.textContent('#f-purpose-error')) ?? '', /Give the purpose of this consultation/);
    assert.equal(await p.page.locator('.govuk-form-group--error #f-purpose.govuk-input--error').count(), 1);
    assert.match((await p.page.getAttribute('#f-purpose', 'aria-describedby')) ?? '', /f-purpose-error/);
    await axeClean(p);
    await p.context.close();
  });

  it('travel form: an impossible date or offset is refused on its field, everything typed kept', async () => {
    const usaUrl = world.usa.url!;
    const id = await createThroughApi(registrantBody('Haddad', ['Omar']));
    const p = await person(world);
    await signIn(p, usaUrl, 'registry', `/console/registry/registrants/${id}/travel?purpose=Travel%20report`);
    await p.page.waitForSelector('#f-travelPurpose');
    // The deadline status is a live region kept in the accessibility tree, empty until there is a status.
    assert.equal(await p.page.getAttribute('#deadline-status', 'aria-live'), 'polite');
    assert.equal(await p.page.getAttribute('#deadline-status', 'hidden'), null, 'not hidden, so it is announced');
    assert.equal(((await p.page.textContent('#deadline-status')) ?? '').trim(), '');
    await p.page.fill('#f-travelPurpose', 'Conference');
    await p.page.fill('#f-carrier', 'BA');
    await p.page.fill('#f-flightNumber', 'BA178');
    await p.page.fill('#f-from', 'JFK');
    await p.page.fill('#f-to', 'LHR');
    await p.page.fill('#f-destinations', 'GBR');
    await p.page.check('#f-withChild');
    const tryDeparture = async (departure: string, offset: string) => {
      await p.page.fill('#f-departure', departure);
      await p.page.fill('#f-offset', offset);
      const [res] = await Promise.all([
        p.page.waitForResponse((r) => r.url().endsWith('/travel/check') && r.request().method() === 'POST'),
        p.page.click('button:has-text("Continue")'),
      ]);
      assert.equal(res.status(), 400, `${departure} ${offset}`);
      assert.match(await mainText(p), /There is a problem/);
      assert.equal(await p.page.inputValue('#f-departure'), departure, 'what was typed is kept');
      assert.equal(await p.page.inputValue('#f-offset'), offset);
      assert.equal(await p.page.inputValue('#f-travelPurpose'), 'Conference');
      assert.equal(await p.page.inputValue('#f-destinations'), 'GBR');
    };
    // A real departure fills the live region; the region was never hidden.
    await p.page.fill('#f-departure', `${day(40)} 10:15`);
    await p.page.fill('#f-offset', '-05:00');
    await p.page.waitForSelector('#deadline-status .govuk-inset-text');
    assert.equal(await p.page.getAttribute('#deadline-status', 'hidden'), null);
    // Month 13 and an offset of 25 hours: both fields marked, nothing recorded.
    await tryDeparture(`${new Date().getUTCFullYear() + 1}-13-01 10:00`, '+25:00');
    assert.match((await p.page.textContent('#f-departure-error')) ?? '', /real date and time/);
    assert.match((await p.page.textContent('#f-offset-error')) ?? '', /at most 14 hours/);
    assert.equal(await p.page.locator('.govuk-form-group--error').count(), 2);
    await axeClean(p);
    // 30 February is not read as 2 March.
    await tryDeparture(`${new Date().getUTCFullYear() + 1}-02-30 10:00`, '+01:00');
    assert.match((await p.page.textContent('#f-departure-error')) ?? '', /real date and time/);
    assert.equal(await p.page.locator('#f-offset-error').count(), 0);
    assert.equal((await world.usa.ctx.store.travelReports.listByRegistrant(id)).length, 0, 'nothing recorded');
    // Corrected, checked, and recorded with a double click: the button ignores the second click.
    await p.page.fill('#f-departure', `${day(40)} 10:15`);
    await p.page.click('button:has-text("Continue")');
    await p.page.waitForSelector('h1:has-text("Check the travel report")');
    const record = p.page.locator('button:has-text("Record the travel report")');
    assert.equal(await record.getAttribute('data-prevent-double-click'), 'true');
    // What the form sends, to send it again as a browser without JavaScript (or its resend) would.
    const form = record.locator('xpath=ancestor::form');
    const action = new URL((await form.getAttribute('action'))!, usaUrl).href;
    const sent = await form
      .locator('input[type=hidden]')
      .evaluateAll((els) =>
        Object.fromEntries(
          els.map((e) => [
            (e as unknown as { name: string; value: string }).name,
            (e as unknown as { name: string; value: string }).value,
          ]),
        ),
      );
    assert.match(sent._once ?? '', /^[0-9a-f-]{36}$/, 'the form carries a one-time token');
    await record.dblclick();
    await p.page.waitForSelector('text=Travel report recorded');
    assert.equal((await world.usa.ctx.store.travelReports.listByRegistrant(id)).length, 1, 'recorded once');
    // The same form sent again: refused on the server, nothing recorded twice.
    const again = await p.page.request.post(action, { form: sent, maxRedirects: 0 });
    assert.equal(again.status(), 409);
    assert.match(await again.text(), /This form was already sent/);
    assert.equal((await world.usa.ctx.store.travelReports.listByRegistrant(id)).length, 1, 'still once');
    await p.context.close();
  });

  it('without JavaScript the check step shows the deadline status before anything is recorded', async () => {
    const usaUrl = world.usa.url!;
    // A registrant to report for, created through the API.
    const id = await createThroughApi(registrantBody('Lindqvist', ['Bo']));
    // Signed in with JavaScript (the provider's pages are not ours), then the console without it.
    const signedIn = await person(world);
    await signIn(signedIn, usaUrl, 'registry');
    const context = await world.browser.newContext({
      viewport: { width: 1280, height: 800 },
      javaScriptEnabled: false,
      storageState: await signedIn.context.storageState(),
    });
    await signedIn.context.close();
    const p: Person = { context, page: await context.newPage(), cspViolations: [] };
    p.page.setDefaultTimeout(15_000);
    await p.page.goto(`${usaUrl}/console/registry/registrants/${id}/travel?purpose=Travel%20report`);
    assert.match((await p.page.textContent('h1')) ?? '', /Record travel/);
    assert.equal(
      ((await p.page.textContent('#deadline-status')) ?? '').trim(),
      '',
      'no live status without JavaScript',
    );
    await p.page.fill('#f-travelPurpose', 'Work');
    await p.page.fill('#f-carrier', 'BA');
    await p.page.fill('#f-flightNumber', 'BA178');
    await p.page.fill('#f-from', 'JFK');
    await p.page.fill('#f-to', 'LHR');
    await p.page.fill('#f-departure', `${day(40)} 10:15`);
    await p.page.fill('#f-offset', '-05:00');
    await p.page.fill('#f-destinations', 'GBR');
    await p.page.check('#f-withChild');
    // A missing field first: refused, the rest kept.
    await p.page.fill('#f-flightNumber', '');
    await p.page.click('button:has-text("Continue")');
    assert.match(await mainText(p), /There is a problem Enter the flight number/);
    assert.equal(await p.page.inputValue('#f-departure'), `${day(40)} 10:15`);
    await p.page.fill('#f-flightNumber', 'BA178');
    await p.page.click('button:has-text("Continue")');
    await p.page.waitForSelector('h1:has-text("Check the travel report")');
    const check = await mainText(p);
    assert.match(check, /On time: reported (39|40) days before departure; the rule is 21 days of notice/);
    assert.doesNotMatch(check, /Warning/);
    // (axe needs script in the page: the same check page was checked in the journey above.)
    await shot(p.page, 'registry-travel-check-on-time');
    // "Change the details" goes back to the form with everything kept.
    await p.page.click('button:has-text("Change the details")');
    assert.equal(await p.page.inputValue('#f-destinations'), 'GBR');
    assert.equal((await world.usa.ctx.store.travelReports.listByRegistrant(id)).length, 0, 'nothing recorded');
    await context.close();
  });
});
