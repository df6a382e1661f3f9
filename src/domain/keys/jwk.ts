/**
 * The shape of a TNX key entry (a JWK, RFC 7517) and its rotation metadata.
 *
 * Every key carries `kid`, `use` ("sig" | "enc") and `alg` (one of the TNX/1 algorithms), plus two
 * TNX-private members (RFC 7517 §4 allows extra members; other libraries ignore them):
 *   - `tnx_created`: RFC 3339 UTC time the key was generated; the newest non-retired key of a use is
 *     the one we sign with / partners encrypt to.
 *   - `tnx_retired`: RFC 3339 UTC time the key was retired; a retired key is neither used nor published
 *     and no longer opens anything.
 * and, in the signed network directory (protocol/SPEC.md §14), three more a coordinator sets:
 *   - `tnx_not_before` / `tnx_not_after`: the window in which the key may be used at all;
 *   - `tnx_revoked`: RFC 3339 UTC time the key was revoked (compromise); it counts as retired everywhere.
 * Public JWKS output keeps `tnx_created` (so a partner can tell which encryption key is current) and
 * drops every private member through an explicit allow-list.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { TnxError } from '../../core/errors.js';
import { algorithmsFor, KEY_SHAPE, MIN_RSA_BITS, type KeyAlgorithm, type KeyUse } from '../protocol/envelope/algorithms.js';

export interface TnxJwk {
  kty: 'EC' | 'RSA';
  kid: string;
  use: KeyUse;
  alg: KeyAlgorithm;
  tnx_created?: string;
  tnx_retired?: string;
  tnx_not_before?: string;
  tnx_not_after?: string;
  tnx_revoked?: string;
  [member: string]: unknown;
}

export interface Jwks<K = TnxJwk> {
  keys: K[];
}

/** Members a public JWK may carry; anything else (d, p, q, dp, dq, qi, oth, k, …) is dropped. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'use', 'alg', 'tnx_created'] as const;
/** Members that make a JWK private. */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const KID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function toPublicJwk(jwk: TnxJwk): TnxJwk {
  const out: Record<string, unknown> = {};
  for (const m of PUBLIC_MEMBERS) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out as TnxJwk;
}

/** Retired or revoked: either way the key is out of use for good. */
export function isRetired(jwk: TnxJwk): boolean {
  return typeof jwk.tnx_retired === 'string' || typeof jwk.tnx_revoked === 'string';
}

/**
 * Whether a key may be used at `at` (epoch ms): not retired or revoked, and inside its
 * `tnx_not_before` / `tnx_not_after` window when it has one (before ≤ at < after).
 */
export function isUsableAt(jwk: TnxJwk, at: number): boolean {
  if (isRetired(jwk)) return false;
  if (typeof jwk.tnx_not_before === 'string' && at < Date.parse(jwk.tnx_not_before)) return false;
  if (typeof jwk.tnx_not_after === 'string' && at >= Date.parse(jwk.tnx_not_after)) return false;
  return true;
}

/** Newest first by `tnx_created`; keys without it count as oldest, later array entries as newer. */
export function newestFirst<K extends TnxJwk>(keys: readonly K[]): K[] {
  return keys
    .map((k, i) => ({ k, i, t: typeof k.tnx_created === 'string' ? Date.parse(k.tnx_created) : -Infinity }))
    .sort((a, b) => b.t - a.t || b.i - a.i)
    .map((e) => e.k);
}

function keyError(code: 'key_material_invalid' | 'config_invalid', where: string, message: string, cause?: unknown): TnxError {
  return new TnxError(code, `${where}: ${message}`, { pointer: where, cause });
}

/**
 * Check one JWK entry and return it typed. `kind` says whether a private key is required ("private",
 * our own key file) or forbidden ("public", a partner's JWKS). Errors name the entry by index and
 * kid, never by key material.
 */
export function checkJwk(
  value: unknown,
  where: string,
  kind: 'private' | 'public',
  code: 'key_material_invalid' | 'config_invalid' = 'key_material_invalid',
): TnxJwk {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw keyError(code, where, 'must be a JSON object');
  const jwk = value as Record<string, unknown>;
  if (typeof jwk.kid !== 'string' || !KID_PATTERN.test(jwk.kid)) throw keyError(code, `${where}/kid`, 'must be 1-128 characters of A-Z a-z 0-9 . _ : -');
  if (jwk.use !== 'sig' && jwk.use !== 'enc') throw keyError(code, `${where}/use`, 'must be "sig" or "enc"');
  const allowed = algorithmsFor(jwk.use);
  if (!allowed.includes(jwk.alg as KeyAlgorithm)) throw keyError(code, `${where}/alg`, `must be one of ${allowed.join(', ')} for use "${jwk.use}"`);
  const shape = KEY_SHAPE[jwk.alg as KeyAlgorithm];
  if (jwk.kty !== shape.kty) throw keyError(code, `${where}/kty`, `must be "${shape.kty}" for alg ${String(jwk.alg)}`);
  if (shape.crv && jwk.crv !== shape.crv) throw keyError(code, `${where}/crv`, `must be "${shape.crv}"`);
  for (const t of ['tnx_created', 'tnx_retired', 'tnx_not_before', 'tnx_not_after', 'tnx_revoked'] as const) {
    if (jwk[t] !== undefined && (typeof jwk[t] !== 'string' || Number.isNaN(Date.parse(jwk[t])))) {
      throw keyError(code, `${where}/${t}`, 'must be an RFC 3339 date-time');
    }
  }
  const hasPrivate = PRIVATE_MEMBERS.some((m) => m in jwk);
  if (kind === 'private' && typeof jwk.d !== 'string') throw keyError(code, where, `key ${jwk.kid} has no private part`);
  if (kind === 'public' && hasPrivate) throw keyError(code, where, `key ${jwk.kid} must be public only`);
  // Let node:crypto parse the key material: a point off the curve or a truncated modulus fails here,
  // at load time, instead of on the first message.
  try {
    const ko = kind === 'private' ? createPrivateKey({ key: jwk as never, format: 'jwk' }) : createPublicKey({ key: jwk as never, format: 'jwk' });
    const bits = ko.asymmetricKeyDetails?.modulusLength;
    if (shape.kty === 'RSA' && (bits === undefined || bits < MIN_RSA_BITS)) throw new Error(`RSA modulus under ${MIN_RSA_BITS} bits`);
  } catch (cause) {
    throw keyError(code, where, `key ${jwk.kid} is not a valid ${shape.kty} key`, cause);
  }
  return jwk as TnxJwk;
}

/** Check a whole JWKS: an object with a `keys` array of valid entries and unique kids. */
export function checkJwks(
  value: unknown,
  where: string,
  kind: 'private' | 'public',
  code: 'key_material_invalid' | 'config_invalid' = 'key_material_invalid',
): Jwks {
  const v = value as { keys?: unknown } | null;
  if (!v || typeof v !== 'object' || !Array.isArray(v.keys)) throw keyError(code, where, 'must be a JWKS: {"keys": [...]}');
  const seen = new Set<string>();
  const keys = v.keys.map((k, i) => {
    const jwk = checkJwk(k, `${where}/keys/${i}`, kind, code);
    if (seen.has(jwk.kid)) throw keyError(code, `${where}/keys/${i}/kid`, `duplicate kid ${jwk.kid}`);
    seen.add(jwk.kid);
    return jwk;
  });
  return { keys };
}
