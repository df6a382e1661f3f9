/**
 * seal(): a TNX/1 message → nested JWT (RFC 7519 §5.2): a JWS signed with our newest signing key,
 * encrypted to the recipient's current encryption key from the directory.
 *
 *   JWS header  { alg: ES256|PS256, typ: "tnx+jwt", kid }
 *   JWS payload { iss, aud, jti, iat, tnx }
 *   JWE header  { alg: ECDH-ES+A256KW|RSA-OAEP-256, enc: A256GCM, kid, cty: "JWT" }
 *
 * The message is validated before sealing: we never sign what a partner would have to refuse.
 */
import { uuid7 } from '../../../core/uuid7.js';
import { CompactEncrypt, CompactSign } from 'jose';
import { TnxError } from '../../../core/errors.js';
import type { Directory } from '../../directory/directory.js';
import type { KeyRing } from '../../keys/keyring.js';
import type { Clock } from '../../../core/clock.js';
import { JWE_CTY, JWS_TYP, type StateCode, type TnxClaims, type TnxMessage } from '../types.js';
import { validateMessage } from '../validate.js';
import { digestOf } from './headers.js';

export interface SealContext {
  keys: KeyRing;
  directory: Directory;
  /** Our own state: the `iss`. */
  state: StateCode;
  clock: Clock;
}

export interface Sealed {
  /** Compact JWE, the body of POST /tnx/v1/messages. */
  jwe: string;
  /** The message id (`jti`), a new UUID per seal. */
  jti: string;
  /** base64url SHA-256 of `jwe`: what the partner's receipt must echo. */
  digest: string;
}

const encoder = new TextEncoder();

export async function seal(message: TnxMessage, recipient: StateCode, ctx: SealContext): Promise<Sealed> {
  const tnx = validateMessage(message);
  // The message's own routing fields must agree with the envelope's, or the two could be read apart.
  if (tnx.origin !== ctx.state) throw new TnxError('invalid_message', 'message origin must be our own state', { pointer: '/origin' });
  if (tnx.destination !== recipient) throw new TnxError('invalid_message', 'message destination must be the recipient', { pointer: '/destination' });
  const enc = await ctx.directory.encryptionKey(recipient);
  if (!enc) throw new TnxError('unknown_key', `no encryption key for recipient ${recipient} in the directory`);

  const jti = uuid7();
  const claims: TnxClaims<TnxMessage> = { iss: ctx.state, aud: recipient, jti, iat: Math.floor(ctx.clock.now() / 1000), tnx };
  const sig = ctx.keys.signingKey();
  const jws = await new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: sig.alg, typ: JWS_TYP, kid: sig.kid })
    .sign(sig.key);
  const jwe = await new CompactEncrypt(encoder.encode(jws))
    .setProtectedHeader({ alg: enc.alg, enc: 'A256GCM', kid: enc.kid, cty: JWE_CTY })
    .encrypt(enc.key);
  return { jwe, jti, digest: digestOf(jwe) };
}
