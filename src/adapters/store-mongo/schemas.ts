/**
 * Mongoose schemas of the MongoDB store: validation (required, enums, ranges, `strict: 'throw'` so
 * an unknown field is an error rather than silently dropped) and every index the queries need,
 * declared here so `init()` builds them and tests can read them (schema.indexes()).
 *
 * Index ↔ query map (docs/store.md repeats it; src/adapters/store-mongo/queries.ts builds the queries):
 *   outbound _id                                         get, transition, update
 *   outbound {submittedBy, idempotencyKey} unique, partial (key is a string)   insert de-dup, findByIdempotencyKey
 *   outbound {createdAt:-1, _id:-1}                      list, no filter / time range
 *   outbound {partner, createdAt:-1, _id:-1}             list by partner
 *   outbound {state, createdAt, _id}                     list by state; listAccepted (the outbox)
 *   outbound {notificationId, createdAt:-1, _id:-1}      list by notification
 *   outbound {messageType, createdAt:-1, _id:-1}         list by message type
 *   outbound {atRiskAlertedAt, departureAt, _id}          listAtRisk (not alerted, departing before)
 *   attempts {messageId, attempt} unique                 listAttempts, idempotent addAttempt
 *   inbound _id; {iss, jti} unique                       get; insertOnce de-dup, getByJti
 *   inbound {receivedAt:-1,_id:-1}, {iss,…}, {notificationId,…}, {messageType,…}   inbound list
 *   audit_events {seq} unique                            head, range, chain order, seq cursor
 *   audit_events {at:-1, seq:-1}; {messageId|partner|actor|action, at:-1, seq:-1}
 *                                                        filtered audit query (at desc, seq desc)
 *   audit_checkpoints {seq, at}                          listCheckpoints
 *   leases _id                                           acquireLease / releaseLease
 */
import { Schema } from 'mongoose';
import { OUTBOUND_STATES } from '../../ports/store/index.js';
import { MESSAGE_TYPES_STORED, TIMELINESS } from '../store-common/check-input.js';

const opts = { versionKey: false, minimize: false, strict: 'throw', id: false } as const;
const epochMs = {
  type: Number,
  validate: { validator: (v: unknown) => v === null || Number.isSafeInteger(v), message: 'must be integer epoch ms' },
};
const nullableMs = { ...epochMs, default: null };
const stateCode = { type: String, match: /^[A-Z]{3}$/ };
const hex64 = { type: String, match: /^[0-9a-f]{64}$/, required: true };

export const outboundSchema = new Schema(
  {
    _id: { type: String, required: true },
    messageType: { type: String, enum: MESSAGE_TYPES_STORED, required: true },
    notificationId: { type: String, required: true },
    partner: { ...stateCode, required: true },
    state: { type: String, enum: OUTBOUND_STATES, required: true },
    submittedBy: { type: String, required: true },
    idempotencyKey: { type: String, default: null },
    requestHash: { type: String, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    source: { type: String, default: null },
    departureAt: nullableMs,
    jwe: { type: String, default: null },
    jti: { type: String, default: null },
    attempts: { type: Number, min: 0, default: 0 },
    lastError: { type: String, default: null },
    createdAt: { ...epochMs, required: true },
    updatedAt: { ...epochMs, required: true },
    queuedAt: nullableMs,
    deliveredAt: nullableMs,
    receiptJws: { type: String, default: null },
    receiptDigest: { type: String, default: null },
    leadTimeSeconds: { type: Number, default: null },
    timeliness: { type: String, enum: [...TIMELINESS, null], default: null },
    atRiskAlertedAt: nullableMs,
    version: { type: Number, min: 1, required: true },
  },
  { ...opts, collection: 'outbound' },
);
outboundSchema.index(
  { submittedBy: 1, idempotencyKey: 1 },
  { unique: true, name: 'ux_outbound_idem', partialFilterExpression: { idempotencyKey: { $type: 'string' } } },
);
outboundSchema.index({ createdAt: -1, _id: -1 }, { name: 'ix_outbound_created' });
outboundSchema.index({ partner: 1, createdAt: -1, _id: -1 }, { name: 'ix_outbound_partner' });
outboundSchema.index({ state: 1, createdAt: 1, _id: 1 }, { name: 'ix_outbound_state' });
outboundSchema.index({ notificationId: 1, createdAt: -1, _id: -1 }, { name: 'ix_outbound_notification' });
outboundSchema.index({ messageType: 1, createdAt: -1, _id: -1 }, { name: 'ix_outbound_type' });
outboundSchema.index({ submittedBy: 1, createdAt: -1, _id: -1 }, { name: 'ix_outbound_submitter' });
// Equality on atRiskAlertedAt (null = not alerted) first, then the departure range and sort. Not a
// partial index: partial filters with null/$in need newer servers, and this works on any.
outboundSchema.index({ atRiskAlertedAt: 1, departureAt: 1, _id: 1 }, { name: 'ix_outbound_at_risk' });

export const attemptSchema = new Schema(
  {
    messageId: { type: String, required: true },
    attempt: { type: Number, min: 1, required: true },
    startedAt: { ...epochMs, required: true },
    durationMs: { type: Number, min: 0, required: true },
    httpStatus: { type: Number, min: 100, max: 599, default: null },
    error: { type: String, default: null },
    outcome: { type: String, enum: ['delivered', 'retry', 'failed'], required: true },
    // Absent on attempts stored before the field existed: read as true (see the SQLite migration 45).
    mayHaveReached: { type: Boolean },
  },
  { ...opts, collection: 'delivery_attempts' },
);
attemptSchema.index({ messageId: 1, attempt: 1 }, { unique: true, name: 'ux_attempts' });

export const inboundSchema = new Schema(
  {
    _id: { type: String, required: true },
    iss: { ...stateCode, required: true },
    jti: { type: String, required: true },
    messageType: { type: String, enum: MESSAGE_TYPES_STORED, required: true },
    notificationId: { type: String, required: true },
    message: { type: Schema.Types.Mixed, required: true },
    digest: { type: String, required: true },
    receivedAt: { ...epochMs, required: true },
    receiptJws: { type: String, required: true },
    departureAt: nullableMs,
  },
  { ...opts, collection: 'inbound' },
);
inboundSchema.index({ iss: 1, jti: 1 }, { unique: true, name: 'ux_inbound_jti' });
inboundSchema.index({ receivedAt: -1, _id: -1 }, { name: 'ix_inbound_received' });
inboundSchema.index({ iss: 1, receivedAt: -1, _id: -1 }, { name: 'ix_inbound_iss' });
inboundSchema.index({ notificationId: 1, receivedAt: -1, _id: -1 }, { name: 'ix_inbound_notification' });
inboundSchema.index({ messageType: 1, receivedAt: -1, _id: -1 }, { name: 'ix_inbound_type' });

export const auditEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, min: 1, required: true },
    at: { ...epochMs, required: true },
    action: { type: String, required: true },
    actor: { type: String, required: true },
    messageId: { type: String, default: null },
    partner: { ...stateCode, default: null },
    outcome: { type: String, default: null },
    /**
     * Canonical JSON text of `detail` (src/domain/audit/chain.ts), not a sub-document: the bytes hashed are
     * the bytes stored, whatever keys the detail uses ("." and "$" are awkward in BSON field names).
     */
    detail: { type: String, default: null },
    prevHash: hex64,
    hash: hex64,
  },
  { ...opts, collection: 'audit_events' },
);
auditEventSchema.index({ seq: 1 }, { unique: true, name: 'ux_audit_seq' });
// A filtered query sorts (at -1, seq -1): each equality filter followed by that key, so the first
// page is the first keys of one index (audit-plan.ts). These replace ix_audit_at {at: 1, seq: -1} and
// the (field, seq -1) indexes ix_audit_message / _partner / _action / _actor, which no query uses any
// more; a database created before keeps them, unused, until dropped by hand (docs/store.md).
auditEventSchema.index({ at: -1, seq: -1 }, { name: 'ix_audit_at_seq' });
auditEventSchema.index({ messageId: 1, at: -1, seq: -1 }, { name: 'ix_audit_message_at' });
auditEventSchema.index({ partner: 1, at: -1, seq: -1 }, { name: 'ix_audit_partner_at' });
auditEventSchema.index({ actor: 1, at: -1, seq: -1 }, { name: 'ix_audit_actor_at' });
auditEventSchema.index({ action: 1, at: -1, seq: -1 }, { name: 'ix_audit_action_at' });

/** The one chain-head document (see audit-repo.ts for the compare-and-set protocol). */
export const auditHeadSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, min: 0, required: true },
    hash: hex64,
    /** The batch whose head this CAS installed, until it is materialised in audit_events. */
    pending: { type: [Schema.Types.Mixed], default: null },
  },
  { ...opts, collection: 'audit_head' },
);

export const checkpointSchema = new Schema(
  {
    seq: { type: Number, min: 0, required: true },
    headHash: hex64,
    jws: { type: String, required: true },
    at: { ...epochMs, required: true },
  },
  { ...opts, collection: 'audit_checkpoints' },
);
checkpointSchema.index({ seq: 1, at: 1 }, { name: 'ix_checkpoints_seq' });

export const leaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    expiresAt: { ...epochMs, required: true },
  },
  { ...opts, collection: 'leases' },
);
