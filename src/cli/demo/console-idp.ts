/**
 * The demo's OpenID provider, so the console signs people in out of the box: node-oidc-provider on
 * loopback with one demo user per role and a password each (made for this run and printed), its own
 * small sign-in form that checks them, and RP-initiated logout. A real deployment points the
 * console at the organisation's provider instead (docs/console.md).
 *
 * oidc-provider is a devDependency (the tests use it too): the demo runs from a clone where `npm ci`
 * installed it, and a production install (`npm ci --omit=dev`) never loads it — the import is
 * dynamic, and its absence is said plainly. The package ships no types; the little used here is
 * typed below.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, exportJWK } from 'jose';
import type { Role } from '../../core/principal.js';

export const DEMO_CONSOLE_CLIENT_ID = 'tnx-console';
/** The claim the demo provider puts the roles in, and the console reads them from. */
export const DEMO_ROLE_CLAIM = 'tnx_role';
/** One demo person per console role. */
export const DEMO_CONSOLE_ROLES: readonly Role[] = ['auditor', 'poc', 'admin', 'registry', 'screening'];

export interface DemoUser {
  login: string;
  password: string;
  role: Role;
}

export interface DemoIdp {
  issuer: string;
  clientSecret: string;
  users: DemoUser[];
  close(): Promise<void>;
}

interface Interaction {
  uid: string;
  prompt: { name: string };
}
interface DemoProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: unknown, o?: unknown): Promise<void>;
  Grant: new (o: { clientId: string; accountId: string }) => {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  };
}
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => DemoProvider;

/** A string specifier: the type checker does not follow it, and nothing else imports the package. */
const PACKAGE = 'oidc-provider';

async function loadProvider(): Promise<ProviderClass> {
  try {
    const mod = (await import(PACKAGE)) as { default: ProviderClass };
    return mod.default;
  } catch (cause) {
    throw new Error(
      'the demo console needs the OpenID provider package `oidc-provider` (a devDependency): run `npm ci` in the clone (without --omit=dev)',
      { cause },
    );
  }
}

function same(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(uid: string, error: string | null): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in — TNX demo provider</title></head>
<body><main><h1>Sign in to the TNX demo</h1>
<p>Demo identity provider: the users and passwords are printed by <code>npm run demo</code>.</p>
${error ? `<p role="alert"><strong>${escapeHtml(error)}</strong></p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<p><label for="login">User</label><br><input id="login" name="login" autocomplete="username" autofocus required></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form></main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > 4096) throw new Error('form too large');
  }
  return new URLSearchParams(text);
}

/** Start the provider; `gatewayOrigins` are the consoles it may send people back to. */
/**
 * How a provider registers the console of the gateways at `gatewayOrigins`: a confidential client with
 * the authorization code flow (PKCE on top, by the console), its callback and signed-out pages, ES256
 * ID tokens. The demo's provider and the browser tests' provider register it alike.
 */
export function consoleClientMetadata(clientId: string, clientSecret: string, gatewayOrigins: readonly string[]) {
  return {
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: gatewayOrigins.map((o) => `${o}/console/callback`),
    post_logout_redirect_uris: gatewayOrigins.map((o) => `${o}/console/signed-out`),
    id_token_signed_response_alg: 'ES256',
  };
}

export async function startDemoIdp(gatewayOrigins: readonly string[]): Promise<DemoIdp> {
  const Provider = await loadProvider();
  const users: DemoUser[] = DEMO_CONSOLE_ROLES.map((role) => ({
    login: role,
    password: randomBytes(9).toString('base64url'),
    role,
  }));
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const key = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'demo-idp' };

  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [consoleClientMetadata(DEMO_CONSOLE_CLIENT_ID, clientSecret, gatewayOrigins)],
    jwks: { keys: [key] },
    cookies: { keys: [randomBytes(24).toString('base64url')] },
    claims: { openid: ['sub'], profile: ['name', DEMO_ROLE_CLAIM] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: unknown, i: Interaction) => `/interaction/${i.uid}` },
    // The console is this provider's own first-party client: no consent screen.
    async loadExistingGrant(ctx: { oidc: { client: { clientId: string }; session: { accountId: string } } }) {
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile');
      grant.addOIDCClaims(['name', DEMO_ROLE_CLAIM]);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: unknown, id: string) {
      const user = users.find((u) => u.login === id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, name: `Demo ${user.role}`, [DEMO_ROLE_CLAIM]: [user.role] }),
      };
    },
  });
  const oidc = provider.callback();
  server.on('request', (req, res) => {
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (!m) return oidc(req, res);
    void interact(req, res, m[2] === '/login').catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('This sign-in has expired: go back to the console and start again.');
    });
  });

  async function interact(req: IncomingMessage, res: ServerResponse, submitted: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const page = (status: number, error: string | null): void => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(loginForm(details.uid, error));
    };
    if (!submitted) return page(200, null);
    if (req.method !== 'POST') return page(405, 'Use the form.');
    const form = await formBody(req);
    const user = users.find((u) => u.login === form.get('login'));
    // Compare a password even for an unknown user, so both failures take the same time.
    const ok = same(form.get('password') ?? '', user?.password ?? clientSecret) && user !== undefined;
    if (!ok) return page(401, 'Unknown user or wrong password.');
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.login } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    clientSecret,
    users,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
