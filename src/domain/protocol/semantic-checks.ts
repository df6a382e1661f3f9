/**
 * TNX/1 rules that JSON Schema cannot express (protocol/SPEC.md, "Semantic rules"). Run after the
 * schema, so shapes and formats are already known to be right. Each failure is `invalid_message` with
 * the pointer of the field at fault; values are never echoed.
 */
import { tnxError } from '../../core/errors.js';
import { isAssignedStateCode } from './state-codes.js';
import type { Travel, TnxMessage, TravelNotification, TravelUpdate } from './types.js';

const DAY_MS = 86_400_000;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Epoch ms of an RFC 3339 date-time with offset (the schema has checked the form). */
export function instantOf(dateTime: string): number {
  const m = DATE_TIME.exec(dateTime);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const ms = frac ? Number((frac + '00').slice(0, 3)) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (z === 'Z') return utc;
  const offsetMin = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1);
  return utc - offsetMin * 60_000;
}

/** Whole days of notice: floor((departureAt − reportedAt) / 24 h); negative when reported after departure. */
export function daysOfNotice(reportedAt: string, departureAt: string): number {
  return Math.floor((instantOf(departureAt) - instantOf(reportedAt)) / DAY_MS);
}

/** True when YYYY, YYYY-MM or YYYY-MM-DD names a real calendar date (no 2026-02-30). */
export function isRealPartialDate(s: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d] = m;
  if (mo === undefined) return true;
  const month = Number(mo);
  if (month < 1 || month > 12) return false;
  if (d === undefined) return true;
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth;
}

const NOT_A_STATE = 'is not an assigned ISO 3166-1 alpha-3 code';

function fail(pointer: string, what: string): never {
  throw tnxError('invalid_message', `${pointer} ${what}`, { pointer, detail: { keyword: 'semantic' } });
}

/** Every semantic rule of the message's type. Throws `invalid_message` at the first violation. */
export function checkMessage(msg: TnxMessage): void {
  if (!isAssignedStateCode(msg.origin)) fail('/origin', NOT_A_STATE);
  if (!isAssignedStateCode(msg.destination)) fail('/destination', NOT_A_STATE);
  if (msg.origin === msg.destination) fail('/destination', 'must differ from origin');
  switch (msg.type) {
    case 'TravelNotification':
      return checkNotification(msg);
    case 'TravelUpdate':
      return checkUpdate(msg);
    case 'FollowUpReport':
      return;
  }
}

function checkNotification(n: TravelNotification): void {
  if (!isRealPartialDate(n.person.dateOfBirth)) fail('/person/dateOfBirth', 'is not a real calendar date');
  n.convictions.forEach((c, i) => {
    if (c.registrationEndsOn !== null && c.registrationEndsOn < c.convictedOn) {
      fail(`/convictions/${i}/registrationEndsOn`, 'must not be before convictedOn');
    }
  });
  checkTravel(n.travel, '/travel', n.destination);
  const expected = daysOfNotice(n.report.reportedAt, n.travel.departureAt);
  if (n.report.daysOfNotice !== expected) {
    fail('/report/daysOfNotice', 'must equal floor((travel.departureAt - report.reportedAt) / 24 h)');
  }
}

function checkUpdate(u: TravelUpdate): void {
  if (u.action === 'amend') {
    if (u.travel === undefined) fail('/travel', 'is required when action is amend');
    if (u.changed === undefined) fail('/changed', 'is required when action is amend');
    checkTravel(u.travel, '/travel', u.destination);
  } else {
    // A cancel carries no new travel data: nothing to transfer, nothing to misread as an amendment.
    if (u.travel !== undefined) fail('/travel', 'must be absent when action is cancel');
    if (u.changed !== undefined) fail('/changed', 'must be absent when action is cancel');
  }
}

function checkTravel(t: Travel, at: string, destination: string): void {
  t.destinationCountries.forEach((c, i) => {
    if (!isAssignedStateCode(c)) fail(`${at}/destinationCountries/${i}`, NOT_A_STATE);
  });
  const legs = t.legs;
  const first = legs[0];
  // departureAt is the one value timeliness and retries are computed from; it must not be ambiguous.
  if (first === undefined || t.departureAt !== first.scheduledDeparture) {
    fail(`${at}/departureAt`, 'must equal legs[0].scheduledDeparture exactly');
  }
  let previousEnd = Number.NEGATIVE_INFINITY;
  legs.forEach((leg, i) => {
    if (leg.sequence !== i + 1) fail(`${at}/legs/${i}/sequence`, 'must be 1..n in array order');
    const dep = instantOf(leg.scheduledDeparture);
    if (dep < previousEnd) fail(`${at}/legs/${i}/scheduledDeparture`, 'must not be before the previous leg');
    if (leg.scheduledArrival !== undefined) {
      const arr = instantOf(leg.scheduledArrival);
      if (!(arr > dep)) fail(`${at}/legs/${i}/scheduledArrival`, 'must be after scheduledDeparture');
      previousEnd = arr;
    } else {
      previousEnd = dep;
    }
  });
  // One notification, one destination: that destination must be one of the states the trip visits.
  if (!t.destinationCountries.includes(destination)) {
    fail(`${at}/destinationCountries`, 'must include the message destination');
  }
  // The local calendar date of the first departure, as written with its own offset.
  if (t.returnDate !== null && t.returnDate < t.departureAt.slice(0, 10)) {
    fail(`${at}/returnDate`, 'must not be before the departure date');
  }
  t.accommodation?.forEach((a, i) => {
    if (a.from !== undefined && a.to !== undefined && a.to < a.from) {
      fail(`${at}/accommodation/${i}/to`, 'must not be before from');
    }
  });
}
