/**
 * Shared set-up for envelope tests: the dev keys of keys/dev/, directories built from their public
 * JWKS, the protocol examples, and a crafter that builds hostile envelopes with real crypto
 * (correctly encrypted and signed, so each refusal is reached for the reason under test).
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, sign as nodeSign, randomUUID } from 'node:crypto';
import { CompactEncrypt, importJWK, type CryptoKey, type JWK } from 'jose';
import { Directory } from '../../src/domain/directory/directory.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import type { Partner } from '../../src/config/schema.js';
import type { TnxMessage } from '../../src/domain/protocol/types.js';
import { ManualClock } from '../../src/core/clock.js';
import type { OpenContext } from '../../src/domain/protocol/envelope/open.js';

export const ROOT = new URL('../../', import.meta.url);
export const DEV = new URL('keys/dev/', ROOT);

export function readJson<T = unknown>(url: URL): T {
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

export type DevKeyName = 'usa' | 'gbr' | 'fra' | 'tha' | 'usa-rsa' | 'tha-rsa';

export function devPrivateJwks(name: DevKeyName): { keys: (JWK & { kid: string; use: string; alg: string })[] } {
  return readJson(new URL(`${name}.private.jwks.json`, DEV));
}
export function devPublicJwks(name: DevKeyName): { keys: Record<string, unknown>[] } {
  return readJson(new URL(`${name}.public.jwks.json`, DEV));
}

export async function devKeyRing(name: DevKeyName): Promise<KeyRing> {
  // keys/dev files are 0644 on a fresh clone (git keeps no modes); they are demo keys by design.
  return KeyRing.fromFile(new URL(`${name}.private.jwks.json`, DEV).pathname, { allowInsecureMode: true });
}

const POC = { unit: 'Test desk', email: 'desk@test.example.org', phone: '+1 555 0100', hours: '24/7' };

/** A directory whose partners are the given states, each pinned to a dev public JWKS. */
export function directoryOf(partners: Record<string, DevKeyName>): Directory {
  const list = Object.entries(partners).map(
    ([state, name]) =>
      ({
        state,
        name: state,
        endpoint: null,
        jwks: devPublicJwks(name) as NonNullable<Partner['jwks']>,
        pointOfContact: POC,
        accepts: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'],
        limits: { concurrency: 1, ratePerSecond: 1 },
      }) satisfies Partner,
  );
  return new Directory({ directory: { partners: list } });
}

export function example<T = TnxMessage>(name: string): T {
  return readJson<T>(new URL(`protocol/examples/${name}.json`, ROOT));
}

/** 2026-12-01T00:00:00Z: after the examples' report dates, before their departures. */
export const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);

export function openContext(
  state: string,
  keys: KeyRing,
  directory: Directory,
  clock = new ManualClock(T0),
): OpenContext {
  return {
    keys,
    directory,
    state,
    clock,
    maxMessageBytes: 262144,
    clockSkewSeconds: 300,
    maxMessageAgeSeconds: 1209600,
  };
}

// ---- crafting hostile envelopes ---------------------------------------------------------------

const b64 = (v: string | Uint8Array): string => Buffer.from(v).toString('base64url');
const json = (v: unknown): string => b64(JSON.stringify(v));

/** A compact JWS over any header and payload, signed with node:crypto (so jose's own checks do not stop us crafting). */
export function signRaw(header: Record<string, unknown>, payload: unknown, jwk: JWK & { alg?: string }): string {
  const input = `${json(header)}.${typeof payload === 'string' ? b64(payload) : json(payload)}`;
  const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const sig =
    jwk.kty === 'EC'
      ? nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : nodeSign('sha256', Buffer.from(input), { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 });
  return `${input}.${b64(sig)}`;
}

/** Encrypt any plaintext to a public JWK with jose, with an arbitrary protected header. */
export async function encryptRaw(
  plaintext: string,
  header: Record<string, unknown>,
  publicJwk: Record<string, unknown>,
): Promise<string> {
  const key = (await importJWK(publicJwk as JWK, String(header.alg))) as CryptoKey;
  return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader(header as never).encrypt(key);
}

/** Replace the protected header of a compact token with raw header text (checks that run before decryption). */
export function withHeaderText(token: string, headerText: string): string {
  const parts = token.split('.');
  parts[0] = b64(headerText);
  return parts.join('.');
}

export interface CraftOptions {
  claims?: Record<string, unknown>;
  jwsHeader?: Record<string, unknown>;
  jweHeader?: Record<string, unknown>;
  /** Private JWK to sign with (default: USA's dev signing key). */
  signer?: JWK & { kid: string; alg: string };
  /** Raw inner JWS instead of a signed one. */
  innerJws?: string;
  /** Whose encryption key to seal to (default: THA's dev key). */
  recipient?: DevKeyName;
}

/** USA → THA by default; every part overridable. */
export async function craft(message: unknown, opts: CraftOptions = {}): Promise<string> {
  const signer = opts.signer ?? devPrivateJwks('usa').keys.find((k) => k.use === 'sig')!;
  const recipient = devPublicJwks(opts.recipient ?? 'tha').keys.find((k) => k.use === 'enc')!;
  const claims = {
    iss: 'USA',
    aud: 'THA',
    jti: randomUUID(),
    iat: Math.floor(T0 / 1000),
    tnx: message,
    ...opts.claims,
  };
  const jws =
    opts.innerJws ?? signRaw({ alg: signer.alg, typ: 'tnx+jwt', kid: signer.kid, ...opts.jwsHeader }, claims, signer);
  return encryptRaw(
    jws,
    { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: recipient.kid, cty: 'JWT', ...opts.jweHeader },
    recipient,
  );
}
