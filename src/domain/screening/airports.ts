/**
 * Arrival airport → destination state, and local manifest times → RFC 3339 instants.
 *
 * A PAXLST or JSON manifest names airports by IATA code and gives local times without a UTC offset
 * (PAXLST DTM+189/232 carry none). A TravelNotification needs the destination state and departure
 * times with an offset (TNX/1 DateTime). This is a SMALL built-in table covering the airports of the
 * examples, tests and demo — not a complete airport database. Deployments add theirs in configuration
 * (`screening.airports`: IATA → { state, timeZone }); an airport known to neither yields no destination
 * and the case says so (`notification: "not_notifiable"`), it is never guessed.
 *
 * Offsets come from the IANA time zone through Intl (the tz database Node ships with), so summer time
 * is right for the date of the flight.
 */
import { TnxError } from '../../core/errors.js';
import type { DateTime, StateCode } from '../protocol/types.js';

export interface Airport {
  state: StateCode;
  timeZone: string;
}

export const BUILT_IN_AIRPORTS: Readonly<Record<string, Airport>> = Object.freeze({
  JFK: { state: 'USA', timeZone: 'America/New_York' },
  EWR: { state: 'USA', timeZone: 'America/New_York' },
  IAD: { state: 'USA', timeZone: 'America/New_York' },
  LAX: { state: 'USA', timeZone: 'America/Los_Angeles' },
  SFO: { state: 'USA', timeZone: 'America/Los_Angeles' },
  ORD: { state: 'USA', timeZone: 'America/Chicago' },
  LHR: { state: 'GBR', timeZone: 'Europe/London' },
  LGW: { state: 'GBR', timeZone: 'Europe/London' },
  MAN: { state: 'GBR', timeZone: 'Europe/London' },
  CDG: { state: 'FRA', timeZone: 'Europe/Paris' },
  ORY: { state: 'FRA', timeZone: 'Europe/Paris' },
  BKK: { state: 'THA', timeZone: 'Asia/Bangkok' },
  HKT: { state: 'THA', timeZone: 'Asia/Bangkok' },
  FRA: { state: 'DEU', timeZone: 'Europe/Berlin' },
  DUB: { state: 'IRL', timeZone: 'Europe/Dublin' },
  MNL: { state: 'PHL', timeZone: 'Asia/Manila' },
  SVO: { state: 'RUS', timeZone: 'Europe/Moscow' },
  ATH: { state: 'GRC', timeZone: 'Europe/Athens' },
});

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class AirportTable {
  readonly #airports: ReadonlyMap<string, Airport>;

  /** Built-in entries overlaid with configured ones; an unknown time zone stops start-up. */
  constructor(extra: Readonly<Record<string, Airport>> = {}) {
    for (const [code, a] of Object.entries(extra)) {
      if (!validZone(a.timeZone)) {
        throw new TnxError('config_invalid', `config screening/airports/${code}/timeZone: unknown IANA time zone`, {
          pointer: `screening/airports/${code}/timeZone`,
        });
      }
    }
    this.#airports = new Map(Object.entries({ ...BUILT_IN_AIRPORTS, ...extra }));
  }

  get(iata: string): Airport | null {
    return this.#airports.get(iata.toUpperCase()) ?? null;
  }

  stateOf(iata: string): StateCode | null {
    return this.get(iata)?.state ?? null;
  }

  /**
   * "2026-12-01T11:30" at `iata` → "2026-12-01T11:30:00+00:00"; null when the airport or time is
   * unknown. For a local time that does not exist or exists twice (a DST change), the offset in force
   * one hour before is used — a flight time, not a legal instant, so an hour's ambiguity is tolerable.
   */
  toDateTime(local: string | null, iata: string): DateTime | null {
    const a = this.get(iata);
    const m = local === null ? null : /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
    if (!a || !m) return null;
    const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
    // Offset of the zone at (approximately) that instant; a second pass settles it near transitions.
    let offset = offsetMinutes(a.timeZone, asUtc - 3_600_000);
    offset = offsetMinutes(a.timeZone, asUtc - offset * 60_000);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${local}:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }
}

/** Minutes east of UTC of `timeZone` at instant `ms`. */
function offsetMinutes(timeZone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}
