/**
 * Per-registrant data keys (DEK): 256 random bits each, wrapped by a KEK (./kek.ts).
 *
 * Wrapping is AES-256-GCM with a random 96-bit IV and an AAD that binds the wrapped key to its
 * registrant, its own version and the KEK id; a wrapped DEK copied onto another registrant's record,
 * or relabelled with another KEK id, fails authentication instead of opening that record.
 * (AES-GCM rather than RFC 3394 key wrap: it is the one AEAD we already use, and it takes an AAD.)
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TnxError } from '../../core/errors.js';
import type { KekRing } from './kek.js';

export const DEK_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A data key in memory. Never stored or logged as is. */
export interface DataKey {
  readonly secret: Buffer;
  /** Starts at 1; a re-key (new DEK, fields re-encrypted) increments it. Bound into every field's AAD. */
  readonly version: number;
}

/** A data key as stored on the registrant record. */
export interface WrappedDek {
  alg: 'A256GCM';
  /** Id of the KEK that wrapped it (src/domain/registry/kek.ts). */
  kid: string;
  version: number;
  /** base64url IV, ciphertext (32 bytes) and GCM tag. */
  iv: string;
  ciphertext: string;
  tag: string;
}

export function newDataKey(version = 1): DataKey {
  return { secret: randomBytes(DEK_BYTES), version };
}

function wrapAad(registrantId: string, kid: string, version: number): Buffer {
  return Buffer.from(`tnx.registry.dek.v1\u0000${registrantId}\u0000${kid}\u0000${version}`, 'utf8');
}

function unreadable(message: string, cause?: unknown): TnxError {
  return new TnxError('personal_data_unreadable', message, { cause });
}

export function wrapDek(dek: DataKey, registrantId: string, ring: KekRing): WrappedDek {
  const kek = ring.active;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek.secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(wrapAad(registrantId, kek.kid, dek.version));
  const ciphertext = Buffer.concat([cipher.update(dek.secret), cipher.final()]);
  return {
    alg: 'A256GCM',
    kid: kek.kid,
    version: dek.version,
    iv: iv.toString('base64url'),
    ciphertext: ciphertext.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

export function unwrapDek(wrapped: WrappedDek, registrantId: string, ring: KekRing): DataKey {
  const kek = ring.get(wrapped.kid);
  // Which KEK was missing is not personal data, but it is not the caller's business either
  // (personal_data_unreadable is not exposed); the id goes to the log through the message.
  if (!kek) throw unreadable(`data key of registrant ${registrantId}: KEK ${wrapped.kid} is not available`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.secret, Buffer.from(wrapped.iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(wrapAad(registrantId, wrapped.kid, wrapped.version));
    decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64url'));
    const secret = Buffer.concat([decipher.update(Buffer.from(wrapped.ciphertext, 'base64url')), decipher.final()]);
    if (secret.length !== DEK_BYTES) throw new Error('wrong data key length');
    return { secret, version: wrapped.version };
  } catch (cause) {
    throw unreadable(`data key of registrant ${registrantId} does not authenticate`, cause);
  }
}

/**
 * KEK rotation: unwrap with whichever KEK wrapped it, wrap again with the active one. The data key
 * itself — and so every encrypted field — is unchanged, so no field is re-encrypted.
 * Returns the same object when it is already wrapped by the active KEK.
 */
export function rewrapDek(wrapped: WrappedDek, registrantId: string, ring: KekRing): WrappedDek {
  if (wrapped.kid === ring.active.kid) return wrapped;
  const dek = unwrapDek(wrapped, registrantId, ring);
  try {
    return wrapDek(dek, registrantId, ring);
  } finally {
    dek.secret.fill(0);
  }
}
