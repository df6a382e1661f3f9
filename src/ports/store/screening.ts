import type { StateCode } from '../../domain/protocol/types.js';
import type { AuditWith } from './audit.js';
import type { Page } from './page.js';

// ------------------------------------------------------------------------------------------------
// Manifest screening (src/features/screening): manifests with their screening result, review, cases

/** Flight identity of a manifest: not personal data, kept after the passenger list is purged. */
export interface ManifestFlightRecord {
  carrier: string;
  flightNumber: string;
  departureAirport: string;
  arrivalAirport: string;
  /** Local time at the airport "YYYY-MM-DDTHH:MM" as the manifest gave it (no offset invented). */
  scheduledDeparture: string | null;
  scheduledArrival: string | null;
}

export interface ManifestRecord {
  id: string;
  format: 'paxlst' | 'json';
  /** Token id of the submitter. */
  submittedBy: string;
  receivedAt: number;
  flight: ManifestFlightRecord;
  passengerCount: number;
  crewCount: number;
  /**
   * The people of the manifest, sealed (AES-256-GCM under a per-manifest data key wrapped by the
   * registry KEK); null once the retention job purged it. Personal data: never in clear at rest.
   */
  sealedPeople: string | null;
  /** The wrapped per-manifest data key (JSON); null once purged, so no copy can be opened again. */
  wrappedKey: string | null;
  /** The retention job purges the people after this (receivedAt + screening.retentionHours). */
  purgeAfter: number;
  purgedAt: number | null;
  /** Threshold the screening ran with, and how long it took (ms). */
  threshold: number;
  screeningMs: number;
  candidateCount: number;
}

export type CandidateDecision = 'pending' | 'confirmed' | 'rejected';
/** What a confirmation led to (src/features/screening/review.ts). */
export type CandidateOutcome = 'case_opened' | 'case_exists' | 'already_notified';

export interface CandidateRecord {
  id: string;
  manifestId: string;
  /** Position of the person in the manifest (0-based): the reference that survives purging. */
  passengerIndex: number;
  role: 'passenger' | 'crew';
  registrantId: string;
  score: number;
  /** Why: every feature compared and what it contributed (src/domain/screening/score.ts). */
  features: { feature: string; contribution: number }[];
  decision: CandidateDecision;
  decidedBy: string | null;
  decidedAt: number | null;
  /** The reviewer's reason (free text, shown to screening users only; never in the audit trail). */
  reason: string | null;
  outcome: CandidateOutcome | null;
  caseId: string | null;
  createdAt: number;
}

export interface ManifestDecision {
  decision: Exclude<CandidateDecision, 'pending'>;
  decidedBy: string;
  decidedAt: number;
  reason: string;
}

export interface ManifestStats {
  manifests: number;
  people: number;
  candidates: number;
  confirmed: number;
  rejected: number;
  pending: number;
}

/**
 * The writes take their audit events with them (`audit`, port AuditWith), given the record as stored:
 * written only when the change happens — not for a decision or an outcome taken already, nor a
 * manifest purged already.
 */
export interface ManifestRepo {
  /** Insert a manifest and its candidates in one atomic step (all or nothing). */
  insert(manifest: ManifestRecord, candidates: CandidateRecord[], audit?: AuditWith<ManifestRecord>): Promise<void>;
  get(id: string): Promise<ManifestRecord | null>;
  /** Candidates of a manifest, by passengerIndex then score (best first). */
  candidates(manifestId: string): Promise<CandidateRecord[]>;
  getCandidate(manifestId: string, candidateId: string): Promise<CandidateRecord | null>;
  /** Record a decision only while the candidate is `pending`; null when it was decided already. */
  decide(
    manifestId: string,
    candidateId: string,
    d: ManifestDecision,
    audit?: AuditWith<CandidateRecord>,
  ): Promise<CandidateRecord | null>;
  /**
   * Record what a confirmation led to, once: only while the candidate has no outcome. The candidate
   * as stored; null when it had an outcome already or does not exist.
   */
  setOutcome(
    candidateId: string,
    outcome: CandidateOutcome,
    caseId: string | null,
    audit?: AuditWith<CandidateRecord>,
  ): Promise<CandidateRecord | null>;
  /** Manifests received, newest first (receivedAt desc, id desc), cursor-paginated; candidates not included. */
  list(page: { limit: number; cursor?: string | null }): Promise<Page<ManifestRecord>>;
  /** Ids of manifests whose people are due for purging (purgeAfter <= now, not yet purged), oldest first. */
  listDue(now: number, limit: number): Promise<string[]>;
  /** Drop the sealed people and their key; true when this call purged it (`audit` sees the purged record). */
  purge(id: string, at: number, audit?: AuditWith<ManifestRecord>): Promise<boolean>;
  /** Counts over manifests received in [from, to) and decisions taken in [from, to). */
  stats(from: number, to: number): Promise<ManifestStats>;
}

export interface CaseRecord {
  id: string;
  kind: 'unreported_travel';
  registrantId: string;
  manifestId: string;
  candidateId: string;
  /** src/domain/travel-reports/trip-key.ts: one case per trip, enforced by a unique index. */
  tripKey: string;
  flight: ManifestFlightRecord;
  /** State of the arrival airport; null when unknown. */
  destination: StateCode | null;
  openedBy: string;
  openedAt: number;
  /** The TravelNotification (source manifest_match) submitted for the case, if any. */
  notificationId: string | null;
  /**
   * submitted; disabled (policy screening.notifyOnConfirmedUnreported off); own_state (the flight
   * arrives in our own state); not_notifiable (arrival state or departure time unknown);
   * already_notified (a self-report of the same trip won the race: the second source was recorded).
   */
  notification: 'submitted' | 'disabled' | 'own_state' | 'not_notifiable' | 'already_notified';
}

export interface CaseFilter {
  registrantId?: string;
  /** openedAt range, epoch ms, inclusive from / exclusive to. */
  from?: number;
  to?: number;
}

export interface CaseRepo {
  /**
   * Insert unless a case for the same tripKey exists; then return that one and `created: false`.
   * `audit` (port AuditWith): the events of the case opened, written only when this call opened it.
   */
  open(c: CaseRecord, audit?: AuditWith<CaseRecord>): Promise<{ record: CaseRecord; created: boolean }>;
  get(id: string): Promise<CaseRecord | null>;
  setNotification(
    id: string,
    notificationId: string | null,
    notification: CaseRecord['notification'],
  ): Promise<CaseRecord | null>;
  /** Cursor-paginated, newest first (openedAt desc, id desc). */
  list(filter: CaseFilter, page: { limit: number; cursor?: string | null }): Promise<Page<CaseRecord>>;
  /** Cases opened in [from, to). */
  count(from: number, to: number): Promise<number>;
}
