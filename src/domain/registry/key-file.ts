/**
 * Symmetric key files for the registry: the key-encryption keys (KEK) and the blind-index key.
 *
 * A key file holds either
 *   - a JWKS of "oct" keys (RFC 7517 §6.4): {"keys": [{"kty": "oct", "kid": "...", "k": "<base64url>"}]},
 *     every `k` exactly 32 bytes; or
 *   - one 32-byte secret, base64url (RFC 4648 §5), on a single line. Its kid is the RFC 7638 JWK
 *     thumbprint, so the same secret always has the same id without writing one down.
 * Like the private JWKS of src/domain/keys, the file must not be readable by group or others (mode 0600):
 * a world-readable KEK would defeat the encryption at rest it protects.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { TnxError } from '../../core/errors.js';

export const SYMMETRIC_KEY_BYTES = 32;
const KID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

export interface SymmetricKey {
  /** Non-secret key id, recorded next to what the key protects. */
  readonly kid: string;
  /** 32 bytes of key material. */
  readonly secret: Buffer;
  /** Set when the JWK carries `tnx_retired`: kept only so a retired key is refused explicitly. */
  readonly retired: boolean;
}

function keyError(where: string, message: string, cause?: unknown): TnxError {
  // The message names the file and the entry, never key material.
  return new TnxError('key_material_invalid', `${where}: ${message}`, { pointer: where, cause });
}

/** RFC 7638 thumbprint of an oct key: SHA-256 over {"k","kty"} in lexicographic order. */
export function octThumbprint(secret: Buffer): string {
  const canonical = `{"k":"${secret.toString('base64url')}","kty":"oct"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

function decodeSecret(text: string, where: string): Buffer {
  if (!B64URL.test(text)) throw keyError(where, 'must be base64url without padding');
  const secret = Buffer.from(text, 'base64url');
  if (secret.length !== SYMMETRIC_KEY_BYTES || secret.toString('base64url') !== text) {
    throw keyError(where, `must decode to exactly ${SYMMETRIC_KEY_BYTES} bytes`);
  }
  return secret;
}

/** Parse key-file text (JWKS of oct keys or one base64url secret). Order is kept: first = newest. */
export function parseSymmetricKeys(text: string, where: string): SymmetricKey[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const secret = decodeSecret(trimmed, where);
    return [{ kid: octThumbprint(secret), secret, retired: false }];
  }
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch (cause) {
    throw keyError(where, 'is neither a JWKS nor a base64url secret', cause);
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw keyError(where, 'must be a JWKS with at least one key');
  const seen = new Set<string>();
  return keys.map((entry: unknown, i) => {
    const at = `${where}/keys/${i}`;
    const jwk = entry as Record<string, unknown> | null;
    if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'oct') throw keyError(at, 'must be an "oct" JWK');
    if (typeof jwk.k !== 'string') throw keyError(`${at}/k`, 'is required');
    const secret = decodeSecret(jwk.k, `${at}/k`);
    const kid = jwk.kid === undefined ? octThumbprint(secret) : jwk.kid;
    if (typeof kid !== 'string' || !KID_PATTERN.test(kid))
      throw keyError(`${at}/kid`, 'must be 1-128 characters of A-Z a-z 0-9 . _ : -');
    if (seen.has(kid)) throw keyError(`${at}/kid`, `duplicate kid ${kid}`);
    seen.add(kid);
    return { kid, secret, retired: typeof jwk.tnx_retired === 'string' };
  });
}

/** Read a key file, refusing one that group or others may read (POSIX mode bits 0o077). */
export function readSymmetricKeyFile(path: string): SymmetricKey[] {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (cause) {
    throw keyError(path, 'cannot be read', cause);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw keyError(path, `mode ${(mode & 0o777).toString(8)} is too open; use 0600`);
  }
  return parseSymmetricKeys(readFileSync(path, 'utf8'), path);
}
