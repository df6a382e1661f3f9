/**
 * Console sessions on the HTTP side: the cookies and the bounds. The session cookie is
 * `__Host-tnx_session` (HttpOnly; Secure; SameSite=Strict; Path=/; no Domain, so no sibling host can
 * set or read it); on a loopback http origin in development the browser would drop a Secure cookie,
 * so there it is `tnx_session` without Secure. A sign-in under way has its own short-lived cookie,
 * SameSite=Lax, because the provider's redirect back is a cross-site navigation that a Strict cookie
 * would not survive. The id is rotated at sign-in (no fixation); idle and absolute expiry are checked
 * on every use, the idle bound also being the record's TTL in the store.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ConsoleSettings } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { PendingLogin, SessionStore, UserSession } from '../../ports/session-store.js';
import type { SignedIn } from './oidc.js';

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of two tokens of any length (digests first, so lengths do not leak). */
export function sameToken(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CurrentSession {
  id: string;
  record: UserSession;
}

export class ConsoleSessions {
  readonly sessionCookie: string;
  readonly loginCookie: string;
  readonly #secure: boolean;
  readonly #store: SessionStore;
  readonly #settings: ConsoleSettings;
  readonly #clock: Clock;

  constructor(store: SessionStore, settings: ConsoleSettings, clock: Clock) {
    this.#store = store;
    this.#settings = settings;
    this.#clock = clock;
    this.#secure = new URL(settings.publicBaseUrl).protocol === 'https:';
    this.sessionCookie = this.#secure ? '__Host-tnx_session' : 'tnx_session';
    this.loginCookie = this.#secure ? '__Host-tnx_login' : 'tnx_login';
  }

  #cookie(res: Response, name: string, value: string, maxAgeSeconds: number, sameSite: 'Strict' | 'Lax'): void {
    const flags = [`Path=/`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', `SameSite=${sameSite}`];
    if (this.#secure) flags.push('Secure');
    res.append('Set-Cookie', `${name}=${value}; ${flags.join('; ')}`);
  }

  #idOf(req: Request, name: string): string | null {
    const id = readCookie(req, name);
    return id !== undefined && SESSION_ID.test(id) ? id : null;
  }

  /** The signed-in session, or null (none, unknown, or past its idle or absolute bound: then gone). */
  async current(req: Request): Promise<CurrentSession | null> {
    const id = this.#idOf(req, this.sessionCookie);
    if (!id) return null;
    const record = await this.#store.get(id);
    if (!record || record.kind !== 'user') return null;
    const now = this.#clock.now();
    const s = this.#settings;
    if (
      now - record.lastSeenAt >= s.idleTimeoutSeconds * 1000 ||
      now - record.createdAt >= s.absoluteTimeoutSeconds * 1000
    ) {
      await this.#store.delete(id);
      return null;
    }
    const touched: UserSession = { ...record, lastSeenAt: now };
    await this.#store.put(id, touched, this.#ttl(touched));
    return { id, record: touched };
  }

  #ttl(record: UserSession): number {
    const s = this.#settings;
    const absoluteLeft = s.absoluteTimeoutSeconds - (this.#clock.now() - record.createdAt) / 1000;
    return Math.max(1, Math.min(s.idleTimeoutSeconds, absoluteLeft));
  }

  /** Take a form's one-time token (see the port): false when it was taken before. */
  claimOnce(session: CurrentSession, token: string): Promise<boolean> {
    return this.#store.claimOnce(session.id, token, this.#ttl(session.record));
  }

  releaseOnce(session: CurrentSession, token: string): Promise<void> {
    return this.#store.releaseOnce(session.id, token);
  }

  async save(session: CurrentSession): Promise<void> {
    await this.#store.put(session.id, session.record, this.#ttl(session.record));
  }

  async startLogin(res: Response, pending: PendingLogin): Promise<void> {
    const id = randomToken();
    await this.#store.put(id, pending, this.#settings.loginTimeoutSeconds);
    this.#cookie(res, this.loginCookie, id, this.#settings.loginTimeoutSeconds, 'Lax');
  }

  /** The pending sign-in of this browser, used once: it is deleted whatever the callback's outcome. */
  async takeLogin(req: Request, res: Response): Promise<PendingLogin | null> {
    const id = this.#idOf(req, this.loginCookie);
    this.#cookie(res, this.loginCookie, '', 0, 'Lax');
    if (!id) return null;
    const record = await this.#store.get(id);
    await this.#store.delete(id);
    if (!record || record.kind !== 'login') return null;
    return this.#clock.now() - record.createdAt < this.#settings.loginTimeoutSeconds * 1000 ? record : null;
  }

  /** A new session under a new id (any earlier one of this browser is ended). */
  async signIn(req: Request, res: Response, who: SignedIn): Promise<void> {
    const old = this.#idOf(req, this.sessionCookie);
    if (old) await this.#store.delete(old);
    const now = this.#clock.now();
    const record: UserSession = {
      kind: 'user',
      actor: who.actor,
      name: who.name,
      roles: who.roles,
      csrf: randomToken(),
      createdAt: now,
      lastSeenAt: now,
      ...(who.idToken ? { idToken: who.idToken } : {}),
    };
    const id = randomToken();
    await this.#store.put(id, record, this.#settings.idleTimeoutSeconds);
    this.#cookie(res, this.sessionCookie, id, this.#settings.absoluteTimeoutSeconds, 'Strict');
  }

  async destroy(session: CurrentSession, res: Response): Promise<void> {
    await this.#store.delete(session.id);
    this.#cookie(res, this.sessionCookie, '', 0, 'Strict');
  }
}
