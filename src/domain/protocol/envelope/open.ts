/**
 * open(): a compact JWE received on the inbox → verified claims and message.
 *
 * Every check runs in a fixed order, cheapest and least revealing first, and fails with its own code
 * (protocol/SPEC.md, error table): size → shape and header JSON → alg/enc allow-list → forbidden
 * headers and crit → cty → kid is ours → decrypt → inner JWS shape, alg, headers, typ → signer kid in
 * the directory → verify → claims (aud, iss, key owner, iat window) → message schema.
 * Decryption and signature failures are one error with one message (no padding/signature oracle).
 * Keys are chosen by resolver functions that look the kid up in our KeyRing or Directory only.
 */
import { compactDecrypt, compactVerify } from 'jose';
import { envelopeRejected, isTnxError, TnxError } from '../../../core/errors.js';
import type { Directory, VerificationKey } from '../../directory/directory.js';
import type { DecryptionKey, KeyRing } from '../../keys/keyring.js';
import type { Clock } from '../../../core/clock.js';
import { parseStrictJson } from '../strict-json.js';
import { JWE_CTY, JWS_TYP, type StateCode, type TnxClaims, type TnxMessage } from '../types.js';
import { validateClaims, validateMessage } from '../validate.js';
import { isJweKeyAlgorithm, isJwsAlgorithm, JWE_CONTENT_ALGORITHMS, JWE_KEY_ALGORITHMS, JWS_ALGORITHMS } from './algorithms.js';
import { checkIat } from './claims.js';
import { decodeHeader, digestOf, kidOf, mediaTypeEquals, refuseForbiddenHeaders, splitCompact, utf8Text, type Header } from './headers.js';

export interface OpenContext {
  keys: KeyRing;
  directory: Directory;
  /** Our own state: the only `aud` we accept. */
  state: StateCode;
  clock: Clock;
  maxMessageBytes: number;
  clockSkewSeconds: number;
  maxMessageAgeSeconds: number;
}

export interface Opened {
  claims: TnxClaims<TnxMessage>;
  /** The verified sender (= claims.iss = owner of the signing key). */
  sender: StateCode;
  /** base64url SHA-256 of the exact JWE received. */
  digest: string;
}

export async function open(jwe: string, ctx: OpenContext): Promise<Opened> {
  if (typeof jwe !== 'string') throw new TnxError('malformed_envelope', 'envelope must be a string');
  const size = Buffer.byteLength(jwe, 'utf8');
  if (size > ctx.maxMessageBytes) {
    throw new TnxError('payload_too_large', `envelope of ${size} bytes exceeds the limit of ${ctx.maxMessageBytes}`, { detail: { limit: ctx.maxMessageBytes } });
  }
  const digest = digestOf(jwe);
  const jweParts = splitCompact(jwe, 5, 'JWE');
  const jweHeader = decodeHeader(jweParts[0]!, 'JWE protected header');
  const decryptionKey = checkJweHeader(jweHeader, ctx.keys);

  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(jwe, (h) => resolveDecryptionKey(h.kid, ctx.keys), {
      keyManagementAlgorithms: [decryptionKey.alg],
      contentEncryptionAlgorithms: [...JWE_CONTENT_ALGORITHMS],
    }));
  } catch (cause) {
    throw envelopeRejected(cause);
  }

  const jws = Buffer.from(plaintext).toString('latin1');
  const jwsParts = splitCompact(jws, 3, 'inner JWS');
  if (jwsParts[1] === '') throw new TnxError('malformed_envelope', 'inner JWS has an empty payload');
  const jwsHeader = decodeHeader(jwsParts[0]!, 'JWS protected header');
  const signer = await checkJwsHeader(jwsHeader, ctx.directory);

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, (h) => resolveVerificationKey(h.kid, signer), { algorithms: [signer.alg] }));
  } catch (cause) {
    throw envelopeRejected(cause);
  }

  let raw: unknown;
  try {
    raw = parseStrictJson(utf8Text(payload, 'JWS payload'));
  } catch (cause) {
    throw new TnxError('invalid_claims', 'JWS payload is not a valid JSON object', { cause, detail: isTnxError(cause) ? { reason: cause.code } : undefined });
  }
  const claims = validateClaims(raw);
  if (claims.aud !== ctx.state) throw new TnxError('wrong_recipient', 'aud is not this gateway', { pointer: '/aud' });
  // Membership first, ownership second: an unknown iss and a known-but-wrong iss are different faults.
  if (!ctx.directory.partner(claims.iss)) throw new TnxError('unknown_sender', 'iss is not in the directory', { pointer: '/iss' });
  if (claims.iss !== signer.state) throw new TnxError('sender_mismatch', 'iss does not own the signing key', { pointer: '/iss' });
  checkIat(claims.iat, ctx);

  const tnx = validateMessage(claims.tnx);
  // The message repeats the routing; it must say what the verified envelope says (the same binding
  // validateMessageClaims applies, without validating the claims a second time).
  if (tnx.origin !== claims.iss) throw new TnxError('invalid_claims', '/tnx/origin must equal iss', { pointer: '/tnx/origin' });
  if (tnx.destination !== claims.aud) throw new TnxError('invalid_claims', '/tnx/destination must equal aud', { pointer: '/tnx/destination' });
  return { claims: { ...claims, tnx }, sender: claims.iss, digest };
}

function checkJweHeader(h: Header, keys: KeyRing): DecryptionKey {
  if (!isJweKeyAlgorithm(h.alg)) {
    throw new TnxError('unsupported_algorithm', 'JWE alg is not allowed', { detail: { allowed: [...JWE_KEY_ALGORITHMS] } });
  }
  if (!(JWE_CONTENT_ALGORITHMS as readonly unknown[]).includes(h.enc)) {
    throw new TnxError('unsupported_algorithm', 'JWE enc is not allowed', { detail: { allowed: [...JWE_CONTENT_ALGORITHMS] } });
  }
  refuseForbiddenHeaders(h, 'JWE');
  // RFC 7519 §5.2: a nested JWT's outer header says cty "JWT"; anything else is not a TNX envelope.
  if (!mediaTypeEquals(h.cty, JWE_CTY)) throw new TnxError('invalid_token_type', 'JWE cty must be "JWT"', { detail: { header: 'cty' } });
  const kid = kidOf(h);
  const key = kid === undefined ? undefined : keys.decryptionKey(kid);
  if (!key) throw new TnxError('unknown_key', kid === undefined ? 'JWE kid is missing' : 'JWE kid is not one of our encryption keys');
  if (key.alg !== h.alg) throw new TnxError('unsupported_algorithm', 'JWE alg does not match the key', { detail: { allowed: [key.alg] } });
  return key;
}

async function checkJwsHeader(h: Header, directory: Directory): Promise<VerificationKey> {
  if (!isJwsAlgorithm(h.alg)) throw new TnxError('unsupported_algorithm', 'JWS alg is not allowed', { detail: { allowed: [...JWS_ALGORITHMS] } });
  refuseForbiddenHeaders(h, 'JWS');
  // RFC 8725 §3.11: explicit typing, so no other JWT signed by a partner can pass as a TNX message.
  if (!mediaTypeEquals(h.typ, JWS_TYP)) throw new TnxError('invalid_token_type', `JWS typ must be "${JWS_TYP}"`, { detail: { header: 'typ' } });
  const kid = kidOf(h);
  const key = kid === undefined ? undefined : await directory.verificationKey(kid);
  if (!key) throw new TnxError('unknown_key', kid === undefined ? 'JWS kid is missing' : 'JWS kid is not a partner signing key');
  if (key.alg !== h.alg) throw new TnxError('unsupported_algorithm', 'JWS alg does not match the key', { detail: { allowed: [key.alg] } });
  return key;
}

/** jose key resolver: only our KeyRing answers, and only for the kid already checked. */
function resolveDecryptionKey(kid: unknown, keys: KeyRing): CryptoKeyLike {
  const key = typeof kid === 'string' ? keys.decryptionKey(kid) : undefined;
  if (!key) throw envelopeRejected();
  return key.key;
}

/** jose key resolver: only the directory entry already looked up for this kid. */
function resolveVerificationKey(kid: unknown, signer: VerificationKey): CryptoKeyLike {
  if (kid !== signer.kid) throw envelopeRejected();
  return signer.key;
}

type CryptoKeyLike = DecryptionKey['key'];
