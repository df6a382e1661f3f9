/**
 * Key generation for `tnx keys generate` and `tnx keys rotate`.
 *
 * A key set holds one signing and one encryption key per generation. Profile "ec" (the TNX/1
 * mandatory algorithms) is ES256 + ECDH-ES+A256KW on P-256; profile "rsa" (optional algorithms) is
 * PS256 + RSA-OAEP-256 with 3072-bit moduli (NIST SP 800-57: 128-bit security, like P-256).
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { KeyAlgorithm, KeyUse } from '../protocol/envelope/algorithms.js';
import { type Clock, isoTime } from '../../core/clock.js';
import type { Jwks, TnxJwk } from './jwk.js';

export type KeyProfile = 'ec' | 'rsa';
export const KEY_PROFILES: readonly KeyProfile[] = ['ec', 'rsa'];

const PROFILE_ALGS: Record<KeyProfile, Record<KeyUse, KeyAlgorithm>> = {
  ec: { sig: 'ES256', enc: 'ECDH-ES+A256KW' },
  rsa: { sig: 'PS256', enc: 'RSA-OAEP-256' },
};

const RSA_BITS = 3072;

/**
 * A kid that says whose key it is, what for and when it was made, plus 48 random bits so two
 * rotations on one day never collide: "USA-sig-20261127-9f86d081884c".
 */
export function newKid(state: string, use: KeyUse, clock: Clock): string {
  const day = isoTime(clock.now()).slice(0, 10).replaceAll('-', '');
  return `${state}-${use}-${day}-${randomBytes(6).toString('hex')}`;
}

export async function generateKey(state: string, use: KeyUse, alg: KeyAlgorithm, clock: Clock): Promise<TnxJwk> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg.startsWith('RSA') || alg === 'PS256' ? { modulusLength: RSA_BITS } : {}) });
  const jwk = await exportJWK(privateKey);
  return {
    ...(jwk as Record<string, unknown>),
    kid: newKid(state, use, clock),
    use,
    alg,
    tnx_created: isoTime(clock.now()),
  } as TnxJwk;
}

/** One signing and one encryption key for `state`. */
export async function generateKeySet(state: string, clock: Clock, profile: KeyProfile = 'ec'): Promise<Jwks> {
  const algs = PROFILE_ALGS[profile];
  return { keys: [await generateKey(state, 'sig', algs.sig, clock), await generateKey(state, 'enc', algs.enc, clock)] };
}

export function profileOf(alg: KeyAlgorithm): KeyProfile {
  return alg === 'PS256' || alg === 'RSA-OAEP-256' ? 'rsa' : 'ec';
}

export function algorithmFor(profile: KeyProfile, use: KeyUse): KeyAlgorithm {
  return PROFILE_ALGS[profile][use];
}
