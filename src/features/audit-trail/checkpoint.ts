/**
 * Signed checkpoints of the audit chain head.
 *
 * A checkpoint is a compact JWS (RFC 7515) over {seq, headHash, at, state}, signed with the gateway's
 * signing key (ES256 on the default key profile) and typed "tnx-audit-checkpoint+jwt" (RFC 8725 §3.11: explicit typing, so a
 * checkpoint can never be mistaken for a TNX/1 message or a receipt signed with the same key). Because
 * headHash commits to every event up to seq, one signature protects the whole prefix of the chain:
 * rewriting any event at or before seq means forging a signature. Verification needs the public JWKS
 * only, so an auditor can check it offline.
 */
import { CompactSign, compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { FORBIDDEN_HEADERS, JWS_ALGORITHMS } from '../../domain/protocol/envelope/algorithms.js';
import { tnxError } from '../../core/errors.js';
import type { AuditCheckpoint } from '../../ports/store/index.js';

export const CHECKPOINT_TYP = 'tnx-audit-checkpoint+jwt';
/**
 * Explicit allow-list (RFC 8725 §3.1): the TNX/1 signature algorithms — ES256, or PS256 for a
 * gateway on the optional RSA key profile. The checkpoint is signed with whatever our signing key is.
 */
export const CHECKPOINT_ALGS = JWS_ALGORITHMS;

/** What a checkpoint signs. `at` is epoch ms; `state` is the signing gateway's ISO 3166-1 alpha-3 code. */
export interface CheckpointPayload {
  seq: number;
  headHash: string;
  at: number;
  state: string;
}

/** The signing key as the KeyRing hands it out (`keys.signingKey()`). */
export interface CheckpointSigningKey {
  kid: string;
  alg: string;
  key: Parameters<CompactSign['sign']>[0];
}

const HEX64 = /^[0-9a-f]{64}$/;

export async function signCheckpoint(
  payload: CheckpointPayload,
  signer: CheckpointSigningKey,
): Promise<AuditCheckpoint> {
  if (!(CHECKPOINT_ALGS as readonly string[]).includes(signer.alg)) {
    throw tnxError(
      'key_material_invalid',
      `checkpoint signing key ${signer.kid} has an algorithm outside ${CHECKPOINT_ALGS.join(', ')}`,
    );
  }
  const body = { seq: payload.seq, headHash: payload.headHash, at: payload.at, state: payload.state };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: signer.alg, typ: CHECKPOINT_TYP, kid: signer.kid })
    .sign(signer.key);
  return { seq: payload.seq, headHash: payload.headHash, at: payload.at, jws };
}

export type CheckpointCheck =
  | { ok: true; payload: CheckpointPayload; kid: string }
  | { ok: false; problem: 'checkpoint signature invalid' | 'checkpoint record does not match its signed payload' };

/**
 * Check one stored checkpoint: its signature against `jwks` (ES256 only, kid-selected, typ fixed, no
 * embedded keys), then that the stored seq/headHash columns say what was signed — so an edited row is
 * caught even though its JWS is genuine. Whether headHash matches the chain is the caller's check.
 */
export async function checkCheckpoint(cp: AuditCheckpoint, jwks: JSONWebKeySet): Promise<CheckpointCheck> {
  const invalid = { ok: false, problem: 'checkpoint signature invalid' } as const;
  let kid: string;
  try {
    const header = decodeProtectedHeader(cp.jws);
    if (header.typ !== CHECKPOINT_TYP || typeof header.kid !== 'string') return invalid;
    // Key material must come from our JWKS, never from the token itself (RFC 8725 §3.10).
    if (FORBIDDEN_HEADERS.some((h) => h in header)) return invalid;
    kid = header.kid;
  } catch {
    return invalid;
  }
  let payload: CheckpointPayload;
  try {
    const res = await compactVerify(cp.jws, createLocalJWKSet(jwks), { algorithms: [...CHECKPOINT_ALGS] });
    payload = JSON.parse(new TextDecoder().decode(res.payload)) as CheckpointPayload;
  } catch {
    return invalid;
  }
  if (
    !payload ||
    typeof payload !== 'object' ||
    !Number.isSafeInteger(payload.seq) ||
    payload.seq < 1 ||
    typeof payload.headHash !== 'string' ||
    !HEX64.test(payload.headHash) ||
    !Number.isSafeInteger(payload.at) ||
    typeof payload.state !== 'string'
  ) {
    return invalid;
  }
  if (payload.seq !== cp.seq || payload.headHash !== cp.headHash) {
    return { ok: false, problem: 'checkpoint record does not match its signed payload' };
  }
  return { ok: true, payload, kid };
}
