/**
 * Statistics in SQL (docs/statistics.md). Counts are one GROUP BY over a covering index; lead-time
 * percentiles are nearest-rank (the value at rank ⌈p·n⌉ of the sorted lead times) picked with
 * ROW_NUMBER() over each partner's window, with integer arithmetic for the ranks: ⌈n/10⌉ = (n+9)/10,
 * ⌈n/2⌉ = (n+1)/2, ⌈9n/10⌉ = (9n+9)/10. Nothing is loaded into memory but one row per partner.
 * The statistics columns (report_late, source_kind, followup_action) are filled by triggers at
 * insert (migration 10), so no message JSON is parsed here.
 */
import type Database from 'better-sqlite3';
import { assembleRows, type CountRow, type FollowUpRow, type LeadRow } from '../../stats/rows.js';
import type { StatsQuery, StatsRepo } from '../port.js';
import { guard } from './errors.js';

import { TOTAL } from '../../stats/rows.js';

const SENT_COUNTS = `SELECT partner AS g, COUNT(*) AS notifications,
    TOTAL(state = 'delivered') AS delivered,
    TOTAL(state = 'delivered' AND lead_time_seconds > 0) AS deliveredBeforeDeparture,
    TOTAL(state = 'delivered' AND lead_time_seconds >= @thr) AS onTime,
    TOTAL(state = 'failed') AS failed,
    TOTAL(state = 'no_channel') AS noChannel,
    TOTAL(source = 'self_report') AS selfReported,
    TOTAL(source = 'manifest_match') AS foundByManifest,
    TOTAL(source = 'self_report' AND report_late = 1) AS lateSelfReports
  FROM outbound INDEXED BY ix_outbound_stats
  WHERE message_type = 'TravelNotification' AND created_at >= @from AND created_at < @to
  GROUP BY partner`;

const RECEIVED_COUNTS = `SELECT iss AS g, COUNT(*) AS notifications,
    COUNT(*) AS delivered,
    TOTAL(departure_at > received_at) AS deliveredBeforeDeparture,
    TOTAL(departure_at - received_at >= @thr * 1000) AS onTime,
    0 AS failed, 0 AS noChannel,
    TOTAL(source_kind = 'self_report') AS selfReported,
    TOTAL(source_kind = 'manifest_match') AS foundByManifest,
    TOTAL(source_kind = 'self_report' AND report_late = 1) AS lateSelfReports
  FROM inbound INDEXED BY ix_inbound_stats
  WHERE message_type = 'TravelNotification' AND received_at >= @from AND received_at < @to
  GROUP BY iss`;

/** Percentiles of `x` per group `g` (or over everything when `g` is a constant). */
function percentiles(inner: string, byGroup: boolean): string {
  const part = byGroup ? 'PARTITION BY g' : '';
  return `WITH d AS (${inner}),
    r AS (SELECT g, x, ROW_NUMBER() OVER (${part} ORDER BY x) AS rn, COUNT(*) OVER (${part}) AS n FROM d)
    SELECT g, MAX(CASE WHEN rn = (n + 9) / 10 THEN x END) AS p10,
      MAX(CASE WHEN rn = (n + 1) / 2 THEN x END) AS median,
      MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN x END) AS p90
    FROM r GROUP BY g`;
}

const SENT_LEAD = (byGroup: boolean) => percentiles(
  `SELECT ${byGroup ? 'partner' : `'${TOTAL}'`} AS g, lead_time_seconds AS x FROM outbound INDEXED BY ix_outbound_stats_lead
   WHERE message_type = 'TravelNotification' AND state = 'delivered' AND lead_time_seconds IS NOT NULL
     AND created_at >= @from AND created_at < @to`,
  byGroup,
);
const RECEIVED_LEAD = (byGroup: boolean) => percentiles(
  `SELECT ${byGroup ? 'iss' : `'${TOTAL}'`} AS g, (departure_at - received_at) / 1000.0 AS x FROM inbound INDEXED BY ix_inbound_stats
   WHERE message_type = 'TravelNotification' AND departure_at IS NOT NULL AND received_at >= @from AND received_at < @to`,
  byGroup,
);

/** Follow-ups reported back by partners (inbound) about what we sent, and those we sent about what we received. */
const FOLLOW_UPS_RECEIVED = `SELECT iss AS g, followup_action AS action, COUNT(*) AS n FROM inbound INDEXED BY ix_inbound_stats
  WHERE message_type = 'FollowUpReport' AND received_at >= @from AND received_at < @to GROUP BY iss, followup_action`;
const FOLLOW_UPS_SENT = `SELECT partner AS g, followup_action AS action, COUNT(*) AS n FROM outbound INDEXED BY ix_outbound_stats
  WHERE message_type = 'FollowUpReport' AND created_at >= @from AND created_at < @to GROUP BY partner, followup_action`;

export function sqliteStatsRepo(db: Database.Database): StatsRepo {
  const q = {
    sentCounts: db.prepare(SENT_COUNTS),
    sentLead: db.prepare(SENT_LEAD(true)),
    sentLeadTotal: db.prepare(SENT_LEAD(false)),
    followUpsReceived: db.prepare(FOLLOW_UPS_RECEIVED),
    receivedCounts: db.prepare(RECEIVED_COUNTS),
    receivedLead: db.prepare(RECEIVED_LEAD(true)),
    receivedLeadTotal: db.prepare(RECEIVED_LEAD(false)),
    followUpsSent: db.prepare(FOLLOW_UPS_SENT),
  };
  // Several statements read one consistent snapshot: a deferred read transaction in WAL mode.
  const read = (counts: Database.Statement, lead: Database.Statement, leadTotal: Database.Statement, fu: Database.Statement) =>
    db.transaction((p: StatsQuery) => {
      const args = { from: p.from, to: p.to, thr: p.onTimeThresholdSeconds };
      const range = { from: p.from, to: p.to };
      return assembleRows(counts.all(args) as CountRow[], lead.all(range) as LeadRow[], leadTotal.get(range) as LeadRow | undefined, fu.all(range) as FollowUpRow[]);
    });
  const sent = read(q.sentCounts, q.sentLead, q.sentLeadTotal, q.followUpsReceived);
  const received = read(q.receivedCounts, q.receivedLead, q.receivedLeadTotal, q.followUpsSent);
  return {
    sent: (p) => guard('stats.sent', () => sent.deferred(p)),
    received: (p) => guard('stats.received', () => received.deferred(p)),
  };
}
