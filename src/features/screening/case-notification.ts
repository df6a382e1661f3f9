/**
 * The TravelNotification for an "unreported travel" case: the registrant as the registry holds them,
 * the flight as the manifest gave it (one leg, times given the airport's offset), source
 * `manifest_match`. `report.reportedAt` is the moment the match was confirmed (TNX/1 ReportInfo) and
 * `late` is true: the registrant did not report this travel at all.
 *
 * Data minimisation as for self-reported travel (src/domain/travel-reports/to-notifications.ts): no notes
 * (assessments, LED Art 7), no addresses (the manifest has none), no passenger data from the
 * manifest beyond the flight — the person sent is the registry's, which a human has just confirmed.
 */
import { isoTime } from '../../core/clock.js';
import type { PointOfContact, StateCode, TravelLeg, TravelNotification } from '../../domain/protocol/types.js';
import type { Registrant } from '../../domain/registry/registrant.js';
import { DEFAULT_CAVEATS } from '../../domain/travel-reports/to-notifications.js';
import type { ManifestFlightRecord } from '../../ports/store/index.js';
import type { AirportTable } from '../../domain/screening/airports.js';

const DAY_MS = 86_400_000;
/** The recipient erases the notification this many days after departure (as self-reports without a return date). */
const RETAIN_DAYS = 365;
export const MANIFEST_PURPOSE =
  'Not reported by the registrant; travel found by passenger manifest screening and confirmed by an officer';

/** The one leg of the flight, with offsets; null when an airport or the departure time is unknown. */
export function legOf(flight: ManifestFlightRecord, airports: AirportTable): TravelLeg | null {
  const departure = airports.toDateTime(flight.scheduledDeparture, flight.departureAirport);
  if (departure === null) return null;
  const arrival = airports.toDateTime(flight.scheduledArrival, flight.arrivalAirport);
  const leg: TravelLeg = {
    sequence: 1,
    carrier: flight.carrier,
    flightNumber: flight.flightNumber,
    departureAirport: flight.departureAirport,
    arrivalAirport: flight.arrivalAirport,
    scheduledDeparture: departure,
  };
  if (arrival !== null && Date.parse(arrival) > Date.parse(departure)) leg.scheduledArrival = arrival;
  return leg;
}

export interface CaseNotificationInput {
  notificationId: string;
  origin: StateCode;
  destination: StateCode;
  registrant: Registrant;
  leg: TravelLeg;
  confirmedAt: number;
  pointOfContact: PointOfContact;
}

export function caseNotification(i: CaseNotificationInput): TravelNotification {
  const reportedAt = isoTime(i.confirmedAt);
  const departure = Date.parse(i.leg.scheduledDeparture);
  return {
    v: '1',
    type: 'TravelNotification',
    notificationId: i.notificationId,
    origin: i.origin,
    destination: i.destination,
    person: structuredClone(i.registrant.person),
    convictions: structuredClone(i.registrant.convictions),
    travel: {
      purpose: MANIFEST_PURPOSE,
      departureAt: i.leg.scheduledDeparture,
      legs: [structuredClone(i.leg)],
      destinationCountries: [i.destination],
      returnDate: null,
      travellingWithChild: false,
    },
    source: { kind: 'manifest_match', detail: 'Passenger manifest match confirmed by a screening officer' },
    report: { reportedAt, daysOfNotice: Math.floor((departure - Date.parse(reportedAt)) / DAY_MS), late: true },
    handling: {
      caveats: [...DEFAULT_CAVEATS],
      retainUntil: new Date(Date.parse(i.leg.scheduledDeparture.slice(0, 10)) + RETAIN_DAYS * DAY_MS)
        .toISOString()
        .slice(0, 10),
    },
    dataQuality: { basis: 'fact', reliability: 'verified' },
    pointOfContact: structuredClone(i.pointOfContact),
  };
}
