/**
 * The people of a manifest at rest: one AES-256-GCM ciphertext of the passenger list under a fresh
 * per-manifest data key, wrapped by the registry KEK (the same key hierarchy as registrants,
 * src/domain/registry/data-keys.ts). The binding id is `manifest:<id>`, so a manifest's ciphertext or key
 * copied onto another record — or onto a registrant — fails to authenticate.
 *
 * Purging (./retention.ts) drops both the ciphertext and the wrapped key; a copy of the row in a
 * backup then holds ciphertext nobody can open once the KEK it was wrapped with is retired.
 */
import { newDataKey, unwrapDek, wrapDek, type WrappedDek } from '../../domain/registry/data-keys.js';
import { decryptField, encryptField } from '../../domain/registry/field-crypto.js';
import type { RegistryKeys } from '../../domain/registry/registry-keys.js';
import type { ManifestPassenger } from '../../domain/screening/manifest.js';
import { TnxError } from '../../core/errors.js';

const FIELD = 'manifest.people';
const bindingId = (manifestId: string): string => `manifest:${manifestId}`;

export interface SealedPeople {
  sealedPeople: string;
  wrappedKey: string;
}

export function sealPeople(manifestId: string, people: readonly ManifestPassenger[], keys: RegistryKeys): SealedPeople {
  const dek = newDataKey();
  try {
    return {
      sealedPeople: encryptField(people, dek, bindingId(manifestId), FIELD),
      wrappedKey: JSON.stringify(wrapDek(dek, bindingId(manifestId), keys.kek)),
    };
  } finally {
    dek.secret.fill(0);
  }
}

/** The people of a manifest; `not_found`-free: a purged manifest gives null. */
export function openPeople(
  manifestId: string,
  sealed: { sealedPeople: string | null; wrappedKey: string | null },
  keys: RegistryKeys,
): ManifestPassenger[] | null {
  if (sealed.sealedPeople === null || sealed.wrappedKey === null) return null;
  let wrapped: WrappedDek;
  try {
    wrapped = JSON.parse(sealed.wrappedKey) as WrappedDek;
  } catch (cause) {
    throw new TnxError('personal_data_unreadable', `key of manifest ${manifestId} is unreadable`, { cause });
  }
  const dek = unwrapDek(wrapped, bindingId(manifestId), keys.kek);
  try {
    return decryptField(sealed.sealedPeople, dek, bindingId(manifestId), FIELD) as ManifestPassenger[];
  } finally {
    dek.secret.fill(0);
  }
}
