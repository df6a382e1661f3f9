/**
 * The registry's two kinds of key, loaded together: the KEK ring (wraps data keys) and the blind-index
 * key (HMAC for search). They must differ: the index key is needed on every search and so lives in
 * more places; if it were also a KEK, anyone able to search could unwrap every data key.
 */
import { timingSafeEqual } from 'node:crypto';
import { TnxError } from '../../core/errors.js';
import { KekRing } from './kek.js';
import { readSymmetricKeyFile, type SymmetricKey } from './key-file.js';

export interface RegistryKeys {
  readonly kek: KekRing;
  readonly indexKey: SymmetricKey;
}

export interface RegistryKeyPaths {
  /** JWKS of "oct" KEKs (first non-retired = active) or one base64url secret; mode 0600. */
  kekPath: string;
  /** One "oct" key (JWKS with one key, or a base64url secret); mode 0600. */
  indexKeyPath: string;
}

export function registryKeys(
  kek: KekRing,
  indexKey: SymmetricKey,
  allKeks: readonly SymmetricKey[] = kek.kids.map((k) => kek.get(k)!),
): RegistryKeys {
  for (const k of allKeks) {
    if (timingSafeEqual(k.secret, indexKey.secret)) {
      throw new TnxError('key_material_invalid', 'the blind-index key must not also be a key-encryption key');
    }
  }
  return Object.freeze({ kek, indexKey });
}

export function loadRegistryKeys(paths: RegistryKeyPaths): RegistryKeys {
  const keks = readSymmetricKeyFile(paths.kekPath);
  const index = readSymmetricKeyFile(paths.indexKeyPath).filter((k) => !k.retired);
  if (index.length !== 1) {
    throw new TnxError('key_material_invalid', `${paths.indexKeyPath}: must hold exactly one usable index key`, {
      pointer: paths.indexKeyPath,
    });
  }
  return registryKeys(new KekRing(keks, paths.kekPath), index[0]!, keks);
}
