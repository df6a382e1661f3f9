/**
 * Console sessions, kept server-side where every gateway process sees them (Redis). The browser holds
 * only a random id; the store keys records by a digest of it, so a copy of the store does not hand out
 * live sessions. A record expires by itself after its time to live (the idle bound); the absolute
 * bound is checked by the console on every use.
 */
import type { Role } from '../core/principal.js';

/** A sign-in under way: what the callback must match (state, nonce) and prove (the PKCE verifier). */
export interface PendingLogin {
  kind: 'login';
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Same-origin path to return to after sign-in. */
  returnTo: string;
  createdAt: number;
}

/** A signed-in person. */
export interface UserSession {
  kind: 'user';
  /** Actor of audit events: `oidc:` + the provider's subject. */
  actor: string;
  name: string;
  roles: Role[];
  /** Synchronizer token every form carries back. */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  /** For RP-initiated logout (id_token_hint). */
  idToken?: string;
  /** A one-time message shown on the next page (a confirmation after a form). */
  flash?: string;
}

export type SessionRecord = PendingLogin | UserSession;

export interface SessionStore {
  get(id: string): Promise<SessionRecord | null>;
  /** Create or replace, living `ttlSeconds` from now. */
  put(id: string, record: SessionRecord, ttlSeconds: number): Promise<void>;
  delete(id: string): Promise<void>;
  /**
   * Use the one-time `token` of a form in session `id`: true the first time, false ever after (for
   * `ttlSeconds`, the session's remaining life) — atomic across processes, so a form sent twice at once
   * is taken once.
   */
  claimOnce(id: string, token: string, ttlSeconds: number): Promise<boolean>;
  /** Give a claimed token back (its form was not carried out: it may be sent again). */
  releaseOnce(id: string, token: string): Promise<void>;
  close(): Promise<void>;
}
