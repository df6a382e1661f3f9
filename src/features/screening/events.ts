/**
 * The domain events of manifest screening, built in one place (the audit trail subscribes; handlers
 * never write audit records). References, counts and outcomes only: manifest, candidate, case and
 * registrant ids, the flight designator and airports (not personal data), scores — never a name, date
 * of birth or document number, neither a passenger's nor a registrant's. The reviewer's free-text
 * reason stays in the store, not in the trail: it may well quote a name.
 */
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import type { CandidateRecord, CaseRecord, ManifestRecord } from '../../ports/store/index.js';

function flightRef(m: ManifestRecord): Record<string, unknown> {
  const f = m.flight;
  return { carrier: f.carrier, flight: f.flightNumber, from: f.departureAirport, to: f.arrivalAirport };
}

/** Receipt of a manifest is a collection of personal data (LED Art 25(1)), hence two events. */
export function manifestReceived(m: ManifestRecord, actor: string): DomainEvent[] {
  return [
    {
      action: 'manifest.received',
      actor,
      at: m.receivedAt,
      messageId: m.id,
      outcome: 'stored',
      detail: { format: m.format, passengers: m.passengerCount, crew: m.crewCount, ...flightRef(m) },
    },
    {
      action: 'personal_data.created',
      actor,
      at: m.receivedAt,
      messageId: m.id,
      outcome: 'sealed',
      detail: { entity: 'manifest', people: m.passengerCount + m.crewCount, purgeAfter: m.purgeAfter },
    },
  ];
}

/** Screening combines the manifest with the registry (LED Art 25(1) "combination"). */
export function manifestScreened(m: ManifestRecord, registrants: number, at: number): DomainEvent[] {
  const detail = {
    people: m.passengerCount + m.crewCount,
    candidates: m.candidateCount,
    threshold: m.threshold,
    durationMs: Math.round(m.screeningMs * 1000) / 1000,
    registrants,
  };
  return [
    {
      action: 'manifest.screened',
      actor: 'system',
      at,
      messageId: m.id,
      outcome: m.candidateCount > 0 ? 'candidates' : 'none',
      detail,
    },
    {
      action: 'personal_data.combined',
      actor: 'system',
      at,
      messageId: m.id,
      outcome: 'screened',
      detail: { entity: 'manifest', with: 'registry', candidates: m.candidateCount },
    },
  ];
}

export function manifestExpired(m: ManifestRecord, at: number): DomainEvent[] {
  return [
    {
      action: 'manifest.expired',
      actor: 'system',
      at,
      messageId: m.id,
      outcome: 'purged',
      detail: { people: m.passengerCount + m.crewCount, candidates: m.candidateCount, receivedAt: m.receivedAt },
    },
    {
      action: 'personal_data.erased',
      actor: 'system',
      at,
      messageId: m.id,
      outcome: 'purged',
      detail: { entity: 'manifest', reason: 'retention' },
    },
  ];
}

export function candidateDecided(c: CandidateRecord): DomainEvent {
  return {
    action: c.decision === 'confirmed' ? 'match.confirmed' : 'match.rejected',
    actor: c.decidedBy ?? 'system',
    at: c.decidedAt ?? 0,
    messageId: c.manifestId,
    outcome: c.decision,
    detail: { candidateId: c.id, registrantId: c.registrantId, passengerIndex: c.passengerIndex, score: c.score },
  };
}

/** A confirmed match whose trip was already notified: the second source recorded on it. */
export function secondSourceRecorded(c: CandidateRecord, notificationIds: readonly string[], at: number): DomainEvent {
  return {
    action: 'personal_data.altered',
    actor: c.decidedBy ?? 'system',
    at,
    messageId: c.manifestId,
    outcome: 'also_found_by',
    detail: {
      entity: 'trip',
      candidateId: c.id,
      registrantId: c.registrantId,
      source: 'manifest_match',
      notificationIds: [...notificationIds],
    },
  };
}

export function caseOpened(k: CaseRecord): DomainEvent {
  return {
    action: 'case.opened',
    actor: k.openedBy,
    at: k.openedAt,
    messageId: k.id,
    partner: k.destination,
    outcome: k.notification,
    detail: {
      kind: k.kind,
      registrantId: k.registrantId,
      manifestId: k.manifestId,
      candidateId: k.candidateId,
      notificationId: k.notificationId,
      carrier: k.flight.carrier,
      flight: k.flight.flightNumber,
    },
  };
}

/** Reading candidates' personal data (registrant and passenger) with the purpose given. */
export function candidatesRead(
  manifestId: string,
  actor: string,
  purpose: string,
  candidateIds: readonly string[],
  at: number,
): DomainEvent {
  return {
    action: 'personal_data.read',
    actor,
    at,
    messageId: manifestId,
    outcome: 'read',
    detail: { entity: 'manifest_candidates', purpose, candidateIds: [...candidateIds] },
  };
}
