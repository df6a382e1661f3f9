import type { StatsQuery, StatsRow } from '../../domain/stats/stats-row.js';

export type { StatsQuery, StatsRow } from '../../domain/stats/stats-row.js';

// ------------------------------------------------------------------------------------------------
// Statistics (computed by the store, never by loading records; docs/statistics.md)

export interface StatsRepo {
  /** TravelNotifications we sent, per destination, plus the total row (partner null) first. */
  sent(q: StatsQuery): Promise<StatsRow[]>;
  /** TravelNotifications we received, per origin, plus the total row first. */
  received(q: StatsQuery): Promise<StatsRow[]>;
}
