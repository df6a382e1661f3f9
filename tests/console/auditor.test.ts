/**
 * The auditor's journey in Chromium against two real gateways exchanging sealed messages: sign in
 * through the provider, find the late deliveries to GBR, open one and read its timeline, verify a range
 * of the audit trail, look at the alerts, sign out. Every page is checked by axe (no serious or
 * critical violation), photographed for docs/console/, and must raise no CSP report. Then the same
 * path by keyboard alone, and a page of another role (403).
 */
import { strict as assert } from 'node:assert';
import request from 'supertest';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { submitMessage } from '../../src/features/submission/submit.js';
import { settled, until } from '../e2e/federation.js';
import { axeViolations, person, shot, signIn, startWorld, type World } from './world.js';

const HOUR = 3600_000;

describe('console: the auditor (Chromium, two gateways)', function () {
  this.timeout(90_000);
  let world: World;
  let lateId: string;
  before(async () => {
    world = await startWorld();
    const submit = async (hoursAhead: number) => {
      const res = await request(world.usa.url!)
        .post('/api/v1/notifications')
        .set('Authorization', `Bearer ${world.usaM.submitter}`)
        .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + hoursAhead * HOUR }))
        .expect(202);
      return (await settled(world.usa, res.body.id as string)).id;
    };
    lateId = await submit(3);
    await submit(72);
    // GBR's point of contact reports back on the late one: the follow-up travels to USA.
    const gbrInbox = await world.gbr.ctx.store.inbound.list({ notificationId: lateId }, { limit: 5 });
    const fu = await request(world.gbr.url!)
      .post(`/api/v1/inbox/${gbrInbox.items[0]!.id}/follow-ups`)
      .set('Authorization', `Bearer ${world.gbrM.poc}`)
      .send({ action: 'entry_denied', actionAt: '2026-12-13T10:22:00+07:00' })
      .expect(202);
    assert.equal((await settled(world.gbr, fu.body.id as string)).state, 'delivered');
    await until('the follow-up stored at USA', async () => {
      const page = await world.usa.ctx.store.inbound.list(
        { notificationId: lateId, messageType: 'FollowUpReport' },
        { limit: 5 },
      );
      return page.items.length ? page.items : null;
    });
  });
  after(async () => {
    await world?.close();
  });

  async function checkPage(p: Awaited<ReturnType<typeof person>>, name: string): Promise<void> {
    assert.deepEqual(await axeViolations(p.page), [], `axe on ${name}`);
    await shot(p.page, name);
  }

  it('filters late deliveries to GBR, opens the timeline, verifies the trail, sees alerts', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await signIn(p, url, 'auditor');
    await p.page.click('nav a:has-text("Deliveries")');
    await checkPage(p, 'deliveries');
    await p.page.fill('#f-partner', 'GBR');
    await p.page.selectOption('#f-timeliness', 'late');
    await p.page.click('button:has-text("Apply filters")');
    await p.page.waitForURL(/timeliness=late/);
    const rows = p.page.locator('tbody tr');
    assert.equal(await rows.count(), 1, 'one late delivery to GBR');
    assert.match((await rows.first().textContent()) ?? '', /late/);
    await checkPage(p, 'deliveries-filtered');
    const csv = await p.page.request.get(`${url}/console/deliveries.csv?partner=GBR&timeliness=late`);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'] ?? '', /text\/csv/);
    assert.match(await csv.text(), new RegExp(lateId));

    await rows.first().locator('a').click();
    await p.page.waitForURL(`${url}/console/deliveries/${lateId}`);
    const main = ((await p.page.textContent('main')) ?? '').replace(/\s+/g, ' ');
    assert.match(main, /Timeline/);
    assert.match(main, /Attempt 1: delivered, HTTP 200/);
    assert.match(main, /Receipt from GBR verified/);
    assert.match(main, /Audit events about this message/);
    // The follow-up GBR reported back sits on the timeline, with when it came and what was done.
    assert.match(
      main,
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC ?Follow-up from GBR received: entry denied \(action taken 2026-12-13 10:22:00\+07:00\)/,
    );
    assert.match(main, /Follow-ups received entry denied/);
    await checkPage(p, 'delivery-detail');

    await p.page.click('nav a:has-text("Audit trail")');
    const integrity = async () => ((await p.page.textContent('dl.govuk-summary-list')) ?? '').replace(/\s+/g, ' ');
    assert.match(await integrity(), /Last verification none recorded yet/);
    await p.page.click('button:has-text("Verify range")');
    await p.page.waitForURL(`${url}/console/audit/verify`);
    assert.match((await p.page.textContent('main')) ?? '', /The range verifies/);
    await checkPage(p, 'audit-verify');
    // Back on the trail, the verification just made is its last one: result, range, time and who.
    await p.page.click('a:has-text("Back to the audit trail")');
    assert.match(
      await integrity(),
      /Last verification intact events \d+ to \d+, verified \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by oidc:auditor/,
    );
    assert.match(await integrity(), /Last signed checkpoint (event \d+, signed|none yet)/);
    await checkPage(p, 'audit');

    await p.page.click('nav a:has-text("Alerts")');
    await checkPage(p, 'alerts');
    await p.context.close();
  });

  it('statistics: charts drawn as SVG images that render under the CSP, each with a table and CSV; sign out', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await signIn(p, url, 'auditor');
    await p.page.click('nav a:has-text("Statistics")');
    await p.page.waitForURL(`${url}/console/statistics`);
    const img = p.page.locator('img.tnx-chart').first();
    await img.waitFor();
    // Every chart image decodes and has a size: rendered by the browser under the console's CSP.
    await p.page.waitForFunction(
      "[...document.querySelectorAll('img.tnx-chart')].every((i) => i.complete && i.naturalWidth > 100)",
      undefined,
      { timeout: 15_000 },
    );
    const svg = await p.page.request.get(url + ((await img.getAttribute('src')) ?? ''));
    assert.match(svg.headers()['content-type'] ?? '', /^image\/svg\+xml/);
    assert.match(await svg.text(), /^<svg/);
    const csv = await p.page.request.get(
      url + ((await p.page.locator('a:has-text("per destination")').first().getAttribute('href')) ?? ''),
    );
    assert.match(await csv.text(), /^label,notifications\r\nGBR,2\r\n/);
    await checkPage(p, 'statistics');

    await p.page.click('button:has-text("Sign out")');
    await p.page.waitForURL((u) => u.origin !== url || u.pathname === '/console/signed-out');
    if (new URL(p.page.url()).origin !== url) {
      await p.page.click('button[autofocus]');
      await p.page.waitForURL(`${url}/console/signed-out`);
    }
    assert.deepEqual(p.cspViolations, []);
    await p.context.close();
  });

  it('the same journey by keyboard alone (Tab and Enter)', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await signIn(p, url, 'auditor');
    // Tab from the top of the page until the Deliveries link has focus, then Enter.
    const tabTo = async (text: string) => {
      for (let i = 0; i < 40; i++) {
        await p.page.keyboard.press('Tab');
        const focused = await p.page.evaluate('document.activeElement && document.activeElement.textContent');
        if (typeof focused === 'string' && focused.trim() === text) return;
      }
      throw new Error(`no focusable "${text}"`);
    };
    await tabTo('Deliveries');
    await p.page.keyboard.press('Enter');
    await p.page.waitForURL(`${url}/console/deliveries`);
    await tabTo('Audit trail');
    await p.page.keyboard.press('Enter');
    await p.page.waitForURL(`${url}/console/audit`);
    await tabTo('Verify range');
    await p.page.keyboard.press('Enter');
    await p.page.waitForURL(`${url}/console/audit/verify`);
    assert.match((await p.page.textContent('main')) ?? '', /The range verifies/);
    await tabTo('Sign out');
    await p.page.keyboard.press('Enter');
    await p.page.waitForURL((u) => u.origin !== url || u.pathname === '/console/signed-out');
    await p.context.close();
  });

  it('follow-ups reported back are shown to the PoC, auditors and admins, not to the submitter', async () => {
    const url = world.usa.url!;
    // A notification the console's submitter made (the principal a console session gives it).
    const mine = await submitMessage(
      { ctx: world.usa.ctx, queue: world.usa.queue },
      {
        principal: { id: 'oidc:submitter', role: 'submitter' },
        idempotencyKey: null,
        body: sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 48 * HOUR }),
        expect: 'TravelNotification',
      },
    );
    await settled(world.usa, mine.id);
    const gbrInbox = await world.gbr.ctx.store.inbound.list({ notificationId: mine.id }, { limit: 5 });
    await request(world.gbr.url!)
      .post(`/api/v1/inbox/${gbrInbox.items[0]!.id}/follow-ups`)
      .set('Authorization', `Bearer ${world.gbrM.poc}`)
      .send({ action: 'interviewed', actionAt: '2026-12-14T08:00:00Z' })
      .expect(202);
    await until('the follow-up stored at USA', async () => {
      const page = await world.usa.ctx.store.inbound.list(
        { notificationId: mine.id, messageType: 'FollowUpReport' },
        { limit: 5 },
      );
      return page.items.length ? page.items : null;
    });
    const timeline = async (login: string) => {
      const p = await person(world);
      await signIn(p, url, login);
      const res = await p.page.goto(`${url}/console/deliveries/${mine.id}`);
      assert.equal(res?.status(), 200, login);
      const main = ((await p.page.textContent('main')) ?? '').replace(/\s+/g, ' ');
      await p.context.close();
      return main;
    };
    const submitter = await timeline('submitter');
    assert.match(submitter, /Receipt from GBR verified/, 'the submitter sees its delivery');
    assert.doesNotMatch(submitter, /Follow-up|interviewed/i, 'but not what the destination did about the person');
    assert.match(await timeline('poc'), /Follow-up from GBR received: interviewed/);
    assert.match(await timeline('auditor'), /Follow-ups received interviewed/);
  });

  it('a page of another role is 403, and the navigation does not offer it', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await signIn(p, url, 'poc');
    assert.equal(await p.page.locator('nav a:has-text("Audit trail")').count(), 0);
    const res = await p.page.goto(`${url}/console/audit`);
    assert.equal(res?.status(), 403);
    assert.match((await p.page.textContent('main')) ?? '', /You cannot open this page/);
    await checkPage(p, 'forbidden');
    await p.context.close();
  });
});

describe('console: session expiry (Chromium)', function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await startWorld({ console: { idleTimeoutSeconds: 5, absoluteTimeoutSeconds: 10 } });
  });
  after(async () => {
    await world?.close();
  });

  it('an idle session and an old one both send the browser back to sign in', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await signIn(p, url, 'auditor');
    // Idle: nothing for longer than the idle bound.
    await new Promise((r) => setTimeout(r, 5_500));
    let res = await p.page.request.get(`${url}/console`, { maxRedirects: 0 });
    assert.equal(res.status(), 303);
    assert.match(res.headers().location ?? '', /^\/console\/login/);
    // Absolute: kept busy every 2 s, still ends 10 s after sign-in.
    await signIn(p, url, 'auditor');
    const started = Date.now();
    let status = 200;
    while (Date.now() - started < 12_000 && status === 200) {
      await new Promise((r) => setTimeout(r, 2_000));
      res = await p.page.request.get(`${url}/console`, { maxRedirects: 0 });
      status = res.status();
    }
    assert.equal(status, 303, 'the absolute bound ends a busy session');
    assert.ok(Date.now() - started >= 9_000, 'not before the absolute bound');
    await p.context.close();
  });
});
