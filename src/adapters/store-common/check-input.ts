/**
 * Input checks shared by both adapters, run before anything is written, so a bad record is refused
 * with a typed TnxError and nothing is half-stored. Messages name the field, never its value (values
 * may be personal data). The database constraints (CHECK, NOT NULL, unique indexes, schema
 * validation) stay as the second line of defence.
 */
import { tnxError } from '../../core/errors.js';
import {
  OUTBOUND_STATES,
  TIMELINESS_FILTERS,
  type AuditCheckpoint,
  type DeliveryAttempt,
  type InboundRecord,
  type NewOutbound,
  type OutboundPatch,
  type OutboundState,
} from '../../ports/store/index.js';

export const MESSAGE_TYPES_STORED = ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] as const;
export const TIMELINESS = ['on_time', 'late', 'after_departure'] as const;

/** Explicit allow-list of what a transition/update may set (the OutboundPatch type, enforced at run time). */
export const PATCH_FIELDS = [
  'jwe',
  'jti',
  'attempts',
  'lastError',
  'queuedAt',
  'deliveredAt',
  'receiptJws',
  'receiptDigest',
  'leadTimeSeconds',
  'timeliness',
  'atRiskAlertedAt',
  'source',
  'message',
] as const satisfies readonly (keyof OutboundPatch)[];

const STATE_CODE = /^[A-Z]{3}$/;
/** Reference fields (ids, actors, outcomes): printable ASCII — they are references, not prose. */
const REF = /^[\x20-\x7E]{1,256}$/;
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

const NEW_OUTBOUND_FIELDS = [
  'id',
  'messageType',
  'notificationId',
  'partner',
  'state',
  'submittedBy',
  'idempotencyKey',
  'requestHash',
  'message',
  'source',
  'departureAt',
  'createdAt',
] as const satisfies readonly (keyof NewOutbound)[];
const INBOUND_FIELDS = [
  'id',
  'iss',
  'jti',
  'messageType',
  'notificationId',
  'message',
  'digest',
  'receivedAt',
  'receiptJws',
  'departureAt',
] as const satisfies readonly (keyof InboundRecord)[];

export function checkNewOutbound(rec: NewOutbound): void {
  onlyKeys(rec, NEW_OUTBOUND_FIELDS);
  ref(rec.id, 'id');
  oneOf(rec.messageType, MESSAGE_TYPES_STORED, 'messageType');
  ref(rec.notificationId, 'notificationId');
  stateCode(rec.partner, 'partner');
  oneOf(rec.state, ['accepted', 'no_channel'], 'state');
  ref(rec.submittedBy, 'submittedBy');
  if (rec.idempotencyKey !== null) ref(rec.idempotencyKey, 'idempotencyKey');
  ref(rec.requestHash, 'requestHash');
  plainObject(rec.message, 'message');
  if (rec.source !== null) ref(rec.source, 'source');
  nullableTime(rec.departureAt, 'departureAt');
  time(rec.createdAt, 'createdAt');
}

export function checkStates(states: readonly OutboundState[], pointer: string): void {
  if (!Array.isArray(states) || states.length === 0) throw bad(pointer, 'must list at least one state');
  for (const s of states) oneOf(s, OUTBOUND_STATES, pointer);
}

/** The list filters both adapters take: states and timeliness from their allow-lists. */
export function checkOutboundFilter(filter: { state?: OutboundState | OutboundState[]; timeliness?: string }): void {
  if (filter.state !== undefined)
    checkStates(Array.isArray(filter.state) ? filter.state : [filter.state], 'filter/state');
  if (filter.timeliness !== undefined) oneOf(filter.timeliness, TIMELINESS_FILTERS, 'filter/timeliness');
}

export function checkPatch(patch: OutboundPatch): void {
  for (const key of Object.keys(patch)) {
    if (!(PATCH_FIELDS as readonly string[]).includes(key)) throw bad(`patch/${key}`, 'is not a patchable field');
  }
  const p = patch as Record<string, unknown>;
  for (const k of ['jwe', 'jti', 'lastError', 'receiptJws', 'receiptDigest', 'source'] as const) {
    if (p[k] !== undefined && p[k] !== null && typeof p[k] !== 'string')
      throw bad(`patch/${k}`, 'must be a string or null');
  }
  for (const k of ['queuedAt', 'deliveredAt', 'atRiskAlertedAt'] as const) {
    if (p[k] !== undefined) nullableTime(p[k], `patch/${k}`);
  }
  if (p.leadTimeSeconds !== undefined) nullableNumber(p.leadTimeSeconds, 'patch/leadTimeSeconds');
  if (p.attempts !== undefined && (!Number.isSafeInteger(p.attempts) || (p.attempts as number) < 0)) {
    throw bad('patch/attempts', 'must be a non-negative integer');
  }
  if (p.timeliness !== undefined && p.timeliness !== null) oneOf(p.timeliness, TIMELINESS, 'patch/timeliness');
  if (p.message !== undefined) plainObject(p.message, 'patch/message');
}

export function checkInbound(rec: InboundRecord): void {
  onlyKeys(rec, INBOUND_FIELDS);
  ref(rec.id, 'id');
  stateCode(rec.iss, 'iss');
  ref(rec.jti, 'jti');
  oneOf(rec.messageType, MESSAGE_TYPES_STORED, 'messageType');
  ref(rec.notificationId, 'notificationId');
  plainObject(rec.message, 'message');
  ref(rec.digest, 'digest');
  time(rec.receivedAt, 'receivedAt');
  if (typeof rec.receiptJws !== 'string' || rec.receiptJws.length === 0)
    throw bad('receiptJws', 'must be a JWS string');
  nullableTime(rec.departureAt, 'departureAt');
}

export function checkAuditFields(
  e: {
    action: unknown;
    actor: unknown;
    at: unknown;
    messageId?: unknown;
    partner?: unknown;
    outcome?: unknown;
    detail?: unknown;
  },
  pointer: string,
): void {
  if (typeof e.action !== 'string' || !ACTION.test(e.action) || e.action.length > 128) {
    throw bad(`${pointer}/action`, 'must be "<entity>.<action>" in lower_snake_case');
  }
  ref(e.actor, `${pointer}/actor`);
  time(e.at, `${pointer}/at`);
  if (e.messageId != null) ref(e.messageId, `${pointer}/messageId`);
  if (e.partner != null) stateCode(e.partner, `${pointer}/partner`);
  if (e.outcome != null) ref(e.outcome, `${pointer}/outcome`);
  if (e.detail != null) plainObject(e.detail, `${pointer}/detail`);
}

export function checkAttempt(a: DeliveryAttempt): void {
  if (typeof a.messageId !== 'string' || a.messageId.length === 0) throw bad('messageId', 'is required');
  if (!Number.isSafeInteger(a.attempt) || a.attempt < 1) throw bad('attempt', 'must be a positive integer');
  if (!Number.isSafeInteger(a.startedAt)) throw bad('startedAt', 'must be integer epoch milliseconds');
  if (typeof a.durationMs !== 'number' || !Number.isFinite(a.durationMs) || a.durationMs < 0)
    throw bad('durationMs', 'must be ≥ 0');
  if (a.httpStatus !== null && (!Number.isSafeInteger(a.httpStatus) || a.httpStatus < 100 || a.httpStatus > 599)) {
    throw bad('httpStatus', 'must be an HTTP status or null');
  }
  if (a.error !== null && (typeof a.error !== 'string' || a.error.length > 256))
    throw bad('error', 'must be a short string or null');
  if (!['delivered', 'retry', 'failed'].includes(a.outcome)) throw bad('outcome', 'must be delivered, retry or failed');
  if (typeof a.mayHaveReached !== 'boolean') throw bad('mayHaveReached', 'must be a boolean');
}

export function checkLease(name: unknown, holder: unknown, ttlMs: unknown, now: unknown): void {
  ref(name, 'name');
  ref(holder, 'holder');
  if (!Number.isSafeInteger(ttlMs) || (ttlMs as number) < 1) throw bad('ttlMs', 'must be a positive integer');
  time(now, 'now');
}

export function checkCheckpoint(c: AuditCheckpoint): void {
  if (!Number.isSafeInteger(c.seq) || c.seq < 0) throw bad('seq', 'must be a non-negative integer');
  if (typeof c.headHash !== 'string' || !/^[0-9a-f]{64}$/.test(c.headHash))
    throw bad('headHash', 'must be 64 lowercase hex characters');
  if (typeof c.jws !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(c.jws))
    throw bad('jws', 'must be a compact JWS');
  if (!Number.isSafeInteger(c.at)) throw bad('at', 'must be integer epoch milliseconds');
}

/**
 * A time bound given by a caller (outbox cut-off, at-risk horizon): any finite number, since such
 * bounds are computed (now + hours × 3 600 000) and need not be whole milliseconds.
 */
export function checkTime(v: unknown, pointer: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(pointer, 'must be a finite epoch-milliseconds number');
}

export function checkRangeTimes(filter: { from?: number; to?: number }): void {
  if (filter.from !== undefined) time(filter.from, 'filter/from');
  if (filter.to !== undefined) time(filter.to, 'filter/to');
}

/** Explicit allow-list: an unexpected field is refused rather than silently dropped by one adapter. */
function onlyKeys(rec: object, allowed: readonly string[]): void {
  if (rec === null || typeof rec !== 'object') throw bad('', 'must be an object');
  for (const k of Object.keys(rec)) if (!allowed.includes(k)) throw bad(k, 'is not a field of this record');
}

function ref(v: unknown, pointer: string): void {
  if (typeof v !== 'string' || !REF.test(v)) throw bad(pointer, 'must be 1–256 printable ASCII characters');
}

function stateCode(v: unknown, pointer: string): void {
  if (typeof v !== 'string' || !STATE_CODE.test(v)) throw bad(pointer, 'must be an ISO 3166-1 alpha-3 code');
}

function oneOf(v: unknown, allowed: readonly string[], pointer: string): void {
  if (typeof v !== 'string' || !allowed.includes(v)) throw bad(pointer, `must be one of ${allowed.join(', ')}`);
}

function time(v: unknown, pointer: string): void {
  if (!Number.isSafeInteger(v)) throw bad(pointer, 'must be integer epoch milliseconds');
}

function nullableTime(v: unknown, pointer: string): void {
  if (v !== null) time(v, pointer);
}

function nullableNumber(v: unknown, pointer: string): void {
  if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
    throw bad(pointer, 'must be a finite number or null');
}

function plainObject(v: unknown, pointer: string): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad(pointer, 'must be an object');
}

function bad(pointer: string, what: string) {
  return tnxError('invalid_request', `${pointer} ${what}`, { pointer });
}
