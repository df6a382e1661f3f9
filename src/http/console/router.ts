/**
 * The console under /console: its own router, mounted before the API's table, with its own headers
 * (./headers.ts), its sign-in (./oidc.ts) and sessions (./session.ts), its static files
 * (./assets.ts) and every page of the page table compiled once (./compile-page.ts).
 *
 *   GET  /console/login      start a sign-in (state, nonce, PKCE kept server-side) → 303 to the provider
 *   GET  /console/callback   finish it: a new session under a new id, then on to the page asked for
 *   POST /console/logout     end the session (CSRF-checked), then the provider's logout when it has one
 *   GET  /console/signed-out
 *   GET  /console/assets/:name
 *
 * After sign-in and sign-out the next hop is a small page that moves on by itself (meta refresh, with
 * a link): the provider's redirect back is a cross-site navigation, after which the browser would not
 * send a SameSite=Strict cookie on a plain redirect; and `form-action 'self'` would stop a redirect
 * from the sign-out form to the provider.
 */
import express, { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { TnxConfig } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { html } from '../../features/console/html.js';
import { CONSOLE_PAGES } from '../../features/console/pages.js';
import {
  errorBody,
  forbiddenBody,
  noRoleBody,
  signedOutBody,
  signInFailedBody,
} from '../../features/console/pages/messages.js';
import { safeReturnPath } from '../../features/console/page.js';
import type { Parts } from '../../features/route.js';
import type { SessionStore } from '../../ports/session-store.js';
import { stateOf } from '../state.js';
import { serveAssets } from './assets.js';
import { compilePage, loginRedirect, sendPage, servedParts } from './compile-page.js';
import { consoleHeaders } from './headers.js';
import { ConsoleOidc } from './oidc.js';
import { ConsoleSessions, sameToken } from './session.js';

export interface ConsoleOptions {
  config: TnxConfig;
  sessions: SessionStore;
  parts: Partial<Parts>;
  log: Logger;
  clock: Clock;
}

function onwardPage(res: Response, title: string, to: string, text: string): void {
  const body = html`<meta http-equiv="refresh" content="0;url=${to}" />
    <h1 class="govuk-heading-l">${title}</h1>
    <p class="govuk-body"><a class="govuk-link" href="${to}">${text}</a></p>`;
  sendPage(res, 200, title, body, null, '');
}

export function mountConsole(app: Express, options: ConsoleOptions): void {
  const settings = options.config.console;
  if (!settings) return;
  const sessions = new ConsoleSessions(options.sessions, settings, options.clock);
  const oidc = new ConsoleOidc(settings, options.config.auth.oauth);
  const rt = { sessions, parts: options.parts, log: options.log };
  const served = servedParts(options.parts);
  const router = Router({ caseSensitive: true, strict: false });
  router.use(consoleHeaders);
  router.get('/assets/:name', serveAssets());

  router.get('/login', async (req: Request, res: Response) => {
    stateOf(res).route = 'console.login';
    const returnTo = safeReturnPath(req.query.return);
    const { pending, url } = await oidc.begin(returnTo, options.clock.now());
    await sessions.startLogin(res, pending);
    res.redirect(303, url);
  });

  router.get('/callback', async (req: Request, res: Response) => {
    stateOf(res).route = 'console.callback';
    const pending = await sessions.takeLogin(req, res);
    if (!pending) return sendPage(res, 400, 'Sign-in did not complete', signInFailedBody(), null, '');
    let who;
    try {
      who = await oidc.complete(new URL(req.originalUrl, settings.publicBaseUrl), pending);
    } catch (err) {
      options.log.warn({ err: (err as Error).message }, 'console sign-in refused');
      return sendPage(res, 400, 'Sign-in did not complete', signInFailedBody(), null, '');
    }
    if (who.roles.length === 0) return sendPage(res, 403, 'No TNX role', noRoleBody(), null, '');
    await sessions.signIn(req, res, who);
    options.log.info({ actor: who.actor, roles: who.roles }, 'console sign-in');
    onwardPage(res, 'Signed in', pending.returnTo, 'Continue');
  });

  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 });

  router.post('/logout', form, async (req: Request, res: Response) => {
    stateOf(res).route = 'console.logout';
    const session = await sessions.current(req);
    if (!session) return res.redirect(303, '/console/signed-out');
    const token: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof token !== 'string' || !sameToken(token, session.record.csrf)) {
      return sendPage(
        res,
        403,
        'Form refused',
        forbiddenBody('This form did not carry the security token of your session.'),
        { session, served },
        '',
      );
    }
    await sessions.destroy(session, res);
    const after = `${settings.publicBaseUrl}/console/signed-out`;
    const idp = await oidc.endSessionUrl(session.record.idToken, after);
    if (!idp) return res.redirect(303, '/console/signed-out');
    onwardPage(res, 'Signing out', idp, 'Sign out at your identity provider');
  });

  router.get('/signed-out', (_req: Request, res: Response) => {
    stateOf(res).route = 'console.signedOut';
    sendPage(res, 200, 'Signed out', signedOutBody(), null, '');
  });

  for (const page of CONSOLE_PAGES) {
    const step = compilePage(page, rt);
    if (!step) continue;
    if (page.method === 'GET') router.get(page.path, step);
    else router.post(page.path, form, step);
  }
  // An unknown path: before sign-in it is treated like any page (no list of what exists leaks).
  router.use(async (req: Request, res: Response) => {
    stateOf(res).route = 'console.unmatched';
    const session = await sessions.current(req);
    if (!session && req.method === 'GET') return loginRedirect(req, res);
    const body = html`<h1 class="govuk-heading-l">Page not found</h1>
      <p class="govuk-body">There is no such page in the console.</p>`;
    sendPage(res, 404, 'Not found', body, session ? { session, served } : null, '');
  });
  // Whatever failed (Redis down, a bug): a plain error page; the cause goes to the log only.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    options.log.error({ err, route: stateOf(res).route, requestId: stateOf(res).requestId }, 'console page failed');
    if (res.headersSent) return;
    sendPage(
      res,
      500,
      'Something went wrong',
      errorBody('Something went wrong', `The page could not be shown. Reference: ${stateOf(res).requestId}.`),
      null,
      '',
    );
  });
  app.use('/console', router);
}
