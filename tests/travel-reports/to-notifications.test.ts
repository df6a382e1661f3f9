import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import { validateMessage } from '../../src/domain/protocol/validate.js';
import type { TravelNotification } from '../../src/domain/protocol/types.js';
import { openRegistrant, sealRegistrant } from '../../src/domain/registry/sealed-registrant.js';
import { DEFAULT_DEADLINE_RULES } from '../../src/domain/travel-reports/deadline.js';
import { toNotifications } from '../../src/domain/travel-reports/to-notifications.js';
import { validateTravelReport } from '../../src/domain/travel-reports/travel-report.js';
import { ManualClock } from '../../src/core/clock.js';
import { cyrillicRegistrant, freshKeys } from '../registry/fixtures.js';
import { DAY, NOW, threeCountryReport, USA_POC } from './fixtures.js';

const clock = new ManualClock(NOW);
const options = { rules: DEFAULT_DEADLINE_RULES, clock };

describe('travel reports: toNotifications', () => {
  // The registrant goes through the registry as it would in production: sealed, stored, opened.
  const keys = freshKeys();
  const registrant = openRegistrant(sealRegistrant(cyrillicRegistrant(), keys, NOW), keys);

  it('builds one TravelNotification per destination, in order, each valid TNX/1', () => {
    const report = validateTravelReport(threeCountryReport(registrant.id));
    const { notifications, deadline } = toNotifications(report, registrant, 'USA', USA_POC, options);
    assert.deepEqual(
      notifications.map((n) => n.destination),
      ['FRA', 'DEU', 'THA'],
    );
    assert.equal(new Set(notifications.map((n) => n.notificationId)).size, 3, 'each tracked on its own');
    for (const n of notifications) {
      assert.deepEqual(validateMessage(n), n);
      assert.equal(n.origin, 'USA');
      assert.equal(n.travel.departureAt, report.travel.legs[0]!.scheduledDeparture);
      assert.deepEqual(n.source, { kind: 'self_report' });
      assert.deepEqual(n.report, { reportedAt: report.reportedAt, daysOfNotice: 30, late: false });
      assert.deepEqual(n.person, registrant.person);
      assert.deepEqual(n.convictions, registrant.convictions);
      assert.deepEqual(n.pointOfContact, USA_POC);
      assert.ok(n.handling.caveats.includes('law_enforcement_only'));
      assert.equal(n.handling.retainUntil, '2028-01-20', '365 days after the return date (2027-01-20)');
      assert.equal(n.travel.legs.length, 3, 'the whole itinerary');
    }
    assert.equal(deadline.late, false);
  });

  it('gives each destination only the addresses in its own territory, and never the notes', () => {
    const report = validateTravelReport(threeCountryReport(registrant.id));
    const { notifications } = toNotifications(report, registrant, 'USA', USA_POC, options);
    for (const n of notifications) {
      assert.deepEqual(
        n.travel.accommodation?.map((a) => a.country),
        [n.destination],
      );
      const json = JSON.stringify(n);
      for (const note of registrant.notes ?? []) assert.ok(!json.includes(note.text));
      assert.ok(!json.includes(registrant.photoRef!));
    }
  });

  it('flags a late report and carries its days of notice; the notification is still sent', () => {
    const report = validateTravelReport(threeCountryReport(registrant.id, { departure: NOW + 5 * DAY + 1000 }));
    const { notifications } = toNotifications(report, registrant, 'USA', USA_POC, options);
    assert.equal(notifications.length, 3);
    for (const n of notifications) {
      assert.deepEqual([n.report.late, n.report.daysOfNotice], [true, 5]);
      validateMessage(n);
    }
  });

  it('carries a recognised emergency with its reason', () => {
    const report = validateTravelReport({
      ...threeCountryReport(registrant.id, { departure: NOW + 2 * DAY }),
      emergency: { reason: 'Parent in intensive care' },
    });
    const [n] = toNotifications(report, registrant, 'USA', USA_POC, options).notifications as [TravelNotification];
    assert.deepEqual(n.report.emergency, { reason: 'Parent in intensive care' });
    assert.equal(n.report.late, false);
    validateMessage(n);
  });

  it('builds only the requested destinations (for destinations added later)', () => {
    const report = validateTravelReport(threeCountryReport(registrant.id));
    const { notifications } = toNotifications(report, registrant, 'USA', USA_POC, { ...options, only: ['THA'] });
    assert.deepEqual(
      notifications.map((n) => n.destination),
      ['THA'],
    );
  });

  it('refuses a report for another registrant, to the own state, or for an inactive registrant', () => {
    const report = validateTravelReport(threeCountryReport(registrant.id));
    assert.throws(
      () => toNotifications({ ...report, registrantId: cyrillicRegistrant().id }, registrant, 'USA', USA_POC, options),
      (e: unknown) => isTnxError(e, 'invalid_travel_report'),
    );
    assert.throws(
      () => toNotifications(report, registrant, 'DEU', USA_POC, options),
      (e: unknown) => isTnxError(e, 'invalid_travel_report') && e.pointer === '/travel/destinationCountries/1',
    );
    assert.throws(
      () => toNotifications(report, { ...registrant, status: 'suspended' }, 'USA', USA_POC, options),
      (e: unknown) => isTnxError(e, 'conflict'),
    );
  });
});
