/**
 * The travel report: travel a registrant reports in advance, entered by registry staff
 * on the registrant's behalf. Who entered it and when are part of the record.
 *
 * `travel` is the wire `Travel` without `departureAt`: that is always the first leg's scheduled
 * departure (TNX/1 requires them equal), so it is derived, never entered twice.
 */
import { TnxError } from '../../core/errors.js';
import type { DateTime, Travel } from '../protocol/types.js';
import { instantOf } from '../protocol/semantic-checks.js';
import { schemaGuard } from '../registry/json-schema.js';
import { isAssignedStateCode } from '../protocol/state-codes.js';

export type ReportedTravel = Omit<Travel, 'departureAt'>;

export interface TravelReport {
  id: string;
  registrantId: string;
  travel: ReportedTravel;
  /** Emergency travel, with the reason; waives the minimum notice where the rules allow it. */
  emergency?: { reason: string };
  /** When the registrant reported the travel (the notice period counts from here). */
  reportedAt: DateTime;
  /** Staff id of whoever entered it. */
  enteredBy: string;
  enteredAt: DateTime;
}

const guard: (value: unknown) => asserts value is TravelReport = schemaGuard<TravelReport>(
  'travel-report.schema.json',
  'invalid_travel_report',
);

function refuse(pointer: string, message: string): TnxError {
  return new TnxError('invalid_travel_report', `${pointer} ${message}`, { pointer });
}

/** Validate a report: the schema, then the rules spanning fields. Errors name pointers, never values. */
export function validateTravelReport(value: unknown): TravelReport {
  guard(value);
  // Each destination becomes a notification: a code that names no state could never be sent.
  value.travel.destinationCountries.forEach((c, i) => {
    if (!isAssignedStateCode(c))
      throw refuse(`/travel/destinationCountries/${i}`, 'is not an assigned ISO 3166-1 alpha-3 code');
  });
  checkLegs(value.travel);
  checkAccommodation(value.travel);
  if (instantOf(value.reportedAt) > instantOf(value.enteredAt))
    throw refuse('/reportedAt', 'must not be after enteredAt');
  return value;
}

/**
 * The TNX/1 leg rules (protocol/SPEC.md, semantic rules), checked at entry so a report that is
 * accepted can always be notified: legs numbered 1..n in order, each arriving after it departs and
 * departing no earlier than the previous leg arrived; no return before the first departure.
 */
function checkLegs(t: ReportedTravel): void {
  let previousEnd = -Infinity;
  t.legs.forEach((leg, i) => {
    if (leg.sequence !== i + 1) throw refuse(`/travel/legs/${i}/sequence`, 'must be 1..n in array order');
    const dep = instantOf(leg.scheduledDeparture);
    if (dep < previousEnd) throw refuse(`/travel/legs/${i}/scheduledDeparture`, 'must not be before the previous leg');
    previousEnd = dep;
    if (leg.scheduledArrival !== undefined) {
      const arr = instantOf(leg.scheduledArrival);
      if (!(arr > dep)) throw refuse(`/travel/legs/${i}/scheduledArrival`, 'must be after scheduledDeparture');
      previousEnd = arr;
    }
  });
  // The local calendar date of the first departure, as written with its own offset.
  const firstDay = t.legs[0]!.scheduledDeparture.slice(0, 10);
  if (t.returnDate !== null && t.returnDate < firstDay)
    throw refuse('/travel/returnDate', 'must not be before the departure date');
}

/** Addresses abroad lie in a destination of the trip, with a coherent stay. */
function checkAccommodation(t: ReportedTravel): void {
  (t.accommodation ?? []).forEach((a, i) => {
    if (!t.destinationCountries.includes(a.country))
      throw refuse(`/travel/accommodation/${i}/country`, 'must be one of destinationCountries');
    if (a.from !== undefined && a.to !== undefined && a.to < a.from)
      throw refuse(`/travel/accommodation/${i}/to`, 'must not be before from');
  });
}

/** Departure of the trip, epoch ms: the first leg's scheduled departure. */
export function departureOf(report: Pick<TravelReport, 'travel'>): number {
  return instantOf(report.travel.legs[0]!.scheduledDeparture);
}
