/**
 * Reading and writing key files. A private JWKS is written with mode 0600 from the first byte
 * (created with that mode, then renamed into place), so there is no window in which another local
 * account could read it; an existing file is only replaced when the caller says so.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/** Written in full next to `path` (mode set from the first byte), not yet in place: its temp name. */
function stage(path: string, text: string, mode: number): string {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, text, { mode, flag: 'wx' });
  chmodSync(tmp, mode); // the umask may have narrowed or (with odd umasks) not applied the mode
  return tmp;
}

function writeAtomically(path: string, text: string, mode: number): void {
  renameSync(stage(path, text, mode), path);
}

function refuseOverwrite(path: string, overwrite: boolean): void {
  if (!overwrite && existsSync(path)) throw new TnxError('conflict', `${path} exists; pass --force to replace it`);
}

/** A private JWKS and its public one written beside their paths: `commit` puts them in place, `discard` removes them. */
export interface StagedJwksFiles {
  commit(): void;
  discard(): void;
}

/**
 * Stage a private JWKS (0600) and, when `publicPath` is given, its public JWKS (0644), so the caller
 * can do what must come first (record the change in the audit trail) before either file changes.
 */
export function stageJwksFiles(
  privatePath: string,
  publicPath: string | undefined,
  jwks: Jwks,
  options: { overwrite: boolean },
): StagedJwksFiles {
  refuseOverwrite(privatePath, options.overwrite);
  if (publicPath) refuseOverwrite(publicPath, options.overwrite);
  const staged: [string, string][] = [];
  const discard = () => {
    for (const [tmp] of staged.splice(0)) rmSync(tmp, { force: true });
  };
  try {
    staged.push([stage(privatePath, `${JSON.stringify(jwks, null, 2)}\n`, 0o600), privatePath]);
    if (publicPath)
      staged.push([stage(publicPath, `${JSON.stringify(publicJwksOf(jwks), null, 2)}\n`, 0o644), publicPath]);
  } catch (err) {
    discard();
    throw err;
  }
  return {
    commit() {
      for (const [tmp, path] of staged.splice(0)) renameSync(tmp, path);
    },
    discard,
  };
}

export function writePrivateJwksFile(path: string, jwks: Jwks, options: { overwrite: boolean }): void {
  refuseOverwrite(path, options.overwrite);
  writeAtomically(path, `${JSON.stringify(jwks, null, 2)}\n`, 0o600);
}

/** The public JWKS matching a private one: non-retired keys, public members only. */
export function publicJwksOf(jwks: Jwks): Jwks {
  return { keys: jwks.keys.filter((k) => !isRetired(k)).map(toPublicJwk) };
}

export function writePublicJwksFile(path: string, jwks: Jwks, options: { overwrite: boolean }): void {
  refuseOverwrite(path, options.overwrite);
  writeAtomically(path, `${JSON.stringify(publicJwksOf(jwks), null, 2)}\n`, 0o644);
}
