import assert from 'node:assert/strict';
import { checkAuditEvent } from '../../src/features/audit-trail/subscriber.js';
import { isTnxError } from '../../src/core/errors.js';
import {
  registrantAltered,
  registrantCreated,
  registrantErased,
  registrantRead,
  registrantSearched,
  requirePurpose,
  retentionEvent,
  travelReportRecorded,
} from '../../src/domain/registry/registry-events.js';
import { retentionOutcome } from '../../src/domain/registry/retention.js';
import { ManualClock } from '../../src/core/clock.js';
import { cyrillicRegistrant, personalStrings } from './fixtures.js';

const at = Date.parse('2026-11-27T12:00:00Z');

describe('registry: audit events', () => {
  const r = cyrillicRegistrant();

  it('builds events the audit trail accepts, with record ids and no personal values', () => {
    const events = [
      registrantCreated(r.id, 'registry-clerk-1', at),
      registrantRead(r.id, 'registry-clerk-1', 'travel report 2026-118 verification', at, [
        'person.name',
        'person.dateOfBirth',
      ]),
      registrantSearched(
        { name: 'Petrov', dateOfBirth: '1979-03-14' },
        1,
        'registry-clerk-1',
        'identity check at intake',
        at,
      ),
      registrantAltered(r.id, 'registry-clerk-1', at),
      registrantErased(r.id, 'admin-1', at, 'request'),
      retentionEvent(
        retentionOutcome(
          {
            id: r.id,
            status: 'active',
            registrationStart: r.registrationStart,
            registrationEnd: '2020-01-01',
            reviewDue: r.reviewDue,
            reviewFlaggedAt: null,
            erasedAt: null,
          },
          'shredded',
          new ManualClock(at),
        ),
      ),
      travelReportRecorded(
        'a1a1a1a1-0000-4000-8000-000000000001',
        r.id,
        { late: true, daysOfNotice: 5, emergency: false, changeAllowed: true, departureAt: at, changeDeadline: at },
        'registry-clerk-1',
        at,
      ),
    ];
    for (const e of events) {
      checkAuditEvent(e);
      const json = JSON.stringify(e);
      for (const v of personalStrings(r)) assert.ok(!json.includes(v), `${e.action} leaks a personal value`);
    }
    assert.deepEqual(
      events.map((e) => e.action),
      [
        'personal_data.created',
        'personal_data.read',
        'personal_data.read',
        'personal_data.altered',
        'personal_data.erased',
        'personal_data.erased',
        'personal_data.created',
      ],
    );
    assert.deepEqual(events[2]!.detail, {
      entity: 'registrant',
      purpose: 'identity check at intake',
      criteria: ['name', 'dateOfBirth'],
      results: 1,
    });
  });

  it('refuses a read or search without a purpose', () => {
    for (const p of [undefined, '', '   ', 'x'.repeat(201), 42]) {
      assert.throws(
        () => registrantRead(r.id, 'clerk', p, at),
        (e: unknown) => isTnxError(e, 'purpose_required'),
      );
      assert.throws(
        () => registrantSearched({ name: 'x' }, 0, 'clerk', p, at),
        (e: unknown) => isTnxError(e, 'purpose_required'),
      );
    }
    assert.equal(requirePurpose('  case 12  '), 'case 12');
  });

  it('refuses a purpose with control characters, whichever door it came through', () => {
    // A posted form is not checked by the query schema: CR/LF must not reach detail.purpose.
    for (const p of ['case 12\r\nforged: line', 'case\u000012', 'tab\there', 'del\u007f']) {
      assert.throws(
        () => requirePurpose(p),
        (e: unknown) => isTnxError(e, 'invalid_request') && e.pointer === 'purpose',
      );
      assert.throws(
        () => registrantRead(r.id, 'clerk', p, at),
        (e: unknown) => isTnxError(e, 'invalid_request'),
      );
    }
    assert.equal(requirePurpose('Case 12 — border alert, flight BA178'), 'Case 12 — border alert, flight BA178');
  });
});
