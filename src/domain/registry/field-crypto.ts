/**
 * Field-level encryption of a registrant's personal data at rest: AES-256-GCM under the registrant's
 * data key (./data-keys.ts), a fresh random 96-bit IV per field and per write (NIST SP 800-38D §8.2.2:
 * random IVs are safe far below 2^32 encryptions per key, and one registrant's key sees a handful).
 *
 * The AAD binds registrant id, field name and data-key version, so a ciphertext copied to another
 * record or into another field of the same record fails authentication instead of decrypting into
 * the wrong place.
 *
 * Stored form, one string per field: "f1.<dekVersion>.<iv>.<ciphertext>.<tag>" (base64url parts).
 * The plaintext is the field's JSON.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TnxError } from '../../core/errors.js';
import type { DataKey } from './data-keys.js';

const FORMAT = 'f1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function fieldAad(registrantId: string, field: string, version: number): Buffer {
  return Buffer.from(`tnx.registry.field.v1\u0000${registrantId}\u0000${field}\u0000${version}`, 'utf8');
}

export function encryptField(value: unknown, dek: DataKey, registrantId: string, field: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dek.secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(fieldAad(registrantId, field, dek.version));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [
    FORMAT,
    String(dek.version),
    iv.toString('base64url'),
    ct.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
  ].join('.');
}

export function decryptField(token: string, dek: DataKey, registrantId: string, field: string): unknown {
  // One error for every failure: a caller must not learn whether the format, the key or the binding
  // was wrong (no oracle), and the message names the record and field, never their content.
  const fail = (cause?: unknown): TnxError =>
    new TnxError('personal_data_unreadable', `field ${field} of registrant ${registrantId} could not be decrypted`, {
      cause,
    });
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT || parts[1] !== String(dek.version)) throw fail();
  const [, , iv, ct, tag] = parts as [string, string, string, string, string];
  try {
    const decipher = createDecipheriv('aes-256-gcm', dek.secret, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(fieldAad(registrantId, field, dek.version));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch (cause) {
    throw fail(cause);
  }
}
