/**
 * From a travel report to TravelNotifications: one per destination state, in the order visited,
 * each tracked on its own (one report to three countries = three notifications).
 *
 * Data minimisation (LED 2016/680 Art 4(1)(c)): each destination receives the person, the convictions
 * and the whole itinerary (it needs to know where the person comes from and goes next), but only the
 * addresses in its own territory. The registrant's notes — assessments, not facts (LED Art 7) — are
 * never sent.
 */
import { uuid7 } from '../../core/uuid7.js';
import { TnxError } from '../../core/errors.js';
import type {
  Caveat,
  DataQuality,
  FullDate,
  PointOfContact,
  StateCode,
  Travel,
  TravelNotification,
} from '../protocol/types.js';
import type { Registrant } from '../registry/registrant.js';
import type { Clock } from '../../core/clock.js';
import { assessDeadline, type DeadlineAssessment, type DeadlineRules } from './deadline.js';
import type { TravelReport } from './travel-report.js';

export interface NotificationOptions {
  rules: DeadlineRules;
  clock: Clock;
  /** Notification ids; random UUIDs by default. */
  newId?: () => string;
  /** Handling caveats; default law-enforcement use only, no onward transfer. */
  caveats?: Caveat[];
  /** The recipient erases the notification this many days after the return (or departure) date. Default 365. */
  retainDays?: number;
  /** Default: facts, verified (a registry record backed by a conviction). */
  dataQuality?: DataQuality;
  /** Build only for these destinations (e.g. ones added by a change); default every destination. */
  only?: readonly StateCode[];
}

export const DEFAULT_CAVEATS: readonly Caveat[] = ['law_enforcement_only', 'no_onward_transfer'];
const DAY_MS = 86_400_000;

/** The travel section one destination receives: every leg, only its own addresses. */
export function travelFor(report: TravelReport, destination: StateCode): Travel {
  const t = report.travel;
  const travel: Travel = {
    purpose: t.purpose,
    departureAt: t.legs[0]!.scheduledDeparture,
    legs: structuredClone(t.legs),
    destinationCountries: [...t.destinationCountries],
    returnDate: t.returnDate,
    travellingWithChild: t.travellingWithChild,
  };
  const addresses = (t.accommodation ?? []).filter((a) => a.country === destination);
  if (addresses.length > 0) travel.accommodation = structuredClone(addresses);
  return travel;
}

function retainUntil(report: TravelReport, days: number): FullDate {
  const base = report.travel.returnDate ?? report.travel.legs[0]!.scheduledDeparture.slice(0, 10);
  return new Date(Date.parse(`${base}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Refuse what cannot be notified: another person's report, an inactive registrant, our own state. */
function checkNotifiable(report: TravelReport, registrant: Registrant, ownState: StateCode): void {
  if (report.registrantId !== registrant.id) {
    throw new TnxError('invalid_travel_report', '/registrantId does not match the registrant', {
      pointer: '/registrantId',
    });
  }
  if (registrant.status !== 'active') {
    throw new TnxError(
      'conflict',
      `registrant ${registrant.id} is ${registrant.status}; only active registrations are notified`,
    );
  }
  report.travel.destinationCountries.forEach((d, i) => {
    if (d === ownState) {
      const pointer = `/travel/destinationCountries/${i}`;
      throw new TnxError('invalid_travel_report', `${pointer} must not be the own state`, { pointer });
    }
  });
}

export function toNotifications(
  report: TravelReport,
  registrant: Registrant,
  ownState: StateCode,
  pointOfContact: PointOfContact,
  options: NotificationOptions,
): { notifications: TravelNotification[]; deadline: DeadlineAssessment } {
  checkNotifiable(report, registrant, ownState);
  const deadline = assessDeadline(report, options.rules, options.clock);
  const newId = options.newId ?? uuid7;
  const destinations = report.travel.destinationCountries.filter(
    (d) => options.only === undefined || options.only.includes(d),
  );
  const notifications = destinations.map((destination): TravelNotification => {
    const n: TravelNotification = {
      v: '1',
      type: 'TravelNotification',
      notificationId: newId(),
      origin: ownState,
      destination,
      person: structuredClone(registrant.person),
      convictions: structuredClone(registrant.convictions),
      travel: travelFor(report, destination),
      source: { kind: 'self_report' },
      report: { reportedAt: report.reportedAt, daysOfNotice: deadline.daysOfNotice, late: deadline.late },
      handling: {
        caveats: [...(options.caveats ?? DEFAULT_CAVEATS)],
        retainUntil: retainUntil(report, options.retainDays ?? 365),
      },
      dataQuality: structuredClone(options.dataQuality ?? { basis: 'fact', reliability: 'verified' }),
      pointOfContact: structuredClone(pointOfContact),
    };
    if (deadline.emergency && report.emergency) n.report.emergency = { reason: report.emergency.reason };
    return n;
  });
  return { notifications, deadline };
}
