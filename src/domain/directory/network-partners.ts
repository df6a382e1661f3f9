/**
 * A verified network directory as the partner list our Directory uses. Our own entry is left out (we
 * are not our own partner); limits are local policy — how hard we push deliveries to a partner is our
 * capacity decision, not the coordinator's — so they come from the caller. Retired and revoked keys
 * are kept with their markers: the Directory skips them, and the API can still show them.
 */
import type { StateCode } from '../protocol/types.js';
import type { Partner, PartnerLimits } from './partner.js';
import { toDirectoryKey, type NetworkDirectory } from './network.js';
import { isUsableAt } from '../keys/jwk.js';

export interface ToPartnersOptions {
  /** Our own state: its entry is not a partner. */
  self: StateCode;
  /** Delivery limits for every partner, unless `limitsFor` says otherwise. */
  limits: PartnerLimits;
  limitsFor?: (state: StateCode) => PartnerLimits | undefined;
}

export function partnersFromDirectory(doc: NetworkDirectory, options: ToPartnersOptions): Partner[] {
  return doc.states
    .filter((e) => e.state !== options.self)
    .map((e) => {
      const p: Partner = {
        state: e.state,
        name: e.name,
        endpoint: e.endpoint,
        jwks: { keys: e.jwks.keys.map((k) => toDirectoryKey(k) as Record<string, unknown>) },
        pointOfContact: { ...e.pointOfContact },
        accepts: [...e.accepts],
        limits: { ...(options.limitsFor?.(e.state) ?? options.limits) },
      };
      if (e.tls) {
        const tls: NonNullable<Partner['tls']> = {};
        if (e.tls.caPem !== undefined) tls.caPem = e.tls.caPem;
        if (e.tls.clientCaPem !== undefined) tls.clientCaPem = e.tls.clientCaPem;
        if (e.tls.clientCertSha256 !== undefined) tls.clientCertSha256 = e.tls.clientCertSha256;
        p.tls = tls;
      }
      return p;
    });
}

/** Our own kids the directory does not list as usable: partners cannot verify or seal to them. */
export function ownKeysMissing(doc: NetworkDirectory, self: StateCode, ownKids: readonly string[]): string[] {
  const entry = doc.states.find((e) => e.state === self);
  const listed = new Set((entry?.jwks.keys ?? []).filter((k) => !k.tnx_retired && !k.tnx_revoked).map((k) => k.kid));
  return ownKids.filter((k) => !listed.has(k));
}

/** Our kids the directory lists as usable now (not retired or revoked, inside their window), or null without our entry. */
export function ownUsableKids(doc: NetworkDirectory, self: StateCode, now: number): Set<string> | null {
  const entry = doc.states.find((e) => e.state === self);
  if (!entry) return null;
  return new Set(entry.jwks.keys.filter((k) => isUsableAt(k, now)).map((k) => k.kid));
}
