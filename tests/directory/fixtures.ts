/** Real keys and documents for the network-directory tests: a coordinator, states, signed issues. */
import { createPrivateKey, createSign } from 'node:crypto';
import { ManualClock } from '../../src/core/clock.js';
import { generateKey, generateKeySet } from '../../src/domain/keys/generate.js';
import { publicJwksOf } from '../../src/domain/keys/files.js';
import type { Jwks, TnxJwk } from '../../src/domain/keys/jwk.js';
import type { DirectoryEntry, NetworkDirectory } from '../../src/domain/directory/network.js';
import { signNetworkDirectory } from '../../src/domain/directory/network-jws.js';

export const T0 = Date.UTC(2026, 10, 1, 12);
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
export const POC = { unit: 'Travel desk', email: 'desk@example.org', phone: '+1 555 0100', hours: '24/7' };

export interface Coordinator {
  private: Jwks;
  public: Jwks;
  key: TnxJwk;
}

export async function coordinator(clock = new ManualClock(T0)): Promise<Coordinator> {
  const key = await generateKey('coordinator', 'sig', 'ES256', clock);
  const priv = { keys: [key] };
  return { private: priv, public: publicJwksOf(priv), key };
}

export async function stateKeys(state: string, at = T0): Promise<Jwks> {
  return generateKeySet(state, new ManualClock(at));
}

export function entry(state: string, keys: Jwks, port = 9): DirectoryEntry {
  return {
    state,
    name: `State ${state}`,
    endpoint: `http://127.0.0.1:${port}/tnx/v1/messages`,
    jwks: publicJwksOf(keys) as DirectoryEntry['jwks'],
    pointOfContact: { ...POC },
    accepts: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'],
  };
}

export function document(serial: number, states: DirectoryEntry[], at = T0): NetworkDirectory {
  return {
    v: '1',
    network: 'tnx-test',
    serial,
    issuedAt: new Date(at).toISOString(),
    nextUpdate: new Date(at + DAY).toISOString(),
    expiresAt: new Date(at + 7 * DAY).toISOString(),
    states,
  };
}

export function sign(doc: NetworkDirectory, c: Coordinator): Promise<string> {
  return signNetworkDirectory(doc, c.key);
}

/** A compact JWS with a hand-made header and payload, signed by `c` (for hostile-header tests). */
export function signRaw(header: Record<string, unknown>, payload: string, c: Coordinator): string {
  const h = Buffer.from(JSON.stringify(header)).toString('base64url');
  const p = Buffer.from(payload).toString('base64url');
  const key = createPrivateKey({ key: c.key as never, format: 'jwk' });
  const sig = createSign('SHA256').update(`${h}.${p}`).sign({ key, dsaEncoding: 'ieee-p1363' });
  return `${h}.${p}.${sig.toString('base64url')}`;
}
