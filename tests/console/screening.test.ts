/**
 * The screening officer's journey in a real Chromium, against two real gateways (USA keeps the
 * registry and screens manifests; GBR receives what USA notifies) and a real OpenID provider: a
 * registrant is created and a manifest carrying them is uploaded through the API, so there is a real
 * candidate; the officer opens the manifest list, gives the purpose, compares passenger and registrant
 * side by side with the score explained, confirms with a reason — the case opens and GBR receives the
 * travel notification over the wire — and sees the case in the list, with the keyboard alone. axe on
 * every page, no CSP report, screenshots in docs/console/.
 */
import { strict as assert } from 'node:assert';
import { until } from '../e2e/federation.js';
import { call, jfkLocal, registrantBody } from '../manifests/setup.js';
import { axeViolations, person, shot, signIn, startWorld, type World, mainText, tabTo } from './world.js';

describe('console: screening officer journey (Chromium)', function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld({ national: true });
  });
  after(async () => {
    await world?.close();
  });

  it('manifests, purpose, side by side, confirm with a reason — case opened, GBR notified — keyboard alone', async () => {
    const usaUrl = world.usa.url!;
    const auth = world.national!;
    const body = registrantBody({
      family: 'Kowalczyk',
      given: ['Wojciech', 'Adam'],
      dateOfBirth: '1971-05-17',
      passport: 'PL7734021',
    });
    const created = await call<{ id: string }>(`${usaUrl}/api/v1/registrants`, { auth: auth.registry, body });
    assert.equal(created.status, 201, created.text);
    const manifest = {
      flight: {
        carrier: 'BA',
        flightNumber: 'BA0178',
        departureAirport: 'JFK',
        arrivalAirport: 'LHR',
        scheduledDeparture: jfkLocal(10),
        scheduledArrival: null,
      },
      passengers: [
        {
          role: 'passenger',
          familyName: 'HARTLEY',
          givenNames: ['ALICE'],
          sex: 'F',
          dateOfBirth: '1990-02-03',
          nationality: 'CAN',
          documents: [{ type: 'passport', number: 'CA77331', issuingState: 'CAN', expiresOn: null }],
        },
        {
          role: 'passenger',
          familyName: 'KOVALCHYK',
          givenNames: ['WOJCIECH'],
          sex: 'M',
          dateOfBirth: '1971-05-17',
          nationality: 'USA',
          documents: [{ type: 'passport', number: 'PL7734021', issuingState: 'USA', expiresOn: null }],
        },
      ],
    };
    // The screening index is built at start-up: until then the gateway answers 503.
    const uploaded = await until(
      'the manifest to be screened',
      async () => {
        const r = await call<{ id: string; candidates: { id: string; registrantId: string }[] }>(
          `${usaUrl}/api/v1/manifests`,
          { auth: auth.screening, body: manifest },
        );
        return r.status === 201 ? r.body : null;
      },
      20_000,
    );
    assert.equal(uploaded.candidates.length, 1);
    assert.equal(uploaded.candidates[0]!.registrantId, created.body.id);

    const p = await person(world);
    await signIn(p, usaUrl, 'screening', '/console/screening/manifests');
    assert.equal(new URL(p.page.url()).pathname, '/console/screening/manifests');
    const list = await mainText(p);
    assert.match(list, /BA0178 JFK → LHR/);
    assert.match(list, /1 waiting on this page/);
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'screening-manifests');
    // The navigation lists the screening pages and not the registry's or an auditor's.
    const nav = (await p.page.textContent('header nav')) ?? '';
    assert.match(nav, /Manifests/);
    assert.match(nav, /Cases/);
    assert.doesNotMatch(nav, /Registry|Deliveries|Audit/);

    // Keyboard alone from here: Tab to the manifest's link, Enter.
    await tabTo(p, /Open manifest of BA0178/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('#f-purpose');
    assert.match((await p.page.textContent('h1')) ?? '', /Why are you opening this manifest/);
    assert.doesNotMatch(await mainText(p), /KOVALCHYK|Kowalczyk/, 'no personal data before the purpose');
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'screening-purpose');
    await tabTo(p, /f-purpose/);
    await p.page.keyboard.type('Pre-departure screening of BA0178');
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('text=Opened for: Pre-departure screening of BA0178');

    const view = await mainText(p);
    assert.match(view, /KOVALCHYK, WOJCIECH/, 'the passenger');
    assert.match(view, /Kowalczyk, Wojciech Adam/, 'the registrant beside them');
    assert.match(view, /A travel document number identical/, view);
    assert.doesNotMatch(view, /HARTLEY/, 'the other passengers are never shown');
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'screening-manifest');
    const reads = await world.usa.ctx.store.audit.query({ action: 'personal_data.read' }, { limit: 20 });
    assert.ok(
      reads.items.some(
        (e) =>
          /^oidc:/.test(e.actor) && (e.detail as { purpose?: string }).purpose === 'Pre-departure screening of BA0178',
      ),
      'the read is recorded with the purpose and the person',
    );

    // A decision without a reason is refused, the choice kept, nothing recorded.
    await tabTo(p, /decision-1 \| confirmed/);
    await p.page.keyboard.press('Space');
    await tabTo(p, /Record the decision on candidate 1/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('.govuk-error-summary');
    assert.match(await mainText(p), /Give the reason for your decision/);
    assert.equal(await p.page.isChecked('#f-decision-1'), true, 'the choice is kept');
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'screening-decision-refused');
    const stillPending = await world.usa.ctx.store.manifests.getCandidate(uploaded.id, uploaded.candidates[0]!.id);
    assert.equal(stillPending?.decision, 'pending');

    await tabTo(p, /f-reason-1/);
    await p.page.keyboard.type('Passport number and date of birth agree; name is a transliteration');
    await tabTo(p, /Record the decision on candidate 1/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('text=confirmed: case');
    const after = await mainText(p);
    assert.match(after, /Candidate 1 confirmed: case [0-9a-f-]+ opened, and a travel notification to GBR submitted/);
    assert.match(after, /Case opened/);
    assert.match(after, /Passport number and date of birth agree/);
    await shot(p.page, 'screening-confirmed');

    const cases = await world.usa.ctx.store.cases.list({ registrantId: created.body.id }, { limit: 5, cursor: null });
    assert.equal(cases.items.length, 1);
    const kase = cases.items[0]!;
    assert.match(kase.openedBy, /^oidc:/);
    assert.equal(kase.notification, 'submitted');
    const received = await until(
      'GBR to receive the travel notification',
      async () =>
        (await world.gbr.ctx.store.inbound.list({ notificationId: kase.notificationId! }, { limit: 1 })).items[0] ??
        null,
      20_000,
    );
    assert.equal(received.messageType, 'TravelNotification');

    // The cases list, from the navigation.
    await tabTo(p, /^Cases/);
    await p.page.keyboard.press('Enter');
    await p.page.waitForURL(`${usaUrl}/console/screening/cases`);
    const casesText = await mainText(p);
    assert.match(casesText, /BA0178 JFK → LHR/);
    assert.match(casesText, /GBR/);
    assert.match(casesText, /Travel notification submitted/);
    assert.ok(casesText.includes(kase.id.slice(0, 8)));
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'screening-cases');

    // Another role's page is refused: the registry officer's search.
    const refused = await p.page.request.get(`${usaUrl}/console/registry`);
    assert.equal(refused.status(), 403);

    // Sign out with the keyboard too.
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
});
