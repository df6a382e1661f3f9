/**
 * `npm run demo` as a person meets it: the real process prints the console URL and a user and password
 * per role; signing in with exactly what it printed, through its demo OpenID provider's form, opens
 * that role's console (HTTP with a cookie jar, as a browser would, redirects followed by hand). A wrong
 * password is refused by the provider; Ctrl-C (SIGINT) ends the demo with exit 0.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/cli/demo/two-states.js';
import { redisUrl } from '../harness/redis.js';

/** Cookies by name, as a browser keeps them for one host (ports share cookies). */
class Jar {
  readonly #cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (gone) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** GET or POST, then follow redirects by hand (sending the jar each time) until a page answers. */
async function go(jar: Jar, url: string, init: { method?: string; form?: URLSearchParams } = {}) {
  let res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(init.form ? { body: init.form.toString() } : {}),
  });
  jar.take(res);
  let at = url;
  for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 20; hops++) {
    at = new URL(res.headers.get('location')!, at).href;
    res = await fetch(at, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(res);
  }
  return { status: res.status, url: at, text: await res.text() };
}

interface Printed {
  consoles: Record<string, string>;
  users: Record<string, { login: string; password: string }>;
}

function parse(out: string): Printed {
  const consoles: Printed['consoles'] = {};
  for (const m of out.matchAll(/^ {2}([A-Z]{3}) {2}(http:\/\/127\.0\.0\.1:\d+\/console)$/gm)) consoles[m[1]!] = m[2]!;
  const users: Printed['users'] = {};
  for (const m of out.matchAll(/^ {4}(\w+) +user (\S+) {2}password (\S+)$/gm))
    users[m[1]!] = { login: m[2]!, password: m[3]! };
  return { consoles, users };
}

describe('console: npm run demo prints a sign-in that works', function () {
  this.timeout(90_000);
  let child: ChildProcess | null = null;
  let out = '';
  let printed: Printed;

  before(async () => {
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin/tnx.mjs'), 'demo'], {
      cwd: REPO_ROOT,
      env: { ...process.env, REDIS_URL: await redisUrl() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        if (out.includes('Running until Ctrl-C.')) resolve();
      });
      child!.once('exit', (code) => reject(new Error(`demo exited (${String(code)}) early: ${err}${out}`)));
    });
    printed = parse(out);
  });
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints the console of both gateways and one user per role', () => {
    assert.deepEqual(Object.keys(printed.consoles).sort(), ['GBR', 'USA'], out);
    assert.deepEqual(Object.keys(printed.users).sort(), ['admin', 'auditor', 'poc', 'registry', 'screening'], out);
  });

  it('each printed user signs in through the provider and lands on the console of its role', async () => {
    const expected: Record<string, RegExp> = {
      auditor: /Audit trail/,
      poc: /Inbox/,
      admin: /Partners/,
      registry: /You are signed in as Registry officer/,
      screening: /You are signed in as Screening officer/,
    };
    for (const [role, user] of Object.entries(printed.users)) {
      const jar = new Jar();
      const consoleUrl = printed.consoles.USA!;
      // The console sends the browser to the provider's sign-in form.
      const form = await go(jar, consoleUrl);
      assert.equal(form.status, 200);
      assert.match(form.text, /Sign in to the TNX demo/);
      const action = /<form method="post" action="([^"]+)"/.exec(form.text)![1]!;
      const signedIn = await go(jar, new URL(action, form.url).href, {
        method: 'POST',
        form: new URLSearchParams({ login: user.login, password: user.password }),
      });
      assert.equal(signedIn.status, 200, `${role}: ${signedIn.text.slice(0, 300)}`);
      // Back at the gateway (the page after the callback moves on by itself), the session cookie set.
      assert.equal(new URL(signedIn.url).origin, new URL(consoleUrl).origin, `${role} came back to the gateway`);
      const home = await go(jar, consoleUrl);
      assert.equal(home.status, 200);
      assert.match(home.text, /Sign out/, `${role} is signed in`);
      assert.match(home.text, expected[role]!, `${role} sees its pages`);
      if (role !== 'auditor' && role !== 'admin') {
        const audit = await go(jar, `${consoleUrl}/audit`);
        assert.equal(audit.status, 403, `${role} may not open the audit trail`);
      }
    }
  });

  it('a wrong password is refused by the provider; Ctrl-C ends the demo with exit 0', async () => {
    const jar = new Jar();
    const form = await go(jar, printed.consoles.GBR!);
    const action = /<form method="post" action="([^"]+)"/.exec(form.text)![1]!;
    const refused = await go(jar, new URL(action, form.url).href, {
      method: 'POST',
      form: new URLSearchParams({ login: 'auditor', password: 'not-the-password' }),
    });
    assert.equal(refused.status, 401);
    assert.match(refused.text, /Unknown user or wrong password/);
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child!.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
