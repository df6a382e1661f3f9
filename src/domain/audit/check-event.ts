/**
 * What may enter the audit trail: every domain event is checked before anything of its publish is
 * appended. Its action must be one of AUDIT_ACTIONS, its fields well-formed and bounded, and its
 * `detail` must hold references and outcomes only. A deny-list of field names that look like personal
 * data (name, dateOfBirth, documentNumber, …) is the last line of defence against a handler copying
 * part of a message into an event: an audit trail is kept for years and exported to auditors, so
 * personal data in it would outlive the data's own retention (LED 2016/680 Art 5). Refusal messages
 * name the field, never a value.
 */
import { isTnxError, tnxError, type TnxError } from '../../core/errors.js';
import type { DomainEvent } from './event-bus.js';
import { isAuditAction, PURPOSE_REQUIRED } from './actions.js';
import { canonicalJson } from './chain.js';

/**
 * Field names (compared case-insensitively, ignoring `_`, `-` and `.`) that events may not carry at any
 * depth of `detail`. Names of people, birth data, document and contact data — the personal data a TNX
 * message holds (src/domain/protocol/types.ts Person, TravelDocument) and their common spellings.
 */
export const PERSONAL_DATA_KEYS: readonly string[] = [
  'name',
  'names',
  'family',
  'familyname',
  'given',
  'givenname',
  'givennames',
  'surname',
  'forename',
  'firstname',
  'lastname',
  'fullname',
  'middlename',
  'maidenname',
  'alias',
  'aliases',
  'nameoriginalscript',
  'dateofbirth',
  'birthdate',
  'dob',
  'birthday',
  'placeofbirth',
  'birthplace',
  'age',
  'documentnumber',
  'number',
  'passportnumber',
  'passport',
  'document',
  'documents',
  'traveldocument',
  'traveldocuments',
  'idnumber',
  'nationalid',
  'personalnumber',
  'ssn',
  'person',
  'subject',
  'sex',
  'gender',
  'citizenship',
  'citizenships',
  'nationality',
  'address',
  'email',
  'phone',
  'telephone',
  'mobile',
  'photo',
  'image',
  'biometrics',
];

/** Keys that could pollute prototypes when a stored detail is read back into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const DENY = new Set(PERSONAL_DATA_KEYS);
const STATE_CODE = /^[A-Z]{3}$/;
const ACTOR = /^[A-Za-z0-9._:@-]{1,128}$/;
const MAX_ID = 128;
const MAX_OUTCOME = 64;
const MAX_DEPTH = 4;
/** A detail is a handful of references; anything bigger is a handler copying payloads. */
const MAX_DETAIL_CHARS = 4096;

function normalise(key: string): string {
  return key.toLowerCase().replace(/[_.\-\s]/g, '');
}

function refuse(pointer: string, message: string): TnxError {
  return tnxError('audit_event_refused', `audit event refused: ${message}`, { pointer });
}

function checkDetail(value: unknown, pointer: string, depth: number): void {
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) throw refuse(pointer, 'detail nested too deep');
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkDetail(v, `${pointer}/${i}`, depth + 1));
    return;
  }
  for (const key of Object.keys(value)) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (FORBIDDEN_KEYS.has(key)) throw refuse(at, 'forbidden property name');
    if (DENY.has(normalise(key)))
      throw refuse(at, 'field looks like personal data (events hold references and outcomes only)');
    checkDetail((value as Record<string, unknown>)[key], at, depth + 1);
  }
}

/** References are printable ASCII (ids, codes), as the store adapters require too. */
const REF = /^[\x20-\x7E]+$/;

function optionalString(v: unknown, max: number, pointer: string): void {
  if (v === undefined || v === null) return;
  if (typeof v !== 'string' || v.length === 0 || v.length > max || !REF.test(v)) {
    throw refuse(pointer, `must be 1..${max} printable ASCII characters or null`);
  }
}

/** Throws audit_event_refused unless `e` may enter the audit trail. Pure; exported for tests and publishers. */
export function checkAuditEvent(e: DomainEvent): void {
  if (typeof e.action !== 'string' || !isAuditAction(e.action))
    throw refuse('/action', 'unknown action (see src/domain/audit/actions.ts)');
  if (typeof e.actor !== 'string' || !ACTOR.test(e.actor))
    throw refuse('/actor', 'actor must be a token id, "system" or a state code');
  if (!Number.isSafeInteger(e.at) || e.at < 0) throw refuse('/at', 'must be epoch milliseconds');
  optionalString(e.messageId, MAX_ID, '/messageId');
  optionalString(e.outcome, MAX_OUTCOME, '/outcome');
  if (e.partner !== undefined && e.partner !== null && (typeof e.partner !== 'string' || !STATE_CODE.test(e.partner))) {
    throw refuse('/partner', 'must be an ISO 3166-1 alpha-3 code or null');
  }
  const d = e.detail;
  if (d !== undefined && d !== null) {
    if (typeof d !== 'object' || Array.isArray(d)) throw refuse('/detail', 'must be an object or null');
    checkDetail(d, '/detail', 1);
    let size: number;
    try {
      // The chain's canonical form refuses what would not survive the store's JSON round trip.
      size = canonicalJson(d, '/detail').length;
    } catch (err) {
      throw refuse(isTnxError(err) && err.pointer ? err.pointer : '/detail', 'must hold JSON values only');
    }
    if (size > MAX_DETAIL_CHARS) throw refuse('/detail', `larger than ${MAX_DETAIL_CHARS} characters`);
  }
  if (PURPOSE_REQUIRED.has(e.action)) {
    const purpose = d?.purpose;
    if (typeof purpose !== 'string' || purpose.trim().length === 0) {
      // LED 2016/680 Art 25(1): the log of a consultation or disclosure must establish its justification.
      throw refuse('/detail/purpose', `${e.action} must state the purpose given`);
    }
  }
}
