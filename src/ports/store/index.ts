/**
 * The store port: everything a gateway persists, shaped around the gateway's questions rather than
 * around one database. Every adapter (src/store/sqlite, src/store/mongo) passes the one conformance
 * suite in tests/store/. Several gateway processes may share one store: nothing here assumes one
 * process — uniqueness and state transitions are enforced by the database (unique indexes, conditional
 * updates), never by an in-memory check followed by a write.
 *
 * Times are epoch milliseconds (numbers) in records; ISO strings appear only in wire messages.
 *
 * Errors: bad input → TnxError `invalid_request` (nothing stored); an id that already exists →
 * `conflict`; the database unreachable, locked past its timeout or broken → `store_unavailable`.
 * Page limits are 1…10 000 (src/adapters/store-common/paging.ts). docs/store.md describes both adapters.
 */
import type { MessageType, SourceKind, StateCode, TnxMessage } from '../../domain/protocol/types.js';
import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';

// ------------------------------------------------------------------------------------------------
// Outbound messages (notifications, updates, follow-ups we send)

export type OutboundState =
  | 'accepted' // durably stored, not yet handed to the queue (the outbox)
  | 'queued' // a delivery job exists
  | 'delivering' // an attempt is in flight
  | 'retrying' // last attempt failed transiently; another is scheduled
  | 'delivered' // a valid receipt is stored
  | 'failed' // permanent failure or retry budget exhausted
  | 'cancelled' // cancelled before delivery
  | 'no_channel'; // destination runs no gateway: manual handling by our point of contact

export const OUTBOUND_STATES: readonly OutboundState[] = [
  'accepted',
  'queued',
  'delivering',
  'retrying',
  'delivered',
  'failed',
  'cancelled',
  'no_channel',
];
/** States after which nothing changes any more. */
export const TERMINAL_STATES: readonly OutboundState[] = ['delivered', 'failed', 'cancelled', 'no_channel'];

export type Timeliness = 'on_time' | 'late' | 'after_departure';

export interface OutboundRecord {
  /** Message-level id: notificationId for a TravelNotification, updateId / followUpId otherwise. */
  id: string;
  messageType: Exclude<MessageType, 'Receipt'>;
  /** The notification this message is about (equals `id` for a TravelNotification). */
  notificationId: string;
  /** Destination state of this message. */
  partner: StateCode;
  state: OutboundState;
  /** Who submitted it (token id) and under which idempotency key; unique together when the key is set. */
  submittedBy: string;
  idempotencyKey: string | null;
  /** base64url SHA-256 of the canonical submitted message, to tell a retry from a conflicting reuse. */
  requestHash: string;
  /** The message as submitted (after the gateway filled ids and origin). */
  message: TnxMessage;
  /** Source of a TravelNotification ('self_report' | 'manifest_match' | 'other'); null for others. */
  source: string | null;
  /** Departure of the first leg, epoch ms; null for follow-ups. */
  departureAt: number | null;
  /** The sealed JWE sent on every attempt (same bytes each time, so the receiver de-duplicates). */
  jwe: string | null;
  /** `jti` of the JWS inside `jwe`. */
  jti: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  queuedAt: number | null;
  /** Receipt's `receivedAt`, epoch ms. */
  deliveredAt: number | null;
  /** The receipt JWS exactly as received. */
  receiptJws: string | null;
  receiptDigest: string | null;
  /** departureAt − deliveredAt, seconds (negative after departure). */
  leadTimeSeconds: number | null;
  timeliness: Timeliness | null;
  /** Set once the at-risk alert fired, so it fires once. */
  atRiskAlertedAt: number | null;
  /** Optimistic-concurrency counter, incremented on every update. */
  version: number;
}

export type NewOutbound = Omit<
  OutboundRecord,
  | 'state'
  | 'jwe'
  | 'jti'
  | 'attempts'
  | 'lastError'
  | 'updatedAt'
  | 'queuedAt'
  | 'deliveredAt'
  | 'receiptJws'
  | 'receiptDigest'
  | 'leadTimeSeconds'
  | 'timeliness'
  | 'atRiskAlertedAt'
  | 'version'
> & { state: 'accepted' | 'no_channel' };

export interface DeliveryAttempt {
  messageId: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
  /** HTTP status, or null for a network error / timeout. */
  httpStatus: number | null;
  /** Problem `code` from the partner, or a network error name (ECONNREFUSED, timeout, …). */
  error: string | null;
  outcome: 'delivered' | 'retry' | 'failed';
}

export interface OutboundFilter {
  partner?: StateCode;
  /** Only what this token submitted (a submitter sees its own messages; the filter is in the query, so pages stay full). */
  submittedBy?: string;
  state?: OutboundState | OutboundState[];
  messageType?: OutboundRecord['messageType'];
  notificationId?: string;
  /** createdAt range, epoch ms, inclusive from / exclusive to. */
  from?: number;
  to?: number;
}

/** Fields a state transition may set alongside `state`. */
export type OutboundPatch = Partial<
  Pick<
    OutboundRecord,
    | 'jwe'
    | 'jti'
    | 'attempts'
    | 'lastError'
    | 'queuedAt'
    | 'deliveredAt'
    | 'receiptJws'
    | 'receiptDigest'
    | 'leadTimeSeconds'
    | 'timeliness'
    | 'atRiskAlertedAt'
    | 'source'
    | 'message'
  >
>;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null at the end. */
  next: string | null;
}

/**
 * The audit events of a change, written WITH the change (the `audit` argument of the writes below):
 * given the record as stored, the events to append to the chain. They are written only when the
 * change happens (a transition that finds another state, an insert that finds the idempotency key or
 * jti taken, a repeated attempt number: no events), and they pass the audit trail's own checks
 * (src/domain/audit/check-event.ts).
 *
 * SQLite: the change and its events are ONE transaction — a crash leaves both or neither, and events
 * refused by the checks refuse the change. MongoDB: the events are appended right after the change,
 * in the same call (the adapter avoids multi-document transactions so a standalone server works, as
 * its audit chain does); a crash between the two loses those events (docs/audit-trail.md).
 */
export type AuditWith<R> = (record: R) => AuditEventInput[];

export interface OutboundRepo {
  /**
   * Insert; on a unique clash of (submittedBy, idempotencyKey) return the existing record and
   * `created: false` instead of inserting (the caller compares requestHash).
   */
  insert(rec: NewOutbound, audit?: AuditWith<OutboundRecord>): Promise<{ record: OutboundRecord; created: boolean }>;
  get(id: string): Promise<OutboundRecord | null>;
  findByIdempotencyKey(submittedBy: string, key: string): Promise<OutboundRecord | null>;
  /**
   * Conditional transition: applies only when the current state is one of `from`; returns the updated
   * record, or null when the record was in another state (someone else moved it). Bumps version/updatedAt.
   */
  transition(
    id: string,
    from: readonly OutboundState[],
    to: OutboundState,
    patch?: OutboundPatch,
    audit?: AuditWith<OutboundRecord>,
  ): Promise<OutboundRecord | null>;
  /** Patch without a state change (e.g. attempts counter), guarded by version; null on a lost race. */
  update(
    id: string,
    version: number,
    patch: OutboundPatch,
    audit?: AuditWith<OutboundRecord>,
  ): Promise<OutboundRecord | null>;
  /** Cursor-paginated, newest first (createdAt desc, id desc). */
  list(filter: OutboundFilter, page: { limit: number; cursor?: string | null }): Promise<Page<OutboundRecord>>;
  /** The outbox: records in `accepted` older than `olderThan` (epoch ms), oldest first. */
  listAccepted(olderThan: number, limit: number): Promise<OutboundRecord[]>;
  /** Not yet delivered, no at-risk alert yet, departure before `departureBefore`. */
  listAtRisk(departureBefore: number, limit: number): Promise<OutboundRecord[]>;
  /**
   * Idempotent per (messageId, attempt): the first record of an attempt number stands (jobs run at least
   * once). Rejects with `not_found` when the message does not exist.
   */
  addAttempt(a: DeliveryAttempt, audit?: AuditWith<DeliveryAttempt>): Promise<void>;
  /** Ascending by attempt number. */
  listAttempts(messageId: string): Promise<DeliveryAttempt[]>;
}

// ------------------------------------------------------------------------------------------------
// Inbound messages (what partners delivered to us) and the receipts we issued

export interface InboundRecord {
  /** Internal id (UUID). */
  id: string;
  /** Sender state (JWS `iss`) and message id (`jti`): unique together — the de-duplication key. */
  iss: StateCode;
  jti: string;
  messageType: Exclude<MessageType, 'Receipt'>;
  notificationId: string;
  message: TnxMessage;
  /** base64url SHA-256 of the exact JWE bytes received. */
  digest: string;
  receivedAt: number;
  /** The receipt JWS we answered with; a duplicate gets these exact bytes again. */
  receiptJws: string;
  /** Departure time from the message (TravelNotification / amend), epoch ms, for listing and stats. */
  departureAt: number | null;
}

export interface InboundFilter {
  iss?: StateCode;
  messageType?: InboundRecord['messageType'];
  notificationId?: string;
  from?: number;
  to?: number;
}

export interface InboundRepo {
  /** Insert unless (iss, jti) exists; on a clash return the stored record and `created: false`. */
  insertOnce(
    rec: InboundRecord,
    audit?: AuditWith<InboundRecord>,
  ): Promise<{ record: InboundRecord; created: boolean }>;
  get(id: string): Promise<InboundRecord | null>;
  getByJti(iss: StateCode, jti: string): Promise<InboundRecord | null>;
  list(filter: InboundFilter, page: { limit: number; cursor?: string | null }): Promise<Page<InboundRecord>>;
}

// ------------------------------------------------------------------------------------------------
// Audit trail (hash-chained; see src/audit and docs/audit-trail.md)

export interface AuditEventInput {
  /** `<entity>.<action>`, e.g. "notification.accepted", "delivery.attempt", "personal_data.read". */
  action: string;
  /** Token id, "system", or a partner state code for inbound actions. */
  actor: string;
  /** When it happened, epoch ms. */
  at: number;
  messageId?: string | null;
  partner?: StateCode | null;
  outcome?: string | null;
  /** References and outcomes only — never personal data (names, dates of birth, document numbers). */
  detail?: Record<string, unknown> | null;
}

export interface AuditEvent extends Required<AuditEventInput> {
  /** 1-based, gapless, assigned by the store in chain order. */
  seq: number;
  id: string;
  /** Hex SHA-256 of the previous event's hash and this event's canonical form (src/domain/audit/chain.ts). */
  prevHash: string;
  hash: string;
}

export interface AuditCheckpoint {
  /** Sequence number of the chain head this checkpoint covers. */
  seq: number;
  headHash: string;
  /** Compact JWS (ES256, typ "tnx-audit-checkpoint+jwt") over {seq, headHash, at, state}. */
  jws: string;
  at: number;
}

export interface AuditFilter {
  messageId?: string;
  partner?: StateCode;
  action?: string;
  actor?: string;
  from?: number;
  to?: number;
}

export interface AuditRepo {
  /**
   * Append events atomically in the given order, chaining each to the current head. Safe with several
   * appenders in several processes: the adapter serialises chain extension (see its docs).
   */
  append(events: AuditEventInput[]): Promise<AuditEvent[]>;
  head(): Promise<{ seq: number; hash: string } | null>;
  /** Events with seq in [fromSeq, toSeq], ascending, in batches (for verify/export). */
  range(fromSeq: number, toSeq: number, limit: number): Promise<AuditEvent[]>;
  /**
   * Filtered, newest first, keyset-paginated; `from`/`to` bound `at` (inclusive / exclusive).
   * Ordering rule: the whole trail (no filter at all) by chain position (seq desc); any filter (an
   * equality and/or a time range) by event time, (at desc, seq desc), so every query is answered from
   * an index without sorting (src/adapters/store-common/audit-plan.ts). The cursor is opaque and carries its ordering:
   * a cursor of the other ordering (a filter added or dropped between pages) is invalid_request.
   */
  query(filter: AuditFilter, page: { limit: number; cursor?: string | null }): Promise<Page<AuditEvent>>;
  count(): Promise<number>;
  saveCheckpoint(c: AuditCheckpoint): Promise<void>;
  listCheckpoints(): Promise<AuditCheckpoint[]>;
}

// ------------------------------------------------------------------------------------------------
// Manifest screening (src/manifests): manifests with their screening result, review, cases

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

// ------------------------------------------------------------------------------------------------
// Small shared primitives

export interface KvRepo {
  /**
   * A lease for leader election (e.g. the audit sealer): acquire or renew `name` for `holder` until
   * `now + ttlMs`. Returns true when `holder` holds it afterwards.
   */
  acquireLease(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}

// ------------------------------------------------------------------------------------------------
// National registry, travel reports and the trip index (issue 5; src/national, docs/statistics.md)

/** The fields the retention job reads, all in clear on the sealed record. */
export type RegistrantRetentionView = Pick<
  SealedRegistrant,
  'id' | 'status' | 'registrationStart' | 'registrationEnd' | 'reviewDue' | 'reviewFlaggedAt' | 'erasedAt'
>;

export interface RegistryRepo {
  /** Insert a new sealed registrant; `conflict` when the id exists. */
  insert(rec: SealedRegistrant): Promise<void>;
  get(id: string): Promise<SealedRegistrant | null>;
  /** Replace when the stored `updatedAt` still equals `expectedUpdatedAt`; false on a lost race or an erased record. */
  replace(rec: SealedRegistrant, expectedUpdatedAt: number): Promise<boolean>;
  /**
   * Overwrite the record with its tombstone (src/registry `shredRegistrant`) and drop its blind
   * indexes, so that no copy of the wrapped data key or a ciphertext stays readable in the database.
   */
  erase(tombstone: SealedRegistrant): Promise<void>;
  /** Live (not erased) records carrying every term (AND); empty terms match nothing. */
  search(terms: readonly string[], limit: number): Promise<SealedRegistrant[]>;
  /** Live records with registrationEnd < endBefore, or reviewDue < reviewBefore and not yet flagged. */
  retentionCandidates(
    cutoffs: { endBefore: string; reviewBefore: string },
    limit: number,
  ): Promise<RegistrantRetentionView[]>;
  /** Live (not erased) records with id > afterId, by id: the screening index is built from these at start-up. */
  scan(afterId: string | null, limit: number): Promise<SealedRegistrant[]>;
}

export type TravelReportState = 'active' | 'cancelled';

export interface TravelReportRecord {
  id: string;
  registrantId: string;
  state: TravelReportState;
  /**
   * The TravelReport (JSON) encrypted under the registrant's data key, so erasing the registrant
   * shreds its travel too; null once shredded.
   */
  sealedReport: string | null;
  /** Destination states, in the order visited (kept for statistics after shredding). */
  destinations: StateCode[];
  /** notificationId of the TravelNotification sent to each destination. */
  notificationIds: Record<StateCode, string>;
  /** First departure, epoch ms. */
  departureAt: number;
  late: boolean;
  daysOfNotice: number;
  emergency: boolean;
  /** HMAC trip key (src/domain/travel-reports/trip-key.ts) of the current first leg. */
  tripKey: string;
  /** Staff token id that entered the report, and when (epoch ms). */
  enteredBy: string;
  enteredAt: number;
  createdAt: number;
  updatedAt: number;
  /** Optimistic-concurrency counter. */
  version: number;
}

/** One trip of one registrant, already notified: tripKey → its notifications (de-duplication across sources). */
export interface TripEntry {
  tripKey: string;
  registrantId: string;
  notificationIds: string[];
  firstSource: SourceKind;
  /** Later sources that found the same trip, in order of discovery. */
  alsoFoundBy: SourceKind[];
  createdAt: number;
}

export interface TravelReportRepo {
  insert(rec: TravelReportRecord): Promise<void>;
  get(id: string): Promise<TravelReportRecord | null>;
  /** Replace when the stored version equals `rec.version - 1`; null on a lost race. */
  update(rec: TravelReportRecord): Promise<TravelReportRecord | null>;
  listByRegistrant(registrantId: string): Promise<TravelReportRecord[]>;
  /** Drop the sealed report of every report of a registrant (erasure); returns how many. */
  shredForRegistrant(registrantId: string): Promise<number>;
}

export interface TripIndexRepo {
  /** Claim a trip; when already claimed, nothing is written and the existing entry is returned. */
  claim(entry: TripEntry): Promise<{ entry: TripEntry; created: boolean }>;
  get(tripKey: string): Promise<TripEntry | null>;
  /** Record a later source (idempotent); null when the trip is unknown. */
  addSource(tripKey: string, kind: SourceKind): Promise<TripEntry | null>;
  /** Forget a trip (its report was cancelled): a later sighting notifies afresh. */
  release(tripKey: string): Promise<void>;
}

// ------------------------------------------------------------------------------------------------
// Statistics (computed by the store, never by loading records; docs/statistics.md)

export interface StatsQuery {
  /** Range, epoch ms, inclusive from / exclusive to: createdAt of what we sent, receivedAt of what we received. */
  from: number;
  to: number;
  /** Lead time at or above which a notification counts as on time, seconds. */
  onTimeThresholdSeconds: number;
}

/** Raw counts for one partner state (or, with `partner` null, all of them). */
export interface StatsRow {
  partner: StateCode | null;
  notifications: number;
  delivered: number;
  deliveredBeforeDeparture: number;
  onTime: number;
  failed: number;
  noChannel: number;
  selfReported: number;
  foundByManifest: number;
  lateSelfReports: number;
  /** Nearest-rank percentiles of the lead time (departure − receipt), seconds; null without deliveries. */
  leadTimeSeconds: { p10: number | null; median: number | null; p90: number | null };
  /** Follow-up reports by action: received from the partner (sent side) or sent to it (received side). */
  followUps: Record<string, number>;
}

export interface StatsRepo {
  /** TravelNotifications we sent, per destination, plus the total row (partner null) first. */
  sent(q: StatsQuery): Promise<StatsRow[]>;
  /** TravelNotifications we received, per origin, plus the total row first. */
  received(q: StatsQuery): Promise<StatsRow[]>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly outbound: OutboundRepo;
  readonly inbound: InboundRepo;
  readonly audit: AuditRepo;
  readonly kv: KvRepo;
  readonly manifests: ManifestRepo;
  readonly cases: CaseRepo;
  readonly registry: RegistryRepo;
  readonly travelReports: TravelReportRepo;
  readonly trips: TripIndexRepo;
  readonly stats: StatsRepo;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
