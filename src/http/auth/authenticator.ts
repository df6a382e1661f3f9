/**
 * The one authenticator of /api/v1/*: static hashed tokens first (constant time, src/http/auth.ts),
 * then, when an issuer is configured and the secret has the shape of a JWT, an OAuth access token.
 * Either way the result is the same Principal, so audit events name both kinds of caller alike.
 */
import type { TnxConfig } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import { TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { TokenAuthenticator } from '../auth.js';
import { AccessTokenVerifier, looksLikeJwt } from './access-token.js';

export interface Authenticator {
  /** The principal of an Authorization header; `unauthenticated` for anything else. */
  authenticate(header: string | undefined): Promise<Principal>;
}

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

export function createAuthenticator(auth: TnxConfig['auth'], clock: Clock): Authenticator {
  const tokens = new TokenAuthenticator(auth.tokens);
  const oauth = auth.oauth ? new AccessTokenVerifier(auth.oauth, clock) : null;
  return {
    async authenticate(header) {
      const secret = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
      const principal = secret ? tokens.verify(secret) : null;
      if (principal) return principal;
      if (oauth && secret && looksLikeJwt(secret)) return oauth.verify(secret);
      throw new TnxError('unauthenticated', 'a valid bearer token is required');
    },
  };
}
