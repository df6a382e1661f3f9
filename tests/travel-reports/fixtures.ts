/** A travel report to three countries, with times relative to a frozen "now". */
import { randomUUID } from 'node:crypto';
import type { PointOfContact } from '../../src/domain/protocol/types.js';
import type { TravelReport } from '../../src/domain/travel-reports/travel-report.js';

export const NOW = Date.parse('2026-12-01T10:00:00Z');
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export const USA_POC: PointOfContact = {
  unit: 'US Marshals NSOTC',
  email: 'nsotc@example.gov',
  phone: '+1 202 555 0100',
  hours: '24/7',
};

/** ISO with "Z" for an epoch ms. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Departs `daysAhead` days after `reportedAt`; three destinations: FRA, DEU, THA. */
export function threeCountryReport(
  registrantId: string,
  opts: { departure?: number; reportedAt?: number } = {},
): TravelReport {
  const dep = opts.departure ?? NOW + 30 * DAY;
  const reportedAt = opts.reportedAt ?? NOW;
  return {
    id: randomUUID(),
    registrantId,
    travel: {
      purpose: 'Tourism',
      legs: [
        {
          sequence: 1,
          carrier: 'AF',
          flightNumber: 'AF0023',
          departureAirport: 'JFK',
          arrivalAirport: 'CDG',
          scheduledDeparture: iso(dep),
          scheduledArrival: iso(dep + 7 * HOUR),
        },
        {
          sequence: 2,
          carrier: 'LH',
          flightNumber: 'LH1029',
          departureAirport: 'CDG',
          arrivalAirport: 'FRA',
          scheduledDeparture: iso(dep + 3 * DAY),
          scheduledArrival: iso(dep + 3 * DAY + HOUR),
        },
        {
          sequence: 3,
          carrier: 'TG',
          flightNumber: 'TG921',
          departureAirport: 'FRA',
          arrivalAirport: 'BKK',
          scheduledDeparture: iso(dep + 6 * DAY),
          scheduledArrival: iso(dep + 6 * DAY + 11 * HOUR),
        },
      ],
      destinationCountries: ['FRA', 'DEU', 'THA'],
      accommodation: [
        { kind: 'hotel', addressLines: ['12 Rue de Rivoli'], city: 'Paris', country: 'FRA' },
        { kind: 'private_address', addressLines: ['Sonnenallee 4'], city: 'Frankfurt am Main', country: 'DEU' },
        { kind: 'hotel', addressLines: ['88 Sukhumvit Soi 11'], city: 'Bangkok', country: 'THA' },
      ],
      returnDate: iso(dep + 20 * DAY).slice(0, 10),
      travellingWithChild: false,
    },
    reportedAt: iso(reportedAt),
    enteredBy: 'staff-17',
    enteredAt: iso(reportedAt + HOUR),
  };
}
