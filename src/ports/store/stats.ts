import type { StatsQuery, StatsRow } from '../../domain/stats/stats-row.js';

export type { StatsQuery, StatsRow } from '../../domain/stats/stats-row.js';

// ------------------------------------------------------------------------------------------------
// Statistics (computed by the store, never by loading records; docs/statistics.md)

export interface StatsRepo {
  /** TravelNotifications we sent, per destination, plus the total row (partner null) first. */
  sent(q: StatsQuery): Promise<StatsRow[]>;
  /** TravelNotifications we received, per origin, plus the total row first. */
  received(q: StatsQuery): Promise<StatsRow[]>;
  /**
   * TravelNotifications we sent per UTC calendar month of their creation in [from, to): `YYYY-MM`,
   * ascending, months without any left out. Counts only — a series for a chart, cheap at any size.
   */
  sentPerMonth(range: { from: number; to: number }): Promise<MonthCount[]>;
}

export interface MonthCount {
  /** YYYY-MM (UTC). */
  month: string;
  notifications: number;
}
