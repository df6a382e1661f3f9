/** The question a statistics query asks, and the raw counts the store answers per partner state. */
import type { StateCode } from '../protocol/types.js';

export interface StatsQuery {
  /** Range, epoch ms, inclusive from / exclusive to: createdAt of what we sent, receivedAt of what we received. */
  from: number;
  to: number;
  /** Lead time at or above which a notification counts as on time, seconds. */
  onTimeThresholdSeconds: number;
}

/** Raw counts for one partner state (or, with `partner` null, all of them). */
export interface StatsRow {
  partner: StateCode | null;
  notifications: number;
  delivered: number;
  deliveredBeforeDeparture: number;
  onTime: number;
  failed: number;
  noChannel: number;
  selfReported: number;
  foundByManifest: number;
  lateSelfReports: number;
  /** Nearest-rank percentiles of the lead time (departure − receipt), seconds; null without deliveries. */
  leadTimeSeconds: { p10: number | null; median: number | null; p90: number | null };
  /** Follow-up reports by action: received from the partner (sent side) or sent to it (received side). */
  followUps: Record<string, number>;
}
