import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import { validateTravelReport, type TravelReport } from '../../src/domain/travel-reports/travel-report.js';
import { HOUR, iso, NOW, threeCountryReport } from './fixtures.js';

const reg = '0d6a3c1e-5b2f-4e8a-9c7d-1a2b3c4d5e6f';

function refused(mutate: (r: TravelReport & Record<string, unknown>) => void, pointer: string): void {
  const r = structuredClone(threeCountryReport(reg)) as TravelReport & Record<string, unknown>;
  mutate(r);
  assert.throws(
    () => validateTravelReport(r),
    (e: unknown) => {
      assert.ok(isTnxError(e, 'invalid_travel_report'), String(e));
      assert.equal(e.pointer, pointer);
      assert.equal(e.status, 422);
      assert.ok(!e.message.includes('Rivoli') && !e.message.includes('Sonnenallee'), 'no address echoed');
      return true;
    },
  );
}

describe('travel reports: validation', () => {
  it("accepts a well-formed report, entered by staff on the registrant's behalf", () => {
    const r = threeCountryReport(reg);
    assert.equal(validateTravelReport(r).enteredBy, 'staff-17');
  });

  it('refuses a report without who entered it or when', () => {
    refused((r) => void delete (r as Partial<TravelReport>).enteredBy, '/enteredBy');
    refused((r) => void delete (r as Partial<TravelReport>).enteredAt, '/enteredAt');
    refused((r) => (r.enteredBy = 'staff 17'), '/enteredBy');
  });

  it('refuses departureAt in the report: it is always derived from the first leg', () => {
    refused(
      (r) => ((r.travel as unknown as Record<string, unknown>).departureAt = r.travel.legs[0]!.scheduledDeparture),
      // An unknown field is named by the object holding it: a field name may be input.
      '/travel',
    );
  });

  it('refuses legs out of order, with gaps, or arriving before they depart', () => {
    refused((r) => (r.travel.legs[1]!.sequence = 3), '/travel/legs/1/sequence');
    refused((r) => (r.travel.legs[1]!.scheduledDeparture = iso(NOW)), '/travel/legs/1/scheduledDeparture');
    refused(
      (r) => (r.travel.legs[0]!.scheduledArrival = r.travel.legs[0]!.scheduledDeparture),
      '/travel/legs/0/scheduledArrival',
    );
    refused((r) => (r.travel.legs[0]!.flightNumber = '23'), '/travel/legs/0/flightNumber');
  });

  it('refuses incoherent dates and addresses outside the destinations', () => {
    refused((r) => (r.travel.returnDate = '2026-01-01'), '/travel/returnDate');
    refused((r) => (r.reportedAt = iso(NOW + 2 * HOUR)), '/reportedAt');
    refused((r) => (r.travel.accommodation![0]!.country = 'ESP'), '/travel/accommodation/0/country');
    refused((r) => (r.travel.destinationCountries = ['FRA', 'FRA']), '/travel/destinationCountries');
    refused((r) => (r.emergency = { reason: '' }), '/emergency/reason');
  });
});
