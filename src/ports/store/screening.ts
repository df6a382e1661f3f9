import type { StateCode } from '../../domain/protocol/types.js';
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

export interface ManifestRepo {
  /** Insert a manifest and its candidates in one atomic step (all or nothing). */
  insert(manifest: ManifestRecord, candidates: CandidateRecord[]): Promise<void>;
  get(id: string): Promise<ManifestRecord | null>;
  /** Candidates of a manifest, by passengerIndex then score (best first). */
  candidates(manifestId: string): Promise<CandidateRecord[]>;
  getCandidate(manifestId: string, candidateId: string): Promise<CandidateRecord | null>;
  /** Record a decision only while the candidate is `pending`; null when it was decided already. */
  decide(manifestId: string, candidateId: string, d: ManifestDecision): Promise<CandidateRecord | null>;
  setOutcome(candidateId: string, outcome: CandidateOutcome, caseId: string | null): Promise<void>;
  /** Ids of manifests whose people are due for purging (purgeAfter <= now, not yet purged), oldest first. */
  listDue(now: number, limit: number): Promise<string[]>;
  /** Drop the sealed people and their key; true when this call purged it. */
  purge(id: string, at: number): Promise<boolean>;
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
  /** Insert unless a case for the same tripKey exists; then return that one and `created: false`. */
  open(c: CaseRecord): Promise<{ record: CaseRecord; created: boolean }>;
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
