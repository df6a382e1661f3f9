/**
 * The domain events of the registry and of travel reports, built in one place so every caller (HTTP
 * handlers, the retention job) audits the same way. They use the LED Art 25 actions of
 * src/domain/audit/actions.ts: `messageId` carries the record id, `detail` references and outcomes only —
 * never a name, date of birth or document number (the audit subscriber refuses those field names, and
 * nothing here copies a value of the person).
 */
import { TnxError } from '../../core/errors.js';
import type { DomainEvent } from '../audit/event-bus.js';
import type { DeadlineAssessment } from '../travel-reports/deadline.js';
import type { RegistrantQuery } from './blind-index.js';
import type { RetentionOutcome } from './retention.js';

const MAX_PURPOSE = 200;

/**
 * A purpose is stored in the audit trail: no control characters (NUL, CR, LF would forge or break
 * audit lines). The API's query schema (PURPOSE, src/features/query-schema.ts) uses this same rule.
 */
export const PURPOSE_TEXT = /^[^\u0000-\u001f\u007f]*$/;

/**
 * A read of personal data must state why (LED Art 25(1)); refuse before any decryption. Whichever door
 * the purpose came through — a query checked by its schema or a posted console form — it is checked here.
 */
export function requirePurpose(purpose: unknown): string {
  if (typeof purpose !== 'string' || purpose.trim().length === 0 || purpose.length > MAX_PURPOSE) {
    throw new TnxError(
      'purpose_required',
      `a purpose of 1..${MAX_PURPOSE} characters is required to read personal data`,
      { pointer: 'purpose' },
    );
  }
  if (!PURPOSE_TEXT.test(purpose)) {
    throw new TnxError('invalid_request', 'purpose must be printable text without control characters', {
      pointer: 'purpose',
    });
  }
  return purpose.trim();
}

/** `importId`: the bulk import the change belongs to (one id per import request), to group its events. */
export function registrantCreated(registrantId: string, actor: string, at: number, importId?: string): DomainEvent {
  return {
    action: 'personal_data.created',
    actor,
    at,
    messageId: registrantId,
    outcome: 'created',
    detail: { entity: 'registrant', ...(importId ? { importId } : {}) },
  };
}

/** `fields`: which encrypted fields were decrypted (field names, e.g. "person.dateOfBirth"). */
export function registrantRead(
  registrantId: string,
  actor: string,
  purpose: unknown,
  at: number,
  fields?: readonly string[],
): DomainEvent {
  const detail: Record<string, unknown> = { entity: 'registrant', purpose: requirePurpose(purpose) };
  if (fields) detail.fields = [...fields];
  return { action: 'personal_data.read', actor, at, messageId: registrantId, outcome: 'read', detail };
}

/** A search consults the registry even when it returns nothing: the criteria used are logged, not their values. */
export function registrantSearched(
  query: RegistrantQuery,
  results: number,
  actor: string,
  purpose: unknown,
  at: number,
): DomainEvent {
  const criteria = (['name', 'dateOfBirth', 'documentNumber'] as const).filter((k) => query[k] !== undefined);
  return {
    action: 'personal_data.read',
    actor,
    at,
    messageId: null,
    outcome: 'searched',
    detail: { entity: 'registrant', purpose: requirePurpose(purpose), criteria, results },
  };
}

export function registrantAltered(
  registrantId: string,
  actor: string,
  at: number,
  outcome: 'updated' | 'rewrapped' | 'rekeyed' | 'review_flagged' = 'updated',
  importId?: string,
): DomainEvent {
  return {
    action: 'personal_data.altered',
    actor,
    at,
    messageId: registrantId,
    outcome,
    detail: { entity: 'registrant', ...(importId ? { importId } : {}) },
  };
}

export function registrantErased(
  registrantId: string,
  actor: string,
  at: number,
  reason: 'retention' | 'request' | 'review',
): DomainEvent {
  return {
    action: 'personal_data.erased',
    actor,
    at,
    messageId: registrantId,
    outcome: 'shredded',
    detail: { entity: 'registrant', reason },
  };
}

/** The retention job's events: shredding is an erasure, a review flag an alteration of the record. */
export function retentionEvent(outcome: RetentionOutcome): DomainEvent {
  const detail = {
    entity: 'registrant',
    reason: 'retention',
    registrationEnd: outcome.registrationEnd,
    reviewDue: outcome.reviewDue,
    statusBefore: outcome.statusBefore,
  };
  return outcome.action === 'shredded'
    ? {
        action: 'personal_data.erased',
        actor: 'system',
        at: outcome.at,
        messageId: outcome.registrantId,
        outcome: 'shredded',
        detail,
      }
    : {
        action: 'personal_data.altered',
        actor: 'system',
        at: outcome.at,
        messageId: outcome.registrantId,
        outcome: 'review_flagged',
        detail,
      };
}

export function travelReportRecorded(
  reportId: string,
  registrantId: string,
  deadline: DeadlineAssessment,
  actor: string,
  at: number,
  change: 'created' | 'amended' | 'cancelled' = 'created',
  /**
   * A change: the version it stored and the destinations it added. The recovery job reads them to
   * submit an added notification the change request never submitted under that request's idempotency
   * key (`tr:<report>:v<version>`) and submitter (the event's actor).
   */
  stored?: { version: number; added: readonly string[] },
): DomainEvent {
  return {
    action: change === 'created' ? 'personal_data.created' : 'personal_data.altered',
    actor,
    at,
    messageId: reportId,
    outcome: change,
    detail: {
      entity: 'travel_report',
      registrantId,
      late: deadline.late,
      daysOfNotice: deadline.daysOfNotice,
      emergency: deadline.emergency,
      ...(stored ? { version: stored.version, added: [...stored.added] } : {}),
    },
  };
}
