/**
 * De-duplication across sources: one person, one trip, one notification. A trip is
 * identified by the registrant and the first departure — flight designator and local departure date,
 * the identity airlines use for a flight (IATA designator + date of departure). A manifest match
 * computing the same key for the same registrant recognises a trip already self-reported, and the
 * second source is recorded on the first notification (`source.alsoFoundBy`) instead of notifying twice.
 *
 * The key is an HMAC under the blind-index key, not a plain hash: a registrant id plus a flight and
 * date is a small space, and a plain hash stored in clear would give the travel away.
 */
import { createHmac } from 'node:crypto';
import type { Source, SourceKind, TravelLeg } from '../protocol/types.js';
import type { SymmetricKey } from '../registry/key-file.js';

// Designator (2 characters, at least one letter, optional 3rd letter) + 1-4 digits + optional suffix.
const FLIGHT = /^((?=[A-Z0-9]{0,1}[A-Z])[A-Z0-9]{2}[A-Z]?)?([0-9]{1,4})([A-Z]?)$/;

/** "BA0178", "BA 178", "ba178" with carrier "BA" → "BA178"; a bare "178" takes the carrier. */
export function normaliseFlight(carrier: string, flightNumber: string): string {
  const f = flightNumber.toUpperCase().replace(/[\s-]/g, '');
  const m = FLIGHT.exec(f);
  if (!m) return `${carrier.toUpperCase()}${f}`;
  const designator = m[1] ?? carrier.toUpperCase();
  return `${designator}${String(Number(m[2]))}${m[3] ?? ''}`;
}

type LegIdentity = Pick<TravelLeg, 'carrier' | 'flightNumber' | 'scheduledDeparture'>;

/**
 * The readable trip identity "registrantId|BA178|2026-12-20". The date is the local date as written
 * in scheduledDeparture (RFC 3339 carries the airport's offset), as on a boarding pass.
 */
export function tripIdentity(registrantId: string, firstLeg: LegIdentity): string {
  return `${registrantId}|${normaliseFlight(firstLeg.carrier, firstLeg.flightNumber)}|${firstLeg.scheduledDeparture.slice(0, 10)}`;
}

/** The stored de-duplication key: HMAC-SHA256 under the blind-index key, base64url. */
export function tripKey(indexKey: SymmetricKey, registrantId: string, firstLeg: LegIdentity): string {
  return createHmac('sha256', indexKey.secret)
    .update(`tnx.trip-key.v1\u0000${tripIdentity(registrantId, firstLeg)}`, 'utf8')
    .digest('base64url');
}

/** Record a later source on the first notification's source; idempotent, order of discovery kept. */
export function recordAlsoFoundBy(source: Source, kind: SourceKind): Source {
  if (kind === source.kind || source.alsoFoundBy?.includes(kind)) return source;
  return { ...source, alsoFoundBy: [...(source.alsoFoundBy ?? []), kind] };
}
