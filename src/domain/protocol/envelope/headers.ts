/**
 * Taking a compact JWE/JWS apart before any crypto: shape, header JSON, header allow-lists.
 *
 * We parse protected headers ourselves, with the strict JSON parser, so that a header with duplicate
 * members ("alg" twice — jose would read one, another library the other) or `__proto__` is refused
 * instead of being interpreted (RFC 7515 §5.2 step 4, RFC 7516 §5.2 step 3: duplicates MUST be
 * rejected or the last used — we reject).
 */
import { createHash } from 'node:crypto';
import { isTnxError, TnxError } from '../../../core/errors.js';
import { parseStrictJson } from '../strict-json.js';
import { FORBIDDEN_HEADERS } from './algorithms.js';

export type Header = Record<string, unknown>;

const B64URL = /^[A-Za-z0-9_-]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(message: string, cause?: unknown): TnxError {
  return new TnxError('malformed_envelope', message, { cause, detail: isTnxError(cause) ? { reason: cause.code } : undefined });
}

/** Split a compact serialization into exactly `count` base64url segments (5 for JWE, 3 for JWS). */
export function splitCompact(token: unknown, count: 3 | 5, what: string): string[] {
  if (typeof token !== 'string') throw malformed(`${what} must be a compact serialization string`);
  const parts = token.split('.');
  if (parts.length !== count) throw malformed(`${what} must have ${count} dot-separated segments, found ${parts.length}`);
  parts.forEach((p, i) => {
    // base64url without padding (RFC 7515 §2); a length of 1 mod 4 cannot be produced by any encoder.
    if (!B64URL.test(p) || p.length % 4 === 1) throw malformed(`${what} segment ${i + 1} is not base64url`);
  });
  if (parts[0] === '') throw malformed(`${what} has an empty protected header`);
  return parts;
}

export function decodeUtf8(segment: string, what: string): string {
  return utf8Text(Buffer.from(segment, 'base64url'), what);
}

/** Bytes → string, refusing invalid UTF-8 instead of replacing it with U+FFFD. */
export function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw malformed(`${what} is not UTF-8`, cause);
  }
}

/** Decode a protected header: base64url → UTF-8 → strict JSON → a plain object. */
export function decodeHeader(segment: string, what: string): Header {
  let value: unknown;
  try {
    value = parseStrictJson(decodeUtf8(segment, what), { maxDepth: 4 });
  } catch (cause) {
    if (isTnxError(cause, 'malformed_envelope')) throw cause;
    throw malformed(`${what} is not a valid JSON object`, cause);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw malformed(`${what} is not a JSON object`);
  return value as Header;
}

/**
 * Refuse headers that would let the token pick its own key (jwk, jku, x5u, x5c — RFC 8725 §3.10) and
 * any `crit`: TNX/1 defines no extension, so anything marked critical is by definition not understood
 * (RFC 7515 §4.1.11: the recipient MUST reject it).
 */
export function refuseForbiddenHeaders(h: Header, what: string): void {
  for (const name of FORBIDDEN_HEADERS) {
    if (Object.hasOwn(h, name)) throw new TnxError('forbidden_header', `${what} header "${name}" is not allowed`, { detail: { header: name } });
  }
  if (Object.hasOwn(h, 'crit')) {
    throw new TnxError('forbidden_header', `${what} header "crit" names extensions TNX/1 does not understand`, { detail: { header: 'crit' } });
  }
}

/** The `kid` of a header, or undefined when absent or not a non-empty string. */
export function kidOf(h: Header): string | undefined {
  return typeof h.kid === 'string' && h.kid.length > 0 ? h.kid : undefined;
}

/**
 * `typ`/`cty` compare per RFC 7515 §4.1.9: case-insensitive, and "application/" may be omitted.
 */
export function mediaTypeEquals(value: unknown, expected: string): boolean {
  if (typeof value !== 'string') return false;
  const v = value.toLowerCase();
  const e = expected.toLowerCase();
  return v === e || v === `application/${e}`;
}

/** base64url(SHA-256(exact bytes)), no padding: the `digest` of a Receipt. */
export function digestOf(compact: string): string {
  return createHash('sha256').update(compact, 'utf8').digest('base64url');
}
