/**
 * The pieces between a confirmed match and the wire: arrival airport → state and local time → RFC 3339
 * with the right offset (summer time included); the case notification passes TNX/1 validation with
 * the registrant from the registry; the screening settings have their documented defaults and a bad
 * setting is refused with its path.
 */
import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import { AirportTable } from '../../src/domain/screening/airports.js';
import { caseNotification, legOf } from '../../src/features/screening/case-notification.js';
import { validateMessage } from '../../src/domain/protocol/validate.js';
import type { TravelNotification } from '../../src/domain/protocol/types.js';
import { buildConfig } from '../../src/config/load.js';
import type { TnxConfigInput } from '../../src/config/schema.js';
import { cyrillicRegistrant } from '../registry/fixtures.js';

const base: TnxConfigInput = {
  state: 'USA',
  pointOfContact: { unit: 'Desk', email: 'desk@usa.test.example', phone: '+1 202 555 0199', hours: '24/7' },
  keys: { privateJwksPath: '/nonexistent/keys.json' },
};

describe('airports, case notification, screening settings', () => {
  const airports = new AirportTable();

  it('maps arrival airports to states; unknown airports give no state rather than a guess', () => {
    assert.equal(airports.stateOf('LHR'), 'GBR');
    assert.equal(airports.stateOf('bkk'), 'THA');
    assert.equal(airports.stateOf('ZZZ'), null);
    const extended = new AirportTable({ NRT: { state: 'JPN', timeZone: 'Asia/Tokyo' } });
    assert.equal(extended.stateOf('NRT'), 'JPN');
    assert.equal(extended.toDateTime('2027-01-05T09:00', 'NRT'), '2027-01-05T09:00:00+09:00');
  });

  it('gives local manifest times the airport offset of that date (summer time)', () => {
    assert.equal(airports.toDateTime('2026-12-01T11:30', 'LHR'), '2026-12-01T11:30:00+00:00');
    assert.equal(airports.toDateTime('2027-07-01T11:30', 'LHR'), '2027-07-01T11:30:00+01:00');
    assert.equal(airports.toDateTime('2027-01-10T18:30', 'JFK'), '2027-01-10T18:30:00-05:00');
    assert.equal(airports.toDateTime('2027-07-10T18:30', 'JFK'), '2027-07-10T18:30:00-04:00');
    assert.equal(airports.toDateTime(null, 'JFK'), null);
    assert.equal(airports.toDateTime('2027-07-10T18:30', 'ZZZ'), null);
  });

  it('refuses a configured airport with an unknown time zone', () => {
    assert.throws(
      () => new AirportTable({ XXX: { state: 'ATL', timeZone: 'Mars/Olympus' } }),
      (e: unknown) => isTnxError(e, 'config_invalid') && /XXX/.test(e.message),
    );
  });

  it('builds a valid TravelNotification with source manifest_match from registrant and flight', () => {
    const registrant = cyrillicRegistrant();
    const leg = legOf(
      {
        carrier: 'BA',
        flightNumber: 'BA0178',
        departureAirport: 'JFK',
        arrivalAirport: 'LHR',
        scheduledDeparture: '2027-01-10T18:30',
        scheduledArrival: '2027-01-11T06:40',
      },
      airports,
    );
    assert.ok(leg);
    assert.equal(leg.scheduledArrival, '2027-01-11T06:40:00+00:00');
    const n = caseNotification({
      notificationId: '9d7c1f7e-4b0a-4f7e-9a59-3f0f7d6f0c11',
      origin: 'USA',
      destination: 'GBR',
      registrant,
      leg,
      confirmedAt: Date.parse('2027-01-08T12:00:00Z'),
      pointOfContact: base.pointOfContact,
    });
    const valid = validateMessage(n) as TravelNotification;
    assert.equal(valid.source.kind, 'manifest_match');
    assert.equal(valid.report.daysOfNotice, 2);
    assert.equal(valid.report.late, true);
    assert.deepEqual(valid.travel.destinationCountries, ['GBR']);
    assert.equal(JSON.stringify(valid).includes('Assessment'), false, 'registry notes never leave');
    assert.equal(
      legOf(
        {
          carrier: 'BA',
          flightNumber: 'BA1',
          departureAirport: 'ZZZ',
          arrivalAirport: 'LHR',
          scheduledDeparture: '2027-01-10T18:30',
          scheduledArrival: null,
        },
        airports,
      ),
      null,
    );
  });

  it('screening settings: defaults (24 h retention, notify on confirmed unreported), and a bad value names its path', () => {
    const cfg = buildConfig(base);
    assert.equal(cfg.screening.retentionHours, 24);
    assert.equal(cfg.screening.notifyOnConfirmedUnreported, true);
    assert.deepEqual(cfg.screening.weights, {});
    const tuned = buildConfig({
      ...base,
      screening: { weights: { threshold: 0.8, dateOfBirth: { yearDiffers: -0.5 } } },
    });
    assert.equal(tuned.screening.weights.threshold, 0.8);
    assert.throws(
      () => buildConfig({ ...base, screening: { retentionHours: 0 } }),
      (e: unknown) => isTnxError(e, 'config_invalid') && /screening\/retentionHours/.test(e.message),
    );
    assert.throws(
      () => buildConfig({ ...base, screening: { weights: { nmae: {} } } } as unknown as TnxConfigInput),
      (e: unknown) => isTnxError(e, 'config_invalid') && /nmae/.test(e.message),
    );
  });
});
