/**
 * What changed between two network directories, for the audit trail and for the operator reading
 * `tnx directory verify --previous`. State codes and kids only: a point of contact holds names, e-mail
 * addresses and phone numbers of officials, so a change to it is recorded as "changed", never copied.
 */
import type { StateCode } from '../protocol/types.js';
import { isRetired, type TnxJwk } from '../keys/jwk.js';
import type { DirectoryEntry, NetworkDirectory } from './network.js';

export interface KeyRef {
  state: StateCode;
  kid: string;
}

export interface DirectoryDiff {
  fromSerial: number | null;
  toSerial: number;
  statesAdded: StateCode[];
  statesRemoved: StateCode[];
  /** Keys in use now that were not before (a new key, or one listed again). */
  keysAdded: KeyRef[];
  /** Keys in use before that are now retired or gone. */
  keysRetired: KeyRef[];
  /** Keys newly marked revoked (compromise). */
  keysRevoked: KeyRef[];
  endpointChanged: StateCode[];
  contactChanged: StateCode[];
  /** Name, accepted message types or TLS settings. */
  detailsChanged: StateCode[];
}

function byState(doc: NetworkDirectory | null): Map<StateCode, DirectoryEntry> {
  return new Map((doc?.states ?? []).map((e) => [e.state, e]));
}

function keyMap(e: DirectoryEntry | undefined): Map<string, TnxJwk> {
  return new Map((e?.jwks.keys ?? []).map((k) => [k.kid, k]));
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function diffDirectories(before: NetworkDirectory | null, after: NetworkDirectory): DirectoryDiff {
  const b = byState(before);
  const a = byState(after);
  const diff: DirectoryDiff = {
    fromSerial: before?.serial ?? null,
    toSerial: after.serial,
    statesAdded: [],
    statesRemoved: [],
    keysAdded: [],
    keysRetired: [],
    keysRevoked: [],
    endpointChanged: [],
    contactChanged: [],
    detailsChanged: [],
  };
  for (const state of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const old = b.get(state);
    const now = a.get(state);
    if (!old) diff.statesAdded.push(state);
    else if (!now) diff.statesRemoved.push(state);
    else {
      if (old.endpoint !== now.endpoint) diff.endpointChanged.push(state);
      if (!same(old.pointOfContact, now.pointOfContact)) diff.contactChanged.push(state);
      if (old.name !== now.name || !same(old.accepts, now.accepts) || !same(old.tls, now.tls))
        diff.detailsChanged.push(state);
    }
    const ok = keyMap(old);
    const nk = keyMap(now);
    for (const [kid, k] of nk) {
      const prev = ok.get(kid);
      if (!isRetired(k) && (!prev || isRetired(prev))) diff.keysAdded.push({ state, kid });
      if (k.tnx_revoked && !prev?.tnx_revoked) diff.keysRevoked.push({ state, kid });
    }
    for (const [kid, k] of ok) {
      const next = nk.get(kid);
      if (!isRetired(k) && (!next || isRetired(next))) diff.keysRetired.push({ state, kid });
    }
  }
  return diff;
}

export function isEmptyDiff(d: DirectoryDiff): boolean {
  return (
    d.statesAdded.length +
      d.statesRemoved.length +
      d.keysAdded.length +
      d.keysRetired.length +
      d.keysRevoked.length +
      d.endpointChanged.length +
      d.contactChanged.length +
      d.detailsChanged.length ===
    0
  );
}

/** One line per kind of change, for people (the CLI). */
export function describeDiff(d: DirectoryDiff): string[] {
  const keys = (ks: KeyRef[]) => ks.map((k) => `${k.state}:${k.kid}`).join(', ');
  const lines: string[] = [`serial ${d.fromSerial ?? '(none)'} -> ${d.toSerial}`];
  if (d.statesAdded.length) lines.push(`states added: ${d.statesAdded.join(', ')}`);
  if (d.statesRemoved.length) lines.push(`states removed: ${d.statesRemoved.join(', ')}`);
  if (d.keysAdded.length) lines.push(`keys added: ${keys(d.keysAdded)}`);
  if (d.keysRetired.length) lines.push(`keys retired: ${keys(d.keysRetired)}`);
  if (d.keysRevoked.length) lines.push(`keys revoked: ${keys(d.keysRevoked)}`);
  if (d.endpointChanged.length) lines.push(`endpoint changed: ${d.endpointChanged.join(', ')}`);
  if (d.contactChanged.length) lines.push(`point of contact changed: ${d.contactChanged.join(', ')}`);
  if (d.detailsChanged.length) lines.push(`name/accepts/tls changed: ${d.detailsChanged.join(', ')}`);
  if (isEmptyDiff(d)) lines.push('no change to any entry');
  return lines;
}
