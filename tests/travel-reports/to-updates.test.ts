import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import { validateMessage } from '../../src/domain/protocol/validate.js';
import { DEFAULT_DEADLINE_RULES } from '../../src/domain/travel-reports/deadline.js';
import { toUpdates, type UpdateOptions } from '../../src/domain/travel-reports/to-updates.js';
import { validateTravelReport, type TravelReport } from '../../src/domain/travel-reports/travel-report.js';
import { ManualClock } from '../../src/core/clock.js';
import { DAY, HOUR, iso, NOW, threeCountryReport } from './fixtures.js';

const clock = new ManualClock(NOW);
const registrantId = '0d6a3c1e-5b2f-4e8a-9c7d-1a2b3c4d5e6f';
const ids = {
  FRA: 'a1a1a1a1-0000-4000-8000-000000000001',
  DEU: 'a1a1a1a1-0000-4000-8000-000000000002',
  THA: 'a1a1a1a1-0000-4000-8000-000000000003',
};
const options: UpdateOptions = { ownState: 'USA', rules: DEFAULT_DEADLINE_RULES, clock, notificationIds: ids };
const DEP = NOW + 30 * DAY;

function changed(old: TravelReport, fn: (r: TravelReport) => void): TravelReport {
  const r = structuredClone(old);
  fn(r);
  return validateTravelReport(r);
}

describe('travel reports: toUpdates', () => {
  beforeEach(() => clock.set(NOW));
  const old = validateTravelReport(threeCountryReport(registrantId, { departure: DEP }));

  it('amends every destination when the departure changes, with the changed paths and the new travel', () => {
    const next = changed(old, (r) => {
      r.travel.legs[0]!.scheduledDeparture = iso(DEP + 2 * HOUR);
    });
    const { updates, added } = toUpdates(old, next, options);
    assert.deepEqual(added, []);
    assert.deepEqual(
      updates.map((u) => [u.destination, u.action, u.notificationId]),
      [
        ['FRA', 'amend', ids.FRA],
        ['DEU', 'amend', ids.DEU],
        ['THA', 'amend', ids.THA],
      ],
    );
    for (const u of updates) {
      assert.deepEqual(u.changed, ['travel.departureAt', 'travel.legs']);
      assert.equal(u.travel!.departureAt, iso(DEP + 2 * HOUR));
      assert.equal(u.issuedAt, new Date(NOW).toISOString());
      assert.deepEqual(validateMessage(u), u);
    }
  });

  it('amends only the destination whose view changed (an address in one country)', () => {
    const next = changed(old, (r) => {
      r.travel.accommodation![1]!.addressLines = ['Zeil 100'];
    });
    const { updates } = toUpdates(old, next, options);
    assert.deepEqual(
      updates.map((u) => [u.destination, u.changed]),
      [['DEU', ['travel.accommodation']]],
    );
  });

  it('ignores object key order: a re-submitted identical report changes nothing', () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const same = validateTravelReport(reverseKeys(structuredClone(old)));
    assert.notDeepEqual(Object.keys(same.travel), Object.keys(old.travel));
    assert.deepEqual(toUpdates(old, same, options).updates, []);
  });

  it('cancels dropped destinations and lists added ones for new notifications', () => {
    const next = changed(old, (r) => {
      r.travel.destinationCountries = ['FRA', 'DEU', 'KHM'];
      r.travel.accommodation = r.travel.accommodation!.filter((a) => a.country !== 'THA');
    });
    const { updates, added } = toUpdates(old, next, { ...options, reason: 'itinerary changed' });
    const tha = updates.find((u) => u.destination === 'THA')!;
    assert.equal(tha.action, 'cancel');
    assert.equal(tha.travel, undefined, 'a cancel carries no travel data');
    assert.equal(tha.reason, 'itinerary changed');
    assert.deepEqual(
      updates.filter((u) => u.action === 'amend').map((u) => u.destination),
      ['FRA', 'DEU'],
    );
    assert.deepEqual(added, ['KHM']);
    for (const u of updates) validateMessage(u);
  });

  it('cancels every destination when the report is cancelled, even inside the change window', () => {
    clock.set(DEP - HOUR);
    const { updates, added } = toUpdates(old, null, options);
    assert.deepEqual(
      updates.map((u) => [u.destination, u.action]),
      [
        ['FRA', 'cancel'],
        ['DEU', 'cancel'],
        ['THA', 'cancel'],
      ],
    );
    assert.deepEqual(added, []);
    for (const u of updates) validateMessage(u);
  });

  it('refuses amendments after the cut-off unless the change is an emergency', () => {
    const next = changed(old, (r) => {
      r.travel.purpose = 'Business';
    });
    clock.set(DEP - 23 * HOUR);
    assert.throws(
      () => toUpdates(old, next, options),
      (e: unknown) => isTnxError(e, 'change_window_closed') && e.status === 409,
    );
    const emergency = { ...next, emergency: { reason: 'Flight cancelled by airline' } };
    assert.equal(toUpdates(old, emergency, options).updates.length, 3);
    // Moving the departure to inside the window is a late change too.
    clock.set(NOW);
    const soon = changed(old, (r) => {
      r.travel.legs[0]!.scheduledDeparture = iso(NOW + 12 * HOUR);
      r.travel.legs[0]!.scheduledArrival = iso(NOW + 19 * HOUR);
    });
    assert.throws(
      () => toUpdates(old, soon, options),
      (e: unknown) => isTnxError(e, 'change_window_closed'),
    );
  });

  it('refuses a change to another report or a destination never notified', () => {
    assert.throws(
      () => toUpdates(old, { ...old, id: ids.FRA }, options),
      (e: unknown) => isTnxError(e, 'invalid_travel_report'),
    );
    const { THA: _t, ...partial } = ids;
    assert.throws(
      () => toUpdates(old, null, { ...options, notificationIds: partial }),
      (e: unknown) => isTnxError(e, 'unknown_reference'),
    );
  });
});
