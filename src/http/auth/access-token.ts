/**
 * OAuth 2.0 JWT access tokens (RFC 9068) from the configured issuer.
 *
 * Every check is explicit: the signature against the issuer's JWKS only (fetched by URL from config,
 * cached by jose; a token's own `jwk`/`jku`/`x5u`/`x5c` headers are refused so it can never name its
 * key — RFC 8725 §3.10), an algorithm allow-list without `none` or HMAC, `typ` at+jwt (so an ID token
 * is not an access token, RFC 9068 §4), exact `iss`, our `aud`, `exp` required. The role claim maps
 * to a TNX role through config; the actor is `oauth:` + `client_id`. Any failure is the one
 * `unauthenticated` error: which check failed goes nowhere outside.
 */
import { createRemoteJWKSet, jwtVerify, type JWTHeaderParameters, type FlattenedJWSInput } from 'jose';
import type { OAuthSettings } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';

/** Headers by which a token could point at a key of its own choosing. */
const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,58}$/;

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

function refused(): TnxError {
  return new TnxError('unauthenticated', 'a valid bearer token is required');
}

export class AccessTokenVerifier {
  readonly #settings: OAuthSettings;
  readonly #jwks: ReturnType<typeof createRemoteJWKSet>;
  readonly #clock: Clock;

  constructor(settings: OAuthSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
    this.#jwks = createRemoteJWKSet(new URL(settings.jwksUri), {
      cacheMaxAge: settings.jwksCacheSeconds * 1000,
      timeoutDuration: 5000,
    });
  }

  #key = (header: JWTHeaderParameters, token: FlattenedJWSInput) => {
    for (const h of KEY_HEADERS) if (h in header) throw refused();
    return this.#jwks(header, token);
  };

  /** The principal a valid access token stands for; `unauthenticated` otherwise. */
  async verify(token: string): Promise<Principal> {
    const s = this.#settings;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        issuer: s.issuer,
        audience: s.audience,
        algorithms: [...s.algorithms],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'client_id'],
        clockTolerance: s.clockToleranceSeconds,
        currentDate: new Date(this.#clock.now()),
      }));
    } catch {
      throw refused();
    }
    const clientId = payload.client_id;
    const claim = payload[s.roleClaim];
    const role = typeof claim === 'string' && Object.hasOwn(s.roles, claim) ? s.roles[claim] : undefined;
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId) || !role) throw refused();
    return { id: `oauth:${clientId}`, role };
  }
}
