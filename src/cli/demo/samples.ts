/**
 * Sample messages for the demo, the end-to-end tests and the benchmark, made from the published
 * examples (protocol/examples/) so they stay valid as the schema evolves: the person and conviction
 * data of the (fictional) example, a one-leg trip to the chosen destination departing at the chosen
 * time, and the report block recomputed so the semantic rules hold (daysOfNotice =
 * floor((departure − reportedAt) / 24 h)). No notificationId: the gateway assigns one, unless the
 * caller sets it.
 */
import { isoTime } from '../../core/clock.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daysOfNotice } from '../../domain/protocol/semantic-checks.js';
import type { TravelNotification } from '../../domain/protocol/types.js';
import { REPO_ROOT } from './two-states.js';

const EXAMPLES = join(REPO_ROOT, 'protocol/examples');

export function exampleMessage<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as T;
}

/** Airports for the sample legs, by destination state. */
const AIRPORTS: Record<string, { from: string; to: string; city: string }> = {
  GBR: { from: 'JFK', to: 'LHR', city: 'London' },
  USA: { from: 'LHR', to: 'JFK', city: 'New York' },
  FRA: { from: 'JFK', to: 'CDG', city: 'Paris' },
  THA: { from: 'JFK', to: 'BKK', city: 'Bangkok' },
};

const DAY_MS = 86_400_000;

/** RFC 3339 UTC without milliseconds, as national systems usually write it. */
export function isoSeconds(ms: number): string {
  return isoTime(Math.floor(ms / 1000) * 1000).replace('.000Z', 'Z');
}

export interface SampleOptions {
  origin: string;
  destination: string;
  /** Departure of the (only) leg, epoch ms. */
  departureAt: number;
  /** When the registrant reported the travel, epoch ms (default: now). */
  reportedAt?: number;
  notificationId?: string;
}

/** A TravelNotification body ready for POST /api/v1/notifications (no id: the gateway assigns it). */
export function sampleNotification(o: SampleOptions): Record<string, unknown> {
  const n = exampleMessage<TravelNotification>('travel-notification.json');
  if (o.notificationId) n.notificationId = o.notificationId;
  else delete (n as Partial<TravelNotification>).notificationId;
  const airports = AIRPORTS[o.destination] ?? { from: 'JFK', to: 'MNL', city: 'Manila' };
  const departure = isoSeconds(o.departureAt);
  const arrival = isoSeconds(o.departureAt + 8 * 3600_000);
  const reportedAt = isoSeconds(o.reportedAt ?? Date.now());
  n.origin = o.origin;
  n.destination = o.destination;
  n.travel = {
    ...n.travel,
    departureAt: departure,
    legs: [
      {
        sequence: 1,
        carrier: 'ZZ',
        flightNumber: 'ZZ100',
        departureAirport: airports.from,
        arrivalAirport: airports.to,
        scheduledDeparture: departure,
        scheduledArrival: arrival,
      },
    ],
    destinationCountries: [o.destination],
    accommodation: [
      {
        kind: 'hotel',
        addressLines: ['Example Hotel', '1 Sample Street'],
        city: airports.city,
        country: o.destination,
        from: arrival.slice(0, 10),
        to: isoSeconds(o.departureAt + 14 * DAY_MS).slice(0, 10),
      },
    ],
    returnDate: isoSeconds(o.departureAt + 15 * DAY_MS).slice(0, 10),
  };
  const days = daysOfNotice(reportedAt, departure);
  // 21 days: the notice period of the example's national rules; shorter notice is flagged late.
  n.report = { reportedAt, daysOfNotice: days, late: days < 21 };
  const body = n as unknown as Record<string, unknown>;
  delete body.pointOfContact; // the gateway fills in its own
  delete body.ext;
  return body;
}

/** A TravelUpdate cancelling `notificationId`, ready for POST /api/v1/updates. */
export function sampleCancel(o: {
  origin: string;
  destination: string;
  notificationId: string;
  reason?: string;
}): Record<string, unknown> {
  const u = exampleMessage<Record<string, unknown>>('travel-update-cancel.json');
  delete u.updateId;
  delete u.issuedAt;
  return {
    ...u,
    origin: o.origin,
    destination: o.destination,
    notificationId: o.notificationId,
    reason: o.reason ?? 'Subject did not board; travel abandoned',
  };
}
