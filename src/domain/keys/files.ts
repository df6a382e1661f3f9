/**
 * Reading and writing key files. A private JWKS is written with mode 0600 from the first byte
 * (created with that mode, then renamed into place), so there is no window in which another local
 * account could read it; an existing file is only replaced when the caller says so.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, basename } from 'node:path';
import { TnxError } from '../../core/errors.js';
import { parseStrictJson } from '../protocol/strict-json.js';
import { checkJwks, toPublicJwk, isRetired, type Jwks } from './jwk.js';

export function readPrivateJwksFile(path: string): Jwks {
  let value: unknown;
  try {
    value = parseStrictJson(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new TnxError('key_material_invalid', `cannot read key file ${path} as JSON`, { cause });
  }
  return checkJwks(value, 'keys', 'private');
}

function writeAtomically(path: string, text: string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, text, { mode, flag: 'wx' });
  chmodSync(tmp, mode); // the umask may have narrowed or (with odd umasks) not applied the mode
  renameSync(tmp, path);
}

export function writePrivateJwksFile(path: string, jwks: Jwks, options: { overwrite: boolean }): void {
  if (!options.overwrite && existsSync(path)) {
    throw new TnxError('conflict', `${path} exists; pass --force to replace it`);
  }
  writeAtomically(path, `${JSON.stringify(jwks, null, 2)}\n`, 0o600);
}

/** The public JWKS matching a private one: non-retired keys, public members only. */
export function publicJwksOf(jwks: Jwks): Jwks {
  return { keys: jwks.keys.filter((k) => !isRetired(k)).map(toPublicJwk) };
}

export function writePublicJwksFile(path: string, jwks: Jwks, options: { overwrite: boolean }): void {
  if (!options.overwrite && existsSync(path)) {
    throw new TnxError('conflict', `${path} exists; pass --force to replace it`);
  }
  writeAtomically(path, `${JSON.stringify(publicJwksOf(jwks), null, 2)}\n`, 0o644);
}
