/**
 * Compiling a console page (src/features/console/page.ts) into its express steps, once at start-up:
 *
 *   page name → signed in? (else 303 to sign-in, keeping the path) → role (else 403 page)
 *   → CSRF on POST (else 403 page) → the form's one-time token, if it has one (else 409 page)
 *   → query by the page's schema → params → handle → render
 *
 * A service's TnxError becomes a page with its status and, where the error may be shown, its message;
 * anything else is a generic 500 page, the cause going to the log only.
 */
import type { NextFunction, Request, Response } from 'express';
import { isTnxError } from '../../core/errors.js';
import type { Logger } from 'pino';
import { CSRF_FIELD, ONCE_FIELD, ONCE_TOKEN } from '../../features/console/components.js';
import type { html } from '../../features/console/html.js';
import { layout, type NavLink } from '../../features/console/layout.js';
import { actingRole, type ConsoleUser, type Page, type PageResult } from '../../features/console/page.js';
import { hrefOf, pagesFor } from '../../features/console/pages.js';
import { errorBody, forbiddenBody } from '../../features/console/pages/messages.js';
import { readQuery } from '../../features/query-schema.js';
import type { Part, Parts } from '../../features/route.js';
import { stateOf } from '../state.js';
import { sameToken, type ConsoleSessions, type CurrentSession } from './session.js';

export interface ConsoleRuntime {
  sessions: ConsoleSessions;
  parts: Partial<Parts>;
  log: Logger;
}

/** Who a page is shown to: their session, and the parts this gateway serves (for the navigation). */
export interface Viewer {
  session: CurrentSession;
  served: ReadonlySet<Part>;
}

/** The parts configured on this gateway: a page of any other part is not mounted, so not listed. */
export function servedParts(parts: Partial<Parts>): ReadonlySet<Part> {
  return new Set((Object.keys(parts) as Part[]).filter((k) => parts[k] !== undefined));
}

function userOf(session: CurrentSession): ConsoleUser {
  const r = session.record;
  return { actor: r.actor, name: r.name, roles: r.roles };
}

export function navFor(user: ConsoleUser, served: ReadonlySet<Part>, currentPath: string): NavLink[] {
  return pagesFor(user, served).map((e) => ({
    href: e.href,
    label: e.label,
    current:
      e.href === '/console'
        ? currentPath === '/console'
        : currentPath === e.href || currentPath.startsWith(`${e.href}/`),
  }));
}

/** Send a whole page: the layout around `body`, with the user's navigation when signed in. */
export function sendPage(
  res: Response,
  status: number,
  title: string,
  body: ReturnType<typeof html>,
  viewer: Viewer | null,
  currentPath: string,
  flash?: string,
): void {
  const session = viewer?.session;
  const user = session ? userOf(session) : null;
  const page = layout({
    title,
    body,
    ...(user && session
      ? {
          user: { name: user.name, roles: user.roles, csrf: session.record.csrf },
          nav: navFor(user, viewer.served, currentPath),
        }
      : {}),
    ...(flash ? { flash } : {}),
  });
  res.status(status).setHeader('Content-Type', 'text/html; charset=utf-8');
  res.send(page.toString());
}

export function loginRedirect(req: Request, res: Response): void {
  const returnTo = req.method === 'GET' ? req.originalUrl : '/console';
  res.redirect(303, `/console/login?return=${encodeURIComponent(returnTo)}`);
}

/** Fields of a posted urlencoded form; a field given twice is refused (ambiguous input). */
function formOf(req: Request): Record<string, string> | null {
  const body: unknown = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object') return null;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v !== 'string') return null;
    out[k] = v;
  }
  return out;
}

export function compilePage(page: Page, rt: ConsoleRuntime) {
  const ctx = rt.parts[page.part];
  if (!ctx) return null;
  const served = servedParts(rt.parts);
  const checks = Object.entries(page.params ?? {}).flatMap(([n, p]) => (p.pattern ? [[n, p.pattern] as const] : []));
  return async function consolePage(req: Request, res: Response, next: NextFunction): Promise<void> {
    stateOf(res).route = page.name;
    const path = req.path === '/' ? '/console' : `/console${req.path.replace(/\/$/, '')}`;
    // A one-time token taken by this request: given back when the request is not carried out.
    let claimed: { session: CurrentSession; token: string } | null = null;
    const giveBack = async (): Promise<void> => {
      if (claimed) await rt.sessions.releaseOnce(claimed.session, claimed.token).catch(() => undefined);
      claimed = null;
    };
    try {
      const session = await rt.sessions.current(req);
      if (!session) return loginRedirect(req, res);
      const viewer: Viewer = { session, served };
      const user = userOf(session);
      const role = actingRole(user, page.roles);
      if (!role) {
        return sendPage(
          res,
          403,
          'Not allowed',
          forbiddenBody('Your roles do not include one this page is for.'),
          viewer,
          path,
        );
      }
      stateOf(res).principal = { id: user.actor, role };
      let form: Record<string, string> = {};
      if (page.method === 'POST') {
        const fields = formOf(req);
        const token = fields?.[CSRF_FIELD];
        if (!fields || typeof token !== 'string' || !sameToken(token, session.record.csrf)) {
          return sendPage(
            res,
            403,
            'Form refused',
            forbiddenBody(
              'This form could not be accepted: it did not carry the security token of your session. Open the page again and resend the form.',
            ),
            viewer,
            path,
          );
        }
        delete fields[CSRF_FIELD];
        const once = fields[ONCE_FIELD];
        delete fields[ONCE_FIELD];
        if (once !== undefined) {
          if (!ONCE_TOKEN.test(once) || !(await rt.sessions.claimOnce(session, once))) {
            return sendPage(
              res,
              409,
              'Already sent',
              errorBody(
                'This form was already sent',
                'It was carried out once and is not carried out again. Open the page again to see the result, or to send a new form.',
              ),
              viewer,
              path,
            );
          }
          claimed = { session, token: once };
        }
        form = fields;
      }
      for (const [name, pattern] of checks) {
        if (!pattern.test(String(req.params[name] ?? ''))) {
          return sendPage(res, 404, 'Not found', errorBody('Page not found', `No such ${name}.`), viewer, path);
        }
      }
      // An empty field of a GET form means "any": dropped before the schema sees it.
      const raw = Object.fromEntries(Object.entries(req.query as Record<string, unknown>).filter(([, v]) => v !== ''));
      const query = readQuery(page.query, raw);
      const flash = session.record.flash;
      if (flash !== undefined && page.method === 'GET') {
        delete session.record.flash;
        await rt.sessions.save(session);
      }
      const result: PageResult = await page.handle(
        {
          principal: { id: user.actor, role },
          user,
          params: req.params as Record<string, string>,
          query,
          raw,
          form,
          csrf: session.record.csrf,
          served,
        },
        ctx,
      );
      // Refused (a field to correct, a conflict): nothing was carried out, the form may come again.
      if (result.kind === 'page' && (result.status ?? 200) >= 400) await giveBack();
      if (result.kind === 'redirect') {
        if (result.flash) {
          session.record.flash = result.flash;
          await rt.sessions.save(session);
        }
        res.redirect(303, result.to);
        return;
      }
      if (result.kind === 'file') {
        res.status(200).setHeader('Content-Type', result.contentType);
        if (result.filename) res.setHeader('Content-Disposition', `attachment; filename="${result.filename}"`);
        res.send(result.body);
        return;
      }
      sendPage(
        res,
        result.status ?? 200,
        result.title,
        result.body,
        viewer,
        path,
        page.method === 'GET' ? flash : undefined,
      );
    } catch (err) {
      await giveBack();
      if (isTnxError(err)) {
        const title = err.status === 404 ? 'Not found' : err.status === 403 ? 'Not allowed' : 'Request refused';
        const message = err.expose ? err.message : 'The request could not be completed.';
        const session = await rt.sessions.current(req).catch(() => null);
        sendPage(
          res,
          err.status >= 500 ? 500 : err.status,
          title,
          errorBody(title, message),
          session ? { session, served } : null,
          path,
        );
        return;
      }
      next(err);
    }
  };
}

export { hrefOf };
