/**
 * The console's browser-test world: two real gateways (USA, GBR) started as `tnx serve` composes them
 * (tests/e2e/federation.ts), both with the console configured against one real OpenID provider
 * (./idp.ts), and one headless Debian Chromium driven by playwright-core. Each test file starts one
 * world and reuses its browser; a person is a fresh browser context (its own cookies).
 * Screenshots go to docs/console/<name>.png, full page, 1280 wide.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfigFile } from '../../src/config/load.js';
import type { TnxConfigInput } from '../../src/config/schema.js';
import { REPO_ROOT } from '../../src/cli/demo/two-states.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { redisUrl } from '../harness/redis.js';
import { federation, FAST, start, type Member } from '../e2e/federation.js';
import { CONSOLE_CLIENT, startConsoleIdp, type ConsoleIdp } from './idp.js';
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../src/http/auth.js';
import { tempDir } from '../harness/tmp.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';

export const CHROMIUM = process.env.TNX_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(REPO_ROOT, 'docs/console');

export interface World {
  idp: ConsoleIdp;
  usa: RunningGateway;
  gbr: RunningGateway;
  usaM: Member;
  gbrM: Member;
  browser: Browser;
  /** `Bearer …` of the national API tokens (registry, screening) on USA; only with `national`. */
  national: { registry: string; screening: string } | null;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Console settings merged over the defaults of the test world (short expiries, say). */
  console?: Partial<NonNullable<TnxConfigInput['console']>>;
  /** USA also keeps the national registry (registry, travel reports, manifest screening). */
  national?: boolean;
}

/** Registry key files and a registry and a screening API token, added to USA's config. */
function addNational(file: TnxConfigInput): { registry: string; screening: string } {
  const dir = tempDir('tnx-console-registry');
  const kekPath = keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() }));
  const indexKeyPath = keyFile(dir, 'index.key', `${secret()}\n`);
  const registry = `registry-${randomBytes(16).toString('base64url')}`;
  const screening = `screening-${randomBytes(16).toString('base64url')}`;
  file.registry = { kekPath, indexKeyPath };
  file.auth = {
    ...file.auth,
    tokens: [
      ...(file.auth?.tokens ?? []),
      { id: 'registry-1', role: 'registry', sha256: sha256Hex(registry) },
      { id: 'screening-1', role: 'screening', sha256: sha256Hex(screening) },
    ],
  };
  return { registry: `Bearer ${registry}`, screening: `Bearer ${screening}` };
}

/** Add the console section to a member's config file and load it as `tnx serve` would. */
async function withConsole(
  m: Member,
  issuer: string,
  extra: WorldOptions['console'],
  edit?: (file: TnxConfigInput) => void,
): Promise<Member> {
  const file = JSON.parse(readFileSync(m.setup.configPath, 'utf8')) as TnxConfigInput;
  edit?.(file);
  file.console = {
    issuer,
    clientId: CONSOLE_CLIENT.id,
    clientSecret: CONSOLE_CLIENT.secret,
    publicBaseUrl: m.setup.url,
    roleClaim: 'tnx_role',
    roles: {
      submitter: 'submitter',
      poc: 'poc',
      auditor: 'auditor',
      admin: 'admin',
      registry: 'registry',
      screening: 'screening',
    },
    ...extra,
  };
  writeFileSync(m.setup.configPath, JSON.stringify(file, null, 2), { mode: 0o600 });
  return { ...m, config: loadConfigFile(m.setup.configPath, { REDIS_URL: await redisUrl() }) };
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const f = await federation(['USA', 'GBR'] as const, FAST);
  const idp = await startConsoleIdp([f.USA.setup.url, f.GBR.setup.url]);
  let national: World['national'] = null;
  const usaM = await withConsole(f.USA, idp.issuer, options.console, (file) => {
    if (options.national) national = addNational(file);
  });
  const gbrM = await withConsole(f.GBR, idp.issuer, options.console);
  const [usa, gbr, browser] = await Promise.all([
    start(usaM),
    start(gbrM),
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
  ]);
  return {
    idp,
    usa,
    gbr,
    usaM,
    gbrM,
    browser,
    national,
    async close() {
      await browser.close();
      await Promise.all([usa.close(), gbr.close()]);
      await idp.close();
    },
  };
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Content-Security-Policy violations the browser reported on any page so far. */
  cspViolations: string[];
}

/** A fresh browser context (its own cookies) watching the console for CSP reports. */
export async function person(world: World): Promise<Person> {
  const context = await world.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Content-Security-Policy/i.test(text)) cspViolations.push(text);
  });
  return { context, page, cspViolations };
}

/**
 * Sign in through the provider's own forms, as a person: open the console, get sent to the
 * provider, type a login and password, consent, and land back on the page asked for.
 */
export async function signIn(p: Person, gatewayUrl: string, login: string, path = '/console'): Promise<void> {
  const { page } = p;
  await page.goto(`${gatewayUrl}${path}`);
  // The provider may still hold a session of this browser: then it sends us straight back.
  if (new URL(page.url()).origin !== gatewayUrl) {
    await page.waitForSelector('input[name="login"]');
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any-password');
    await page.click('button[type="submit"]');
    await page.waitForLoadState();
    // First sign-in of this client: the provider asks for consent.
    if (await page.locator('button:has-text("Continue")').count()) {
      await page.click('button:has-text("Continue")');
    }
  }
  await page.waitForURL(
    (u) => u.origin === gatewayUrl && u.pathname.startsWith('/console') && !u.pathname.startsWith('/console/callback'),
  );
}

/** Full-page screenshot into docs/console/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core on the current page (injected as source: works under the CSP); serious and critical only. */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  // A string, so the browser's `document` need not be typed on the Node side.
  const results = (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
  )) as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  return results
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The main region's text with runs of white space as one space. */
export async function mainText(p: Person): Promise<string> {
  return ((await p.page.textContent('main')) ?? '').replace(/\s+/g, ' ');
}

/** What has the focus: its text, its name attribute, its value and its id. */
export async function focused(p: Person): Promise<string> {
  return (await p.page.evaluate(
    "(() => { const e = document.activeElement; return e && e !== document.body ? [e.textContent, e.getAttribute('name'), e.getAttribute('value'), e.id].join(' | ') : '' })()",
  )) as string;
}

/** Press Tab until the focused element matches `what` (at most `max` presses): keyboard-only journeys. */
export async function tabTo(p: Person, what: RegExp, max = 120): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    await p.page.keyboard.press('Tab');
    if (what.test(await focused(p))) return;
  }
  assert.fail(`nothing matching ${what} took the focus`);
}
