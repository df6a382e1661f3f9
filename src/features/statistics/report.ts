/**
 * The statistics report (resolution item f): for what we sent, per destination state and
 * in total, and for what we received, per origin state and in total. The store computes the counts
 * and percentiles (StatsRepo); this module only turns them into the published shape with percentages.
 * Definitions are in docs/statistics.md.
 */
import { isoTime } from '../../core/clock.js';
import { TnxError } from '../../core/errors.js';
import type { ManifestStats, Store, StatsRow } from '../../ports/store/index.js';
import { dateOrInstant } from '../query-schema.js';

export interface StatsLine {
  /** State code, or "ALL" for the total. */
  state: string;
  notifications: number;
  delivered: number;
  deliveredBeforeDeparture: number;
  /** Percent of notifications, one decimal; null when there are none. */
  deliveredBeforeDeparturePct: number | null;
  onTime: number;
  onTimePct: number | null;
  leadTimeSeconds: StatsRow['leadTimeSeconds'];
  failed: number;
  noChannel: number;
  selfReported: number;
  foundByManifest: number;
  lateSelfReports: number;
  followUps: Record<string, number>;
}

export interface StatsReport {
  from: string;
  to: string;
  onTimeThresholdHours: number;
  sent: { total: StatsLine; byDestination: StatsLine[] };
  received: { total: StatsLine; byOrigin: StatsLine[] };
  /** Destinations by number of registrant trips notified (one notification = one trip to one state). */
  topDestinations: { state: string; trips: number }[];
  /**
   * Manifest screening (src/features/screening): manifests received and people screened in the range,
   * candidates found, reviews taken in the range (confirmed / rejected; pending of those manifests),
   * and unreported-travel cases opened. Notifications found by manifest are `foundByManifest` above.
   */
  screening: ManifestStats & { casesOpened: number };
}

export const TOTAL_LABEL = 'ALL';

function pct(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((1000 * part) / whole) / 10;
}

export function lineOf(r: StatsRow): StatsLine {
  return {
    state: r.partner ?? TOTAL_LABEL,
    notifications: r.notifications,
    delivered: r.delivered,
    deliveredBeforeDeparture: r.deliveredBeforeDeparture,
    deliveredBeforeDeparturePct: pct(r.deliveredBeforeDeparture, r.notifications),
    onTime: r.onTime,
    onTimePct: pct(r.onTime, r.notifications),
    leadTimeSeconds: { ...r.leadTimeSeconds },
    failed: r.failed,
    noChannel: r.noChannel,
    selfReported: r.selfReported,
    foundByManifest: r.foundByManifest,
    lateSelfReports: r.lateSelfReports,
    followUps: Object.fromEntries(Object.entries(r.followUps).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

const MAX_RANGE_MS = 10 * 366 * 86_400_000;

/** A report's range, epoch ms; `to` is exclusive, after `from`, at most ten years on. */
export function checkRange(from: number, to: number): { from: number; to: number } {
  if (!(to > from)) throw new TnxError('invalid_request', 'to must be after from', { pointer: 'query/to' });
  if (to - from > MAX_RANGE_MS)
    throw new TnxError('invalid_request', 'the range may span at most ten years', { pointer: 'query/to' });
  return { from, to };
}

/** Months a report covers when no period is given: the last twelve, up to now. */
export const DEFAULT_PERIOD_MONTHS = 12;

/**
 * The range of a report whose `from` or `to` may be missing: `to` defaults to now, `from` to twelve
 * calendar months (UTC) before `to` — the annual figure auditors ask for without picking dates.
 */
export function rangeOrDefault(
  from: number | undefined,
  to: number | undefined,
  now: number,
): { from: number; to: number } {
  const end = to ?? now;
  if (from !== undefined) return checkRange(from, end);
  const start = new Date(end);
  start.setUTCMonth(start.getUTCMonth() - DEFAULT_PERIOD_MONTHS);
  return checkRange(start.getTime(), end);
}

/**
 * Read from/to as the API's query schema does (YYYY-MM-DD or RFC 3339), for `tnx stats`; either may be
 * missing, with the API's defaults (rangeOrDefault).
 */
export function parseRange(
  from: string | undefined,
  to: string | undefined,
  now: number,
): { from: number; to: number } {
  return rangeOrDefault(
    from === undefined ? undefined : dateOrInstant(from, 'from'),
    to === undefined ? undefined : dateOrInstant(to, 'to'),
    now,
  );
}

export async function buildStatsReport(
  store: Store,
  range: { from: number; to: number },
  onTimeThresholdHours: number,
): Promise<StatsReport> {
  const q = { ...range, onTimeThresholdSeconds: onTimeThresholdHours * 3600 };
  const [sent, received, screening, casesOpened] = await Promise.all([
    store.stats.sent(q),
    store.stats.received(q),
    store.manifests.stats(range.from, range.to),
    store.cases.count(range.from, range.to),
  ]);
  const [sentTotal, ...byDestination] = sent.map(lineOf);
  const [receivedTotal, ...byOrigin] = received.map(lineOf);
  return {
    from: isoTime(range.from),
    to: isoTime(range.to),
    onTimeThresholdHours,
    sent: { total: sentTotal!, byDestination },
    received: { total: receivedTotal!, byOrigin },
    topDestinations: byDestination
      .filter((l) => l.notifications > 0)
      .map((l) => ({ state: l.state, trips: l.notifications })),
    screening: { ...screening, casesOpened },
  };
}
