/**
 * Writing registry key files: generate, rotate (new KEK first), retire. For `tnx` commands and
 * operators; the gateway itself only reads (./key-file.ts).
 *
 * Files are written to a temporary sibling with mode 0600 and renamed over the original, so a crash
 * never leaves a half-written key file and the secret is never readable by group or others, not even
 * for a moment. Retiring keeps the entry with `tnx_retired` (the ring ignores it) rather than deleting
 * it, so an operator can see which key was retired when; delete the entry to destroy the key for good.
 */
import { isoTime } from '../../core/clock.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { TnxError } from '../../core/errors.js';
import { parseSymmetricKeys, readSymmetricKeyFile, SYMMETRIC_KEY_BYTES } from './key-file.js';

interface OctJwk {
  kty: 'oct';
  kid: string;
  k: string;
  tnx_created?: string;
  tnx_retired?: string;
}

function writeAtomically(path: string, jwks: { keys: OctJwk[] }): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, path);
}

function newKey(kid: string, now: number): OctJwk {
  const jwk: OctJwk = {
    kty: 'oct',
    kid,
    k: randomBytes(SYMMETRIC_KEY_BYTES).toString('base64url'),
    tnx_created: isoTime(now),
  };
  parseSymmetricKeys(JSON.stringify({ keys: [jwk] }), 'kid'); // the same checks a reader applies (kid syntax)
  return jwk;
}

function readJwks(path: string): { keys: OctJwk[] } {
  readSymmetricKeyFile(path); // mode and content checks
  const doc = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (!doc || typeof doc !== 'object' || !Array.isArray((doc as { keys?: unknown }).keys)) {
    throw new TnxError('key_material_invalid', `${path}: rotation needs a JWKS key file, not a bare secret`, {
      pointer: path,
    });
  }
  return doc as { keys: OctJwk[] };
}

/** Create a key file holding one new key; refuses to overwrite an existing file. */
export function generateKeyFile(path: string, kid: string, now: number): void {
  if (existsSync(path)) throw new TnxError('key_material_invalid', `${path}: already exists`, { pointer: path });
  writeAtomically(path, { keys: [newKey(kid, now)] });
}

/** Add a new key in first position: it becomes the active KEK; the others stay to unwrap until re-wrapped. */
export function rotateKeyFile(path: string, kid: string, now: number): void {
  const jwks = readJwks(path);
  if (jwks.keys.some((k) => k.kid === kid))
    throw new TnxError('key_material_invalid', `${path}: kid ${kid} exists`, { pointer: path });
  writeAtomically(path, { keys: [newKey(kid, now), ...jwks.keys] });
}

/** Mark a key retired: it no longer opens anything. Refuses to retire the last usable key. */
export function retireKey(path: string, kid: string, now: number): void {
  const jwks = readJwks(path);
  const target = jwks.keys.find((k) => k.kid === kid);
  if (!target) throw new TnxError('key_material_invalid', `${path}: no key ${kid}`, { pointer: path });
  if (!jwks.keys.some((k) => k.kid !== kid && k.tnx_retired === undefined)) {
    throw new TnxError('key_material_invalid', `${path}: ${kid} is the last usable key`, { pointer: path });
  }
  target.tnx_retired ??= isoTime(now);
  writeAtomically(path, jwks);
}
