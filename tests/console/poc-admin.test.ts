/**
 * Journeys of the point of contact and the administrator in a real Chromium, against two real
 * gateways and a real OpenID provider: the PoC reads what GBR sent (purpose first) and reports back —
 * GBR receives the FollowUpReport over the wire; the administrator looks at the partners and the API
 * clients and resends a failed delivery — GBR receives it — with the keyboard alone. axe on every
 * page, no CSP report, screenshots in docs/console/.
 */
import { strict as assert } from 'node:assert';
import request from 'supertest';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { until } from '../e2e/federation.js';
import { axeViolations, person, shot, signIn, startWorld, type Person, type World, mainText } from './world.js';

const HOUR = 3600_000;

async function signOut(p: Person, url: string): Promise<void> {
  await p.page.click('button:has-text("Sign out")');
  await p.page.waitForURL((u) => u.origin !== url || u.pathname === '/console/signed-out');
  if (new URL(p.page.url()).origin !== url) {
    await p.page.click('button[autofocus], button:has-text("Yes")');
    await p.page.waitForURL(`${url}/console/signed-out`);
  }
}

describe('console: point of contact and administrator journeys (Chromium)', function () {
  this.timeout(90_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.close();
  });

  it('PoC: inbox, purpose, message, follow-up — GBR receives the FollowUpReport', async () => {
    const gbrUrl = world.gbr.url!;
    const usaUrl = world.usa.url!;
    const sent = await request(gbrUrl)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${world.gbrM.submitter}`)
      .send(sampleNotification({ origin: 'GBR', destination: 'USA', departureAt: Date.now() + 30 * HOUR }))
      .expect(202);
    const notificationId = sent.body.id as string;
    await until(
      'USA to receive it',
      async () => (await world.usa.ctx.store.inbound.list({ notificationId }, { limit: 1 })).items[0] ?? null,
      15_000,
    );

    const p = await person(world);
    await signIn(p, usaUrl, 'poc', '/console/inbox');
    assert.equal(new URL(p.page.url()).pathname, '/console/inbox');
    assert.match(await mainText(p), /Unread/);
    assert.match(await mainText(p), /GBR — 1 unread of 1/);
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'poc-inbox');

    await p.page.click('main a:has-text("Open")');
    assert.match((await p.page.textContent('h1')) ?? '', /Why are you opening this message/);
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'poc-purpose');
    await p.page.fill('#f-purpose', 'Border alert check, flight ZZ100');
    await p.page.click('button:has-text("Open the message")');
    assert.match((await p.page.textContent('h1')) ?? '', /TravelNotification from GBR/);
    assert.match(await mainText(p), /Opened for: Border alert check, flight ZZ100/);
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'poc-message');
    const reads = await world.usa.ctx.store.audit.query(
      { action: 'personal_data.read', messageId: notificationId },
      { limit: 5 },
    );
    assert.equal(reads.items.length, 1);
    assert.match(reads.items[0]!.actor, /^oidc:/);
    assert.equal((reads.items[0]!.detail as { purpose: string }).purpose, 'Border alert check, flight ZZ100');

    await p.page.selectOption('#f-action', 'interviewed');
    await p.page.fill('#f-note', 'Interviewed on arrival');
    await p.page.click('button:has-text("Send follow-up")');
    assert.equal(new URL(p.page.url()).pathname, '/console/inbox');
    assert.match(await mainText(p), /Follow-up sent \(interviewed\)/);
    assert.match(await mainText(p), /Read/);
    const back = await until(
      'GBR to receive the follow-up',
      async () =>
        (await world.gbr.ctx.store.inbound.list({ notificationId, messageType: 'FollowUpReport' }, { limit: 1 }))
          .items[0] ?? null,
      15_000,
    );
    assert.equal((back.message as { action: string }).action, 'interviewed');
    // A blank purpose is refused, nothing read.
    const inboundId = (await world.usa.ctx.store.inbound.list({ notificationId }, { limit: 1 })).items[0]!.id;
    // An empty parameter is no purpose at all: the form is asked again and nothing is opened.
    const blank = await p.page.request.get(`${usaUrl}/console/inbox/${inboundId}?purpose=`);
    assert.ok([200, 400].includes(blank.status()), `status ${blank.status()}`);
    const blankHtml = await blank.text();
    assert.match(blankHtml, /Purpose of the consultation/);
    assert.doesNotMatch(blankHtml, /Opened for:/);
    await signOut(p, usaUrl);
    assert.deepEqual(p.cspViolations, []);
    await p.context.close();
  });

  it('admin: partners, API clients, and a failed delivery resent with the keyboard alone — GBR receives it', async () => {
    const usaUrl = world.usa.url!;
    const ctx = world.usa.ctx;
    // A delivery GBR once refused for good: submitted for real, then marked failed as the worker would.
    const n = await request(usaUrl)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${world.usaM.submitter}`)
      .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 40 * HOUR }))
      .expect(202);
    const id = n.body.id as string;
    await until(
      'the first delivery',
      async () => ((await ctx.store.outbound.get(id))?.state === 'delivered' ? true : null),
      15_000,
    );
    const delivered = (await ctx.store.outbound.get(id))!;
    const failedRec = await ctx.store.outbound.transition(id, ['delivered'], 'failed', {
      lastError: 'http_503/unavailable',
    });
    assert.ok(failedRec);
    void delivered;

    const p = await person(world);
    await signIn(p, usaUrl, 'admin', '/console/admin/partners');
    assert.match(await mainText(p), /GBR/);
    assert.match(await mainText(p), /Healthy/);
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'admin-partners');

    await p.page.goto(`${usaUrl}/console/admin/api-clients`);
    assert.match(await mainText(p), /Static bearer tokens/);
    assert.match(await mainText(p), /submitter/);
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'admin-api-clients');

    await p.page.goto(`${usaUrl}/console/admin/failed`);
    assert.match(await mainText(p), new RegExp(id));
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'admin-failed');
    // Keyboard only: Tab until the Resend button has the focus, then Enter.
    let focused = '';
    for (let i = 0; i < 60 && !/Resend/.test(focused); i += 1) {
      await p.page.keyboard.press('Tab');
      focused = (await p.page.evaluate('document.activeElement ? document.activeElement.textContent : ""')) as string;
    }
    assert.match(focused, /Resend/);
    // The form posts and comes back to the same URL, so wait for the confirmation, not for the URL.
    await p.page.keyboard.press('Enter');
    await p.page.waitForSelector('text=is being sent again', { timeout: 15_000 });
    assert.match(await mainText(p), /is being sent again/);
    await shot(p.page, 'admin-resent');
    const after = await until(
      'the resend to be delivered',
      async () => {
        const r = await ctx.store.outbound.get(id);
        return r?.state === 'delivered' ? r : null;
      },
      15_000,
    );
    assert.equal(after.jwe, delivered.jwe, 'the same sealed bytes');
    const resent = await ctx.store.audit.query({ action: 'notification.resent', messageId: id }, { limit: 5 });
    assert.equal(resent.items.length, 1);
    assert.match(resent.items[0]!.actor, /^oidc:/);

    // Another role's page is refused.
    const poc = await person(world);
    await signIn(poc, usaUrl, 'poc');
    const refused = await poc.page.request.get(`${usaUrl}/console/admin/partners`);
    assert.equal(refused.status(), 403);
    await poc.context.close();

    await signOut(p, usaUrl);
    assert.deepEqual(p.cspViolations, []);
    await p.context.close();
  });
});
