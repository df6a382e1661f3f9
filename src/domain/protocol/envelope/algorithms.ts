/**
 * The TNX/1 algorithm allow-lists (protocol/SPEC.md, "Envelope"). Everything not listed here — `none`,
 * HS*, RSA1_5, A128CBC-HS256, dir, … — is refused before any key is touched (RFC 8725 §3.1, §3.2).
 * These exact lists are what we hand jose as `algorithms`, `keyManagementAlgorithms` and
 * `contentEncryptionAlgorithms`, so jose enforces them a second time.
 */

/** JWS: ES256 is mandatory to implement; PS256 is optional. */
export const JWS_ALGORITHMS = ['ES256', 'PS256'] as const;
/** JWE key management: ECDH-ES+A256KW (P-256) is mandatory; RSA-OAEP-256 is optional. */
export const JWE_KEY_ALGORITHMS = ['ECDH-ES+A256KW', 'RSA-OAEP-256'] as const;
/** JWE content encryption: A256GCM only. */
export const JWE_CONTENT_ALGORITHMS = ['A256GCM'] as const;

export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];
export type JweKeyAlgorithm = (typeof JWE_KEY_ALGORITHMS)[number];
export type KeyUse = 'sig' | 'enc';
export type KeyAlgorithm = JwsAlgorithm | JweKeyAlgorithm;

export function isJwsAlgorithm(v: unknown): v is JwsAlgorithm {
  return (JWS_ALGORITHMS as readonly unknown[]).includes(v);
}
export function isJweKeyAlgorithm(v: unknown): v is JweKeyAlgorithm {
  return (JWE_KEY_ALGORITHMS as readonly unknown[]).includes(v);
}

/** The algorithms a key of this use may carry. */
export function algorithmsFor(use: KeyUse): readonly KeyAlgorithm[] {
  return use === 'sig' ? JWS_ALGORITHMS : JWE_KEY_ALGORITHMS;
}

/**
 * The key type and curve each algorithm needs. A key's `alg` is pinned to its `kty`/`crv` so a token
 * can never make us use an RSA key as if it were an EC key or the reverse (algorithm confusion).
 */
export const KEY_SHAPE: Record<KeyAlgorithm, { kty: 'EC' | 'RSA'; crv?: 'P-256' }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  PS256: { kty: 'RSA' },
  'ECDH-ES+A256KW': { kty: 'EC', crv: 'P-256' },
  'RSA-OAEP-256': { kty: 'RSA' },
};

/** Smallest RSA modulus accepted, bits (NIST SP 800-57: 2048 is the floor through 2030). */
export const MIN_RSA_BITS = 2048;

/**
 * JOSE header parameters that would let a token choose its own key, or that we never use
 * (RFC 8725 §3.10: keys come from our directory only). Their mere presence refuses the envelope.
 * `zip` is refused too: compression before encryption leaks plaintext length (CRIME-style).
 */
export const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'zip'] as const;
