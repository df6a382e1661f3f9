/**
 * The console's frame in a real Chromium against two real gateways and a real OpenID provider:
 * sign-in through the provider's forms, the session cookie's flags, the headers, the navigation by
 * role, a page of another role (403), a forged form (403), sign-out through the provider, and no
 * serious accessibility violation or CSP report on any page.
 */
import { strict as assert } from 'node:assert';
import { axeViolations, person, shot, signIn, startWorld, type World } from './world.js';

describe('console: sign-in, session, frame (Chromium)', function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(async () => {
    await world?.close();
  });

  it('signs in through the provider, sets a strict session cookie, and shows the home page', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await signIn(p, url, 'auditor');
    assert.equal(new URL(p.page.url()).pathname, '/console');
    assert.match((await p.page.textContent('main')) ?? '', /Welcome, Test auditor/);
    assert.match((await p.page.textContent('.tnx-account')) ?? '', /Auditor/);
    const cookies = await p.context.cookies(url);
    const session = cookies.find((c) => c.name === 'tnx_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/');
    // Loopback http in development: the one case Secure is relaxed.
    assert.equal(session.secure, false);
    const res = await p.page.request.get(`${url}/console`);
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers()['cache-control'], 'no-store');
    assert.equal(res.headers()['referrer-policy'], 'no-referrer');
    assert.deepEqual(await axeViolations(p.page), []);
    await shot(p.page, 'home');
    assert.deepEqual(p.cspViolations, []);
    await p.context.close();
  });

  it('without a session a page sends the browser to sign in and back to the page asked for', async () => {
    const p = await person(world);
    const res = await p.page.request.get(`${world.usa.url!}/console/no-such-page?x=1`, { maxRedirects: 0 });
    assert.equal(res.status(), 303);
    assert.equal(res.headers().location, '/console/login?return=%2Fconsole%2Fno-such-page%3Fx%3D1');
    await p.context.close();
  });

  it('a forged form without the CSRF token is refused with 403, and sign-out works with it', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await signIn(p, url, 'admin');
    const forged = await p.page.request.post(`${url}/console/logout`, {
      form: { _csrf: 'not-the-token' },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    assert.match(await forged.text(), /security token/);
    const none = await p.page.request.post(`${url}/console/logout`, { form: {}, maxRedirects: 0 });
    assert.equal(none.status(), 403);
    // Still signed in after both refusals.
    await p.page.goto(`${url}/console`);
    assert.match((await p.page.textContent('main')) ?? '', /Welcome/);
    // The real button: through the provider's end-session confirmation, back to "signed out".
    await p.page.click('button:has-text("Sign out")');
    await p.page.waitForURL((u) => u.origin !== url || u.pathname === '/console/signed-out');
    if (new URL(p.page.url()).origin !== url) {
      await p.page.click('button[autofocus], button:has-text("Yes")');
      await p.page.waitForURL(`${url}/console/signed-out`);
    }
    assert.match((await p.page.textContent('main')) ?? '', /You have signed out/);
    await shot(p.page, 'signed-out');
    const after = await p.page.request.get(`${url}/console`, { maxRedirects: 0 });
    assert.equal(after.status(), 303, 'the old session no longer opens pages');
    assert.deepEqual(p.cspViolations, []);
    await p.context.close();
  });

  it('a gateway without a registry lists no registry or screening page, even to those roles', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    // This world's USA keeps no national registry: those pages are not mounted.
    await signIn(p, url, 'registry+screening+auditor');
    const nav = (await p.page.textContent('header nav')) ?? '';
    assert.match(nav, /Deliveries/);
    assert.doesNotMatch(nav, /Registry|Manifests|Cases/);
    const listed = await p.page.locator('main ul.govuk-list h2').allTextContents();
    assert.ok(listed.some((t) => /Deliveries/.test(t)));
    assert.ok(!listed.some((t) => /Registry|Manifests|Cases/.test(t)), listed.join(', '));
    assert.equal((await p.page.request.get(`${url}/console/registry`)).status(), 404);
    assert.equal((await p.page.request.get(`${url}/console/screening/manifests`)).status(), 404);
    await p.context.close();
  });

  it('a person without any TNX role is told so and gets no session', async () => {
    const p = await person(world);
    const url = world.usa.url!;
    await p.page.goto(`${url}/console`);
    await p.page.fill('input[name="login"]', 'nobody');
    await p.page.fill('input[name="password"]', 'x');
    await p.page.click('button[type="submit"]');
    await p.page.waitForLoadState();
    if (await p.page.locator('button:has-text("Continue")').count()) await p.page.click('button:has-text("Continue")');
    await p.page.waitForURL(`${url}/console/callback**`);
    assert.match((await p.page.textContent('main')) ?? '', /no TNX role/);
    assert.equal(
      (await p.context.cookies(url)).some((c) => c.name === 'tnx_session'),
      false,
    );
    await p.context.close();
  });
});
