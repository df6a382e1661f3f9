import type { MessageType, StateCode, TnxMessage } from '../../domain/protocol/types.js';
import type { AuditWith } from './audit.js';
import type { Page } from './page.js';

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
  /**
   * Whether the request was written to an open connection, so the partner may hold the message (false
   * for a refused connection, a failed lookup or TLS handshake). A cancel travels only if one attempt may have.
   */
  mayHaveReached: boolean;
}

export interface OutboundFilter {
  partner?: StateCode;
  /** Only what this token submitted (a submitter sees its own messages; the filter is in the query, so pages stay full). */
  submittedBy?: string;
  state?: OutboundState | OutboundState[];
  messageType?: OutboundRecord['messageType'];
  notificationId?: string;
  /** Lead time class once delivered; `pending`: not classified yet (not delivered). */
  timeliness?: Timeliness | 'pending';
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
