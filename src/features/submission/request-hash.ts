/**
 * The fingerprint of a submitted body, to tell an idempotent retry from a conflicting reuse of an
 * Idempotency-Key. Computed over a canonical form (keys sorted, no whitespace — the idea of RFC 8785
 * JCS for the values TNX messages hold: strings, booleans, null, arrays, objects and safe integers), so
 * the same message sent again as JSON with other key order or as XML hashes the same.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** base64url(SHA-256(canonical JSON)), no padding. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('base64url');
}
