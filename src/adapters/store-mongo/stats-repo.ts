/** Statistics on MongoDB: the pure pipelines of ./stats-pipelines.ts, assembled like the SQLite rows. */
import type { Model } from 'mongoose';
import { assembleRows, type CountRow, type FollowUpRow, type LeadRow } from '../../domain/stats/rows.js';
import type { StatsQuery, StatsRepo } from '../../ports/store/index.js';
import { guard } from './errors.js';
import {
  followUpsReceivedPipeline,
  followUpsSentPipeline,
  receivedCountsPipeline,
  receivedLeadPipeline,
  sentCountsPipeline,
  sentLeadPipeline,
  type Pipeline,
} from './stats-pipelines.js';

export function mongoStatsRepo(outbound: Model<unknown>, inbound: Model<unknown>): StatsRepo {
  const run = <T>(m: Model<unknown>, p: Pipeline) => m.aggregate<T>(p as never[]).exec();
  // Percentiles left out (StatsQuery.percentiles false): the lead-time pipelines are not run at all.
  const leadsOf = (
    m: Model<unknown>,
    q: StatsQuery,
    pipeline: (q: StatsQuery, byGroup: boolean) => Pipeline,
  ): Promise<[LeadRow[], LeadRow[]]> =>
    q.percentiles === false
      ? Promise.resolve([[], []])
      : Promise.all([run<LeadRow>(m, pipeline(q, true)), run<LeadRow>(m, pipeline(q, false))]);
  return {
    sent: (q) =>
      guard('stats.sent', async () => {
        const [counts, [leads, total], fu] = await Promise.all([
          run<CountRow>(outbound, sentCountsPipeline(q)),
          leadsOf(outbound, q, sentLeadPipeline),
          run<FollowUpRow>(inbound, followUpsReceivedPipeline(q)),
        ]);
        return assembleRows(counts, leads, total[0], fu);
      }),
    received: (q) =>
      guard('stats.received', async () => {
        const [counts, [leads, total], fu] = await Promise.all([
          run<CountRow>(inbound, receivedCountsPipeline(q)),
          leadsOf(inbound, q, receivedLeadPipeline),
          run<FollowUpRow>(outbound, followUpsSentPipeline(q)),
        ]);
        return assembleRows(counts, leads, total[0], fu);
      }),
  };
}
