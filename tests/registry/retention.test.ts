import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_RETENTION_POLICY,
  flagReview,
  isReviewOverdue,
  isShredDue,
  planRetention,
  retentionCutoffs,
  retentionOutcome,
  type RetentionView,
} from '../../src/domain/registry/retention.js';
import { sealRegistrant } from '../../src/domain/registry/sealed-registrant.js';
import { ManualClock } from '../../src/core/clock.js';
import { cyrillicRegistrant, freshKeys, personalStrings } from './fixtures.js';

const clock = new ManualClock(Date.parse('2026-11-27T15:00:00Z'));
const policy = { retentionDaysAfterEnd: 30 };

function view(over: Partial<RetentionView>): RetentionView {
  return {
    id: randomUUID(),
    status: 'active',
    registrationStart: '2016-01-01',
    registrationEnd: null,
    reviewDue: '2027-06-01',
    reviewFlaggedAt: null,
    erasedAt: null,
    ...over,
  };
}

describe('registry: retention rules', () => {
  it('computes the cut-off dates from the clock and the policy', () => {
    assert.deepEqual(retentionCutoffs(policy, clock), { endBefore: '2026-10-28', reviewBefore: '2026-11-27' });
    assert.equal(DEFAULT_RETENTION_POLICY.retentionDaysAfterEnd, 365);
  });

  it('shreds exactly when registration end + retention has passed (boundary day kept)', () => {
    assert.equal(
      isShredDue(view({ registrationEnd: '2026-10-28' }), policy, clock),
      false,
      'end + 30 days = today: still kept',
    );
    assert.equal(isShredDue(view({ registrationEnd: '2026-10-27' }), policy, clock), true);
    assert.equal(isShredDue(view({ registrationEnd: null }), policy, clock), false, 'indefinite: never by this rule');
    assert.equal(
      isShredDue(view({ registrationEnd: '2020-01-01', erasedAt: 1 }), policy, clock),
      false,
      'already erased',
    );
  });

  it('flags reviews that are overdue (the review day itself is in time)', () => {
    assert.equal(isReviewOverdue(view({ reviewDue: '2026-11-27' }), clock), false);
    assert.equal(isReviewOverdue(view({ reviewDue: '2026-11-26' }), clock), true);
  });

  it('plans one pass: shred beats flag, flagged and erased records are left alone', () => {
    const old = view({ registrationEnd: '2025-01-01', reviewDue: '2024-01-01' });
    const overdue = view({ reviewDue: '2026-01-01' });
    const alreadyFlagged = view({ reviewDue: '2026-01-01', reviewFlaggedAt: 5 });
    const current = view({});
    const erased = view({ registrationEnd: '2020-01-01', reviewDue: '2020-01-01', erasedAt: 7, status: 'ended' });
    assert.deepEqual(planRetention([old, overdue, alreadyFlagged, current, erased], policy, clock), {
      shred: [old.id],
      flagReview: [overdue.id],
    });
    clock.advance(400 * 86_400_000);
    assert.deepEqual(planRetention([current], policy, clock).flagReview, [current.id], 'time moves the plan');
    clock.set(Date.parse('2026-11-27T15:00:00Z'));
  });

  it('flags on the record and reports outcomes with registry fields only, no personal data', () => {
    const r = cyrillicRegistrant({ reviewDue: '2026-01-01' });
    const sealed = sealRegistrant(r, freshKeys(), clock.now() - 1000);
    const flagged = flagReview(sealed, clock);
    assert.equal(flagged.reviewFlaggedAt, clock.now());
    assert.deepEqual(flagged.fields, sealed.fields);
    const outcome = retentionOutcome(flagged, 'review_flagged', clock);
    assert.deepEqual(Object.keys(outcome).sort(), [
      'action',
      'at',
      'registrantId',
      'registrationEnd',
      'registrationStart',
      'reviewDue',
      'statusBefore',
    ]);
    const json = JSON.stringify(outcome);
    for (const v of personalStrings(r)) assert.ok(!json.includes(v));
    assert.ok(!json.includes('f1.'), 'no ciphertext either');
  });
});
