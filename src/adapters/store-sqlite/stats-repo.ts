/**
 * Statistics in SQLite (docs/statistics.md), shaped so a one-year report over a million
 * notifications stays within the benchmark's budget (bench/stats.bench.ts):
 *
 *  - counts: the daily rollup `stats_daily` (migration 11, kept exact by triggers) for the whole days
 *    of the range, plus the rows of the partial first and last day counted directly;
 *  - delivered before departure / on time: the delivered count minus an index seek counting lead
 *    times below the bound (≤ 0, < threshold) — only the rows below the bound are visited;
 *  - lead-time percentiles, nearest-rank (the value at rank ⌈p·n⌉): `ORDER BY lead LIMIT 1 OFFSET k−1`
 *    on an index in lead-time order, per partner and over all partners — a seek and a partial index
 *    scan, never a sort. A rank in the upper half is read from the top instead (`ORDER BY lead DESC
 *    OFFSET n−k`, the same value since n is the exact count of the rows the seek filters), so the
 *    p90 walks a tenth of the index instead of nine tenths;
 *  - follow-ups by action: the rollup plus the partial days.
 * Only one row per partner and a handful of numbers ever reach memory. All statements of one report
 * run in one read transaction, so they see one snapshot.
 */
import type Database from 'better-sqlite3';
import {
  assembleRows,
  TOTAL,
  zeroCounts,
  type CountRow,
  type FollowUpRow,
  type LeadRow,
} from '../../domain/stats/rows.js';
import type { MonthCount, StatsQuery, StatsRepo } from '../../ports/store/index.js';
import { guard } from './errors.js';

const DAY = 86_400_000;

interface Bucket {
  g: string;
  state: string;
  source: string;
  late: number;
  hasLead: number;
  n: number;
}

/** The whole UTC days inside [from, to), as day numbers [d0, d1), and the partial edges around them. */
export function splitRange(from: number, to: number): { d0: number; d1: number; edges: [number, number][] } {
  const d0 = Math.ceil(from / DAY);
  const d1 = Math.floor(to / DAY);
  if (d1 <= d0) return { d0: 0, d1: 0, edges: [[from, to]] };
  const edges: [number, number][] = [];
  if (from < d0 * DAY) edges.push([from, d0 * DAY]);
  if (d1 * DAY < to) edges.push([d1 * DAY, to]);
  return { d0, d1, edges };
}

/** Per direction: the rollup key, the raw rows of a partial day, and the lead-time seeks. */
interface Side {
  dir: 'sent' | 'received';
  fuDir: 'fu_received' | 'fu_sent';
  rawCounts: Database.Statement;
  rawFollowUps: Database.Statement;
  /** Rows per partner with lead < @x (and with lead-time known). */
  below: Database.Statement;
  belowAll: Database.Statement;
  /** The lead time at offset @k (0-based) in ascending order, per partner and over all. */
  at: Database.Statement;
  atAll: Database.Statement;
  /** The lead time at offset @k (0-based) in descending order, per partner and over all. */
  atDesc: Database.Statement;
  atAllDesc: Database.Statement;
  /** Whether "delivered" means state = delivered (sent) or every received notification. */
  deliveredState: string;
}

function prepare(db: Database.Database) {
  const range = (col: string) => `${col} >= @from AND ${col} < @to`;
  const sentLead = `message_type = 'TravelNotification' AND state = 'delivered' AND ${range('created_at')}`;
  const recvLead = `message_type = 'TravelNotification' AND departure_at IS NOT NULL AND ${range('received_at')}`;
  const LEAD_IN = '(departure_at - received_at)';
  const sent: Side = {
    dir: 'sent',
    fuDir: 'fu_received',
    deliveredState: 'delivered',
    rawCounts:
      db.prepare(`SELECT partner AS g, state, coalesce(source, '') AS source, coalesce(report_late = 1, 0) AS late,
        lead_time_seconds IS NOT NULL AS hasLead, COUNT(*) AS n
      FROM outbound INDEXED BY ix_outbound_type WHERE message_type = 'TravelNotification' AND ${range('created_at')} GROUP BY 1, 2, 3, 4, 5`),
    rawFollowUps: db.prepare(`SELECT iss AS g, coalesce(followup_action, '') AS action, COUNT(*) AS n
      FROM inbound INDEXED BY ix_inbound_type WHERE message_type = 'FollowUpReport' AND ${range('received_at')} GROUP BY 1, 2`),
    below: db
      .prepare(
        `SELECT COUNT(*) FROM outbound INDEXED BY ix_outbound_stats_lead
      WHERE ${sentLead} AND partner = @g AND lead_time_seconds < @x`,
      )
      .pluck(),
    belowAll: db
      .prepare(
        `SELECT COUNT(*) FROM outbound INDEXED BY ix_outbound_stats_lead_all WHERE ${sentLead} AND lead_time_seconds < @x`,
      )
      .pluck(),
    at: db
      .prepare(
        `SELECT lead_time_seconds FROM outbound INDEXED BY ix_outbound_stats_lead
      WHERE ${sentLead} AND partner = @g AND lead_time_seconds IS NOT NULL ORDER BY lead_time_seconds LIMIT 1 OFFSET @k`,
      )
      .pluck(),
    atAll: db
      .prepare(
        `SELECT lead_time_seconds FROM outbound INDEXED BY ix_outbound_stats_lead_all
      WHERE ${sentLead} AND lead_time_seconds IS NOT NULL ORDER BY lead_time_seconds LIMIT 1 OFFSET @k`,
      )
      .pluck(),
    atDesc: db
      .prepare(
        `SELECT lead_time_seconds FROM outbound INDEXED BY ix_outbound_stats_lead
      WHERE ${sentLead} AND partner = @g AND lead_time_seconds IS NOT NULL ORDER BY lead_time_seconds DESC LIMIT 1 OFFSET @k`,
      )
      .pluck(),
    atAllDesc: db
      .prepare(
        `SELECT lead_time_seconds FROM outbound INDEXED BY ix_outbound_stats_lead_all
      WHERE ${sentLead} AND lead_time_seconds IS NOT NULL ORDER BY lead_time_seconds DESC LIMIT 1 OFFSET @k`,
      )
      .pluck(),
  };
  // Received lead times are (departure − receipt) in ms, published in seconds; bounds are given in ms.
  const received: Side = {
    dir: 'received',
    fuDir: 'fu_sent',
    deliveredState: 'received',
    rawCounts:
      db.prepare(`SELECT iss AS g, 'received' AS state, coalesce(source_kind, '') AS source, coalesce(report_late = 1, 0) AS late,
        departure_at IS NOT NULL AS hasLead, COUNT(*) AS n
      FROM inbound INDEXED BY ix_inbound_type WHERE message_type = 'TravelNotification' AND ${range('received_at')} GROUP BY 1, 2, 3, 4, 5`),
    rawFollowUps: db.prepare(`SELECT partner AS g, coalesce(followup_action, '') AS action, COUNT(*) AS n
      FROM outbound INDEXED BY ix_outbound_type WHERE message_type = 'FollowUpReport' AND ${range('created_at')} GROUP BY 1, 2`),
    below: db
      .prepare(
        `SELECT COUNT(*) FROM inbound INDEXED BY ix_inbound_stats_lead WHERE ${recvLead} AND iss = @g AND ${LEAD_IN} < @x`,
      )
      .pluck(),
    belowAll: db
      .prepare(
        `SELECT COUNT(*) FROM inbound INDEXED BY ix_inbound_stats_lead_all WHERE ${recvLead} AND ${LEAD_IN} < @x`,
      )
      .pluck(),
    at: db
      .prepare(
        `SELECT ${LEAD_IN} / 1000.0 FROM inbound INDEXED BY ix_inbound_stats_lead
      WHERE ${recvLead} AND iss = @g ORDER BY ${LEAD_IN} LIMIT 1 OFFSET @k`,
      )
      .pluck(),
    atAll: db
      .prepare(
        `SELECT ${LEAD_IN} / 1000.0 FROM inbound INDEXED BY ix_inbound_stats_lead_all
      WHERE ${recvLead} ORDER BY ${LEAD_IN} LIMIT 1 OFFSET @k`,
      )
      .pluck(),
    atDesc: db
      .prepare(
        `SELECT ${LEAD_IN} / 1000.0 FROM inbound INDEXED BY ix_inbound_stats_lead
      WHERE ${recvLead} AND iss = @g ORDER BY ${LEAD_IN} DESC LIMIT 1 OFFSET @k`,
      )
      .pluck(),
    atAllDesc: db
      .prepare(
        `SELECT ${LEAD_IN} / 1000.0 FROM inbound INDEXED BY ix_inbound_stats_lead_all
      WHERE ${recvLead} ORDER BY ${LEAD_IN} DESC LIMIT 1 OFFSET @k`,
      )
      .pluck(),
  };
  const rollup = db.prepare(`SELECT partner AS g, state, source, late, has_lead AS hasLead, SUM(n) AS n FROM stats_daily
    WHERE dir = @dir AND day >= @d0 AND day < @d1 GROUP BY 1, 2, 3, 4, 5 HAVING SUM(n) > 0`);
  const rollupFollowUps = db.prepare(`SELECT partner AS g, state AS action, SUM(n) AS n FROM stats_daily
    WHERE dir = @dir AND day >= @d0 AND day < @d1 GROUP BY 1, 2 HAVING SUM(n) > 0`);
  return { sent, received, rollup, rollupFollowUps };
}

function emptyCount(g: string): CountRow & { withLead: number } {
  return { ...zeroCounts(g), withLead: 0 };
}

/** Nearest-rank ranks ⌈p·n⌉ for p = 0.1, 0.5, 0.9, in integer arithmetic. */
function ranks(n: number): [number, number, number] {
  return [Math.floor((n + 9) / 10), Math.floor((n + 1) / 2), Math.floor((9 * n + 9) / 10)];
}

/**
 * The value at rank k (1-based) of the n lead times a seek filters: from the bottom (offset k−1) or,
 * for a rank in the upper half, from the top (offset n−k) — the same value, fewer index entries walked.
 */
function rankAt(
  asc: Database.Statement,
  desc: Database.Statement,
  n: number,
  k: number,
  args: Record<string, unknown>,
): number {
  return (k - 1 <= n - k ? asc.get({ ...args, k: k - 1 }) : desc.get({ ...args, k: n - k })) as number;
}

export function sqliteStatsRepo(db: Database.Database): StatsRepo {
  const st = prepare(db);

  const report = (side: Side, q: StatsQuery) => {
    const { d0, d1, edges } = splitRange(q.from, q.to);
    const buckets: Bucket[] = d1 > d0 ? (st.rollup.all({ dir: side.dir, d0, d1 }) as Bucket[]) : [];
    for (const [from, to] of edges) buckets.push(...(side.rawCounts.all({ from, to }) as Bucket[]));
    const byPartner = new Map<string, ReturnType<typeof emptyCount>>();
    for (const b of buckets) {
      let c = byPartner.get(b.g);
      if (!c) byPartner.set(b.g, (c = emptyCount(b.g)));
      const n = Number(b.n);
      c.notifications += n;
      if (b.state === side.deliveredState) {
        c.delivered += n;
        if (b.hasLead) c.withLead += n;
      }
      if (b.state === 'failed') c.failed += n;
      if (b.state === 'no_channel') c.noChannel += n;
      if (b.source === 'self_report') {
        c.selfReported += n;
        if (b.late) c.lateSelfReports += n;
      }
      if (b.source === 'manifest_match') c.foundByManifest += n;
    }
    const scale = side.dir === 'received' ? 1000 : 1; // received bounds are in ms
    const args = { from: q.from, to: q.to };
    const leads: LeadRow[] = [];
    let withLead = 0;
    for (const c of byPartner.values()) {
      withLead += c.withLead;
      if (c.withLead === 0) continue;
      c.deliveredBeforeDeparture = c.withLead - Number(side.below.get({ ...args, g: c.g, x: 1 }));
      c.onTime = c.withLead - Number(side.below.get({ ...args, g: c.g, x: q.onTimeThresholdSeconds * scale }));
      const [p10, median, p90] = ranks(c.withLead).map((k) =>
        rankAt(side.at, side.atDesc, c.withLead, k, { ...args, g: c.g }),
      );
      leads.push({ g: c.g, p10: p10!, median: median!, p90: p90! });
    }
    let total: LeadRow | undefined;
    if (withLead > 0) {
      const [p10, median, p90] = ranks(withLead).map((k) => rankAt(side.atAll, side.atAllDesc, withLead, k, args));
      total = { g: TOTAL, p10: p10!, median: median!, p90: p90! };
    }
    const followUps: FollowUpRow[] =
      d1 > d0 ? (st.rollupFollowUps.all({ dir: side.fuDir, d0, d1 }) as FollowUpRow[]) : [];
    for (const [from, to] of edges) followUps.push(...(side.rawFollowUps.all({ from, to }) as FollowUpRow[]));
    const counts: CountRow[] = [...byPartner.values()].map(({ withLead: _w, ...c }) => c);
    return assembleRows(
      counts,
      leads,
      total,
      followUps.map((f) => ({ ...f, action: f.action === '' ? null : f.action })),
    );
  };

  const sent = db.transaction((q: StatsQuery) => report(st.sent, q));
  const received = db.transaction((q: StatsQuery) => report(st.received, q));
  // The rollup's days for whole days, the rows of the partial first and last day: one read of a few
  // hundred rollup rows per month, whatever the number of notifications.
  const sentDays = db.prepare(`SELECT day, SUM(n) AS n FROM stats_daily WHERE dir = 'sent' AND day >= @d0 AND day < @d1
    GROUP BY day`);
  const sentRows = db
    .prepare(
      `SELECT created_at FROM outbound INDEXED BY ix_outbound_type
      WHERE message_type = 'TravelNotification' AND created_at >= @from AND created_at < @to`,
    )
    .pluck();
  const perMonth = db.transaction((r: { from: number; to: number }): MonthCount[] => {
    const { d0, d1, edges } = splitRange(r.from, r.to);
    const months = new Map<string, number>();
    const add = (ms: number, n: number) => {
      const m = new Date(ms).toISOString().slice(0, 7);
      months.set(m, (months.get(m) ?? 0) + n);
    };
    if (d1 > d0)
      for (const d of sentDays.all({ d0, d1 }) as { day: number; n: number }[]) add(d.day * DAY, Number(d.n));
    for (const [from, to] of edges) for (const at of sentRows.all({ from, to }) as number[]) add(at, 1);
    return [...months]
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([month, notifications]) => ({ month, notifications }));
  });
  return {
    sent: (q) => guard('stats.sent', () => sent.deferred(q)),
    received: (q) => guard('stats.received', () => received.deferred(q)),
    sentPerMonth: (r) => guard('stats.sentPerMonth', () => perMonth.deferred(r)),
  };
}
