/**
 * Bearer-token authentication for the local API.
 *
 * Tokens live in config as hex SHA-256 hashes; the secret itself is never stored. A presented token is
 * hashed and compared against EVERY configured hash with crypto.timingSafeEqual (equal-length digests),
 * without an early exit, so neither the comparison nor the loop tells an attacker how close a guess
 * was or where in the list a match sits (node-oidc-provider lib/helpers/constant_equals.js).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from '../config/schema.js';
import { TnxError } from '../core/errors.js';
import type { Principal, Role } from '../core/principal.js';

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export class TokenAuthenticator {
  readonly #tokens: { id: string; role: Role; digest: Buffer }[];

  constructor(tokens: readonly ApiToken[]) {
    this.#tokens = tokens.map((t) => ({ id: t.id, role: t.role, digest: Buffer.from(t.sha256, 'hex') }));
  }

  /** The principal for a bearer secret, or null. Runs in time independent of which token matched. */
  verify(secret: string): Principal | null {
    const presented = createHash('sha256').update(secret, 'utf8').digest();
    let found: Principal | null = null;
    for (const t of this.#tokens) {
      // Both sides are 32-byte digests, so timingSafeEqual never throws on length.
      const same = timingSafeEqual(presented, t.digest);
      if (same && found === null) found = { id: t.id, role: t.role };
    }
    return found;
  }

  /**
   * Parse an Authorization header (RFC 6750 §2.1) and verify it. Missing, malformed and unknown tokens
   * all give the same `unauthenticated` error: no hint which part was wrong.
   */
  authenticate(header: string | undefined): Principal {
    const m = typeof header === 'string' ? /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header) : null;
    const principal = m?.[1] ? this.verify(m[1]) : null;
    if (!principal) throw new TnxError('unauthenticated', 'a valid bearer token is required');
    return principal;
  }
}
