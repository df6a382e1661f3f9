/**
 * The key set an audit verification uses: the public part of every signing key we ever had, retired
 * ones included. KeyRing.publicJwks() serves only current keys (what partners may use today), but a
 * checkpoint signed last year was signed with last year's key, and the trail must stay verifiable
 * after that key is rotated and retired. Only public members leave this module (allow-list in
 * src/domain/keys/jwk.ts), so the result may be handed to an auditor.
 */
import type { JSONWebKeySet } from 'jose';
import { readPrivateJwksFile } from '../../domain/keys/files.js';
import { toPublicJwk, type Jwks } from '../../domain/keys/jwk.js';

export function auditJwksOf(privateJwks: Jwks): JSONWebKeySet {
  return { keys: privateJwks.keys.filter((k) => k.use === 'sig').map(toPublicJwk) };
}

/** Read the private key file named by config.keys.privateJwksPath and keep the public signing keys. */
export function auditJwksFromFile(privateJwksPath: string): JSONWebKeySet {
  return auditJwksOf(readPrivateJwksFile(privateJwksPath));
}
