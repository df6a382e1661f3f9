/**
 * Receipts: the signed answer to every accepted delivery (protocol/SPEC.md, "Receipts").
 *
 *   JWS header  { alg: ES256|PS256, typ: "tnx-receipt+jwt", kid }
 *   payload     { iss: receiver, aud: sender, jti, iat, tnx: { v, type: "Receipt", messageId, digest, receivedAt } }
 *
 * A receipt is not encrypted: it carries no personal data, only ids and a digest. The sender keeps
 * it as proof of delivery, so verification is strict: the receipt must be signed by the partner we
 * delivered to (key from our directory, never from the token), typed, addressed to us, and must name
 * exactly the message id and digest we sent.
 */
import { uuid7 } from '../../../core/uuid7.js';
import { CompactSign, compactVerify } from 'jose';
import { isTnxError, TnxError } from '../../../core/errors.js';
import type { Directory, VerificationKey } from '../../directory/directory.js';
import type { KeyRing } from '../../keys/keyring.js';
import type { Clock } from '../../../core/clock.js';
import { parseStrictJson } from '../strict-json.js';
import { PROTOCOL_VERSION, RECEIPT_TYP, type Receipt, type StateCode, type TnxClaims } from '../types.js';
import { validateReceiptClaims } from '../validate.js';
import { isJwsAlgorithm, JWS_ALGORITHMS } from './algorithms.js';
import { decodeHeader, kidOf, mediaTypeEquals, refuseForbiddenHeaders, splitCompact, utf8Text } from './headers.js';

export interface ReceiptInput {
  /** The `jti` of the message received. */
  messageId: string;
  /** base64url SHA-256 of the exact JWE bytes received (`open()` returns it). */
  digest: string;
  /** RFC 3339 UTC with milliseconds. */
  receivedAt: string;
  /** The verified sender: the receipt's `aud`. */
  sender: StateCode;
}

export async function signReceipt(input: ReceiptInput, ctx: { keys: KeyRing; state: StateCode; clock: Clock }): Promise<string> {
  const claims: TnxClaims<Receipt> = {
    iss: ctx.state,
    aud: input.sender,
    jti: uuid7(),
    iat: Math.floor(ctx.clock.now() / 1000),
    tnx: { v: PROTOCOL_VERSION, type: 'Receipt', messageId: input.messageId, digest: input.digest, receivedAt: input.receivedAt },
  };
  validateReceiptClaims(claims); // never sign a receipt the sender would have to refuse
  const sig = ctx.keys.signingKey();
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: sig.alg, typ: RECEIPT_TYP, kid: sig.kid })
    .sign(sig.key);
}

export interface ReceiptExpectation {
  /** The partner we delivered to: the only acceptable signer and `iss`. */
  partner: StateCode;
  /** The jti we sent. */
  messageId: string;
  /** The digest of the JWE we sent. */
  digest: string;
}

function invalid(message: string, cause?: unknown): TnxError {
  return new TnxError('receipt_invalid', message, { cause, detail: isTnxError(cause) ? { reason: cause.code } : undefined });
}

/**
 * Verify a receipt: receipt_invalid when it is not a receipt signed by `partner` for us (shape, alg,
 * headers, typ, kid, signature, iss/aud, schema); receipt_mismatch when it is genuine but names another
 * message id or digest (the partner received something other than what we sent).
 */
export async function verifyReceipt(jws: string, expected: ReceiptExpectation, ctx: { directory: Directory; state: StateCode }): Promise<Receipt> {
  let signer: VerificationKey | undefined;
  try {
    splitCompact(jws, 3, 'receipt');
    const header = decodeHeader(jws.split('.')[0]!, 'receipt header');
    if (!isJwsAlgorithm(header.alg)) throw invalid(`receipt alg must be one of ${JWS_ALGORITHMS.join(', ')}`);
    refuseForbiddenHeaders(header, 'receipt');
    if (!mediaTypeEquals(header.typ, RECEIPT_TYP)) throw invalid(`receipt typ must be "${RECEIPT_TYP}"`);
    const kid = kidOf(header);
    signer = kid === undefined ? undefined : await ctx.directory.verificationKey(kid);
    if (!signer || signer.state !== expected.partner) throw invalid('receipt kid is not a signing key of the partner');
    if (signer.alg !== header.alg) throw invalid('receipt alg does not match the key');
  } catch (err) {
    throw isTnxError(err, 'receipt_invalid') ? err : invalid('receipt is malformed', err);
  }

  let payload: Uint8Array;
  try {
    const key = signer;
    ({ payload } = await compactVerify(jws, (h) => {
      if (h.kid !== key.kid) throw invalid('receipt kid changed');
      return key.key;
    }, { algorithms: [key.alg] }));
  } catch (cause) {
    throw invalid('receipt signature does not verify', cause);
  }

  let claims: TnxClaims<Receipt>;
  try {
    claims = validateReceiptClaims(parseStrictJson(utf8Text(payload, 'receipt payload')));
  } catch (cause) {
    throw invalid('receipt claims are invalid', cause);
  }
  if (claims.iss !== expected.partner) throw invalid('receipt iss is not the partner');
  if (claims.aud !== ctx.state) throw invalid('receipt aud is not this gateway');
  if (claims.tnx.messageId !== expected.messageId) throw new TnxError('receipt_mismatch', 'receipt names another message id', { pointer: '/tnx/messageId' });
  if (claims.tnx.digest !== expected.digest) throw new TnxError('receipt_mismatch', 'receipt digest differs from the envelope sent', { pointer: '/tnx/digest' });
  return claims.tnx;
}
