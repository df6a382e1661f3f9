/**
 * Rotation and retirement of a private key set (pure functions over the JWKS; files are handled in
 * ./files.ts).
 *
 * Rotate adds a new signing and a new encryption key with new kids and keeps the old ones: we sign
 * with the newest at once, partners that still hold our old public JWKS keep sealing to the old
 * encryption key, which keeps opening until it is retired. Retiring marks a key (`tnx_retired`)
 * instead of deleting it, so the file records what was used when; a retired key is never imported,
 * used or published again.
 */
import { TnxError } from '../../core/errors.js';
import { type Clock, isoTime } from '../../core/clock.js';
import { algorithmFor, generateKey, profileOf, type KeyProfile } from './generate.js';
import { isRetired, newestFirst, type Jwks, type TnxJwk } from './jwk.js';

/** Owner of the network directory's signing keys (kids "coordinator-sig-…"); it has no encryption key. */
export const COORDINATOR = 'coordinator';

/** The state a key set belongs to, read from its kids ("USA-sig-…"), or COORDINATOR. */
export function stateOfKeySet(jwks: Jwks): string {
  const state = jwks.keys.map((k) => /^([A-Z]{3}|coordinator)-/.exec(k.kid)?.[1]).find((s) => s !== undefined);
  if (!state) throw new TnxError('key_material_invalid', 'cannot tell the state from the kids; pass --state');
  return state;
}

/**
 * Add one new key per use, of the same profile as the current key of that use (default "ec"). The
 * coordinator only signs, so its set gains a signing key only.
 */
export async function rotateKeySet(jwks: Jwks, clock: Clock, options: { state?: string; profile?: KeyProfile } = {}): Promise<{ jwks: Jwks; added: TnxJwk[] }> {
  const state = options.state ?? stateOfKeySet(jwks);
  const added: TnxJwk[] = [];
  const uses = state === COORDINATOR ? (['sig'] as const) : (['sig', 'enc'] as const);
  for (const use of uses) {
    const current = newestFirst(jwks.keys.filter((k) => k.use === use && !isRetired(k)))[0];
    const profile = options.profile ?? (current ? profileOf(current.alg) : 'ec');
    added.push(await generateKey(state, use, algorithmFor(profile, use), clock));
  }
  return { jwks: { keys: [...jwks.keys, ...added] }, added };
}

/**
 * Mark `kid` retired. Refuses to retire the last current key of a use: a gateway without a signing
 * or encryption key cannot start (rotate first, then retire the old one).
 */
export function retireKey(jwks: Jwks, kid: string, clock: Clock): Jwks {
  const target = jwks.keys.find((k) => k.kid === kid);
  if (!target) throw new TnxError('not_found', `no key with kid ${kid}`);
  if (isRetired(target)) throw new TnxError('conflict', `key ${kid} is already retired`);
  const others = jwks.keys.filter((k) => k.use === target.use && k.kid !== kid && !isRetired(k));
  if (others.length === 0) throw new TnxError('conflict', `key ${kid} is the only current "${target.use}" key; rotate before retiring it`);
  const retiredAt = isoTime(clock.now());
  return { keys: jwks.keys.map((k) => (k.kid === kid ? { ...k, tnx_retired: retiredAt } : k)) };
}
