/**
 * Retention rules for registrants, as pure functions of a clock. A scheduled job calls
 * them, then shreds (./sealed-registrant.ts `shredRegistrant`) and flags, and publishes the audit
 * events; nothing here touches the store.
 *
 *  - Shred: a record whose registration ended more than `retentionDaysAfterEnd` days ago (UTC dates).
 *    A record with an indefinite registration (registrationEnd null) is never shredded by this rule;
 *    only a review that sets an end date brings it under it.
 *  - Flag: a record whose periodic review date has passed (CJEU C-118/22) and that is not yet flagged.
 * Erased records are skipped by both.
 */
import type { FullDate } from '../protocol/types.js';
import type { Clock } from '../../core/clock.js';
import type { RegistrantStatus } from './registrant.js';
import type { SealedRegistrant } from './sealed-registrant.js';

export interface RetentionPolicy {
  /** Days a record is kept after its registration end before it is ended and shredded. */
  retentionDaysAfterEnd: number;
}

export const DEFAULT_RETENTION_POLICY: Readonly<RetentionPolicy> = Object.freeze({ retentionDaysAfterEnd: 365 });

/** The fields retention needs: all kept in clear on the sealed record. */
export type RetentionView = Pick<
  SealedRegistrant,
  'id' | 'status' | 'registrationStart' | 'registrationEnd' | 'reviewDue' | 'reviewFlaggedAt' | 'erasedAt'
>;

const DAY_MS = 86_400_000;

function utcDate(ms: number): FullDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(date: FullDate, days: number): FullDate {
  return utcDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/**
 * Cut-off dates for a store query: shred when registrationEnd < `endBefore`; flag when
 * reviewDue < `reviewBefore` (today, UTC: the review day itself is still in time).
 */
export function retentionCutoffs(
  policy: RetentionPolicy,
  clock: Clock,
): { endBefore: FullDate; reviewBefore: FullDate } {
  const today = utcDate(clock.now());
  return { endBefore: addDays(today, -policy.retentionDaysAfterEnd), reviewBefore: today };
}

export function isShredDue(rec: RetentionView, policy: RetentionPolicy, clock: Clock): boolean {
  return (
    rec.erasedAt === null &&
    rec.registrationEnd !== null &&
    rec.registrationEnd < retentionCutoffs(policy, clock).endBefore
  );
}

export function isReviewOverdue(rec: RetentionView, clock: Clock): boolean {
  return rec.erasedAt === null && rec.reviewDue < utcDate(clock.now());
}

export interface RetentionPlan {
  /** Registrant ids to end and shred. */
  shred: string[];
  /** Registrant ids whose overdue review is to be flagged (not yet flagged, not being shredded). */
  flagReview: string[];
}

export function planRetention(records: Iterable<RetentionView>, policy: RetentionPolicy, clock: Clock): RetentionPlan {
  const plan: RetentionPlan = { shred: [], flagReview: [] };
  for (const r of records) {
    if (isShredDue(r, policy, clock)) plan.shred.push(r.id);
    else if (r.reviewFlaggedAt === null && isReviewOverdue(r, clock)) plan.flagReview.push(r.id);
  }
  return plan;
}

/** Flag an overdue review on the record (the store persists the result). */
export function flagReview(sealed: SealedRegistrant, clock: Clock): SealedRegistrant {
  const now = clock.now();
  return { ...sealed, reviewFlaggedAt: now, updatedAt: now };
}

/**
 * What a retention action leaves for statistics and the audit detail: registry dates and status
 * only — no field of the person, not even encrypted.
 */
export interface RetentionOutcome {
  registrantId: string;
  action: 'shredded' | 'review_flagged';
  at: number;
  statusBefore: RegistrantStatus;
  registrationStart: FullDate;
  registrationEnd: FullDate | null;
  reviewDue: FullDate;
}

/** An allow-list copy: adding a field to SealedRegistrant never leaks it into outcomes. */
export function retentionOutcome(
  rec: RetentionView,
  action: RetentionOutcome['action'],
  clock: Clock,
): RetentionOutcome {
  return {
    registrantId: rec.id,
    action,
    at: clock.now(),
    statusBefore: rec.status,
    registrationStart: rec.registrationStart,
    registrationEnd: rec.registrationEnd,
    reviewDue: rec.reviewDue,
  };
}
