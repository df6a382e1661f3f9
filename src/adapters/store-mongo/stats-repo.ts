/** Statistics on MongoDB: the pure pipelines of ./stats-pipelines.ts, assembled like the SQLite rows. */
import type { Model } from 'mongoose';
import { assembleRows, type CountRow, type FollowUpRow, type LeadRow } from '../../domain/stats/rows.js';
import type { MonthCount, StatsRepo } from '../../ports/store/index.js';
import { guard } from './errors.js';
import {
  followUpsReceivedPipeline,
  followUpsSentPipeline,
  receivedCountsPipeline,
  receivedLeadPipeline,
  sentCountsPipeline,
  sentLeadPipeline,
  sentPerMonthPipeline,
  type Pipeline,
} from './stats-pipelines.js';

export function mongoStatsRepo(outbound: Model<unknown>, inbound: Model<unknown>): StatsRepo {
  const run = <T>(m: Model<unknown>, p: Pipeline) => m.aggregate<T>(p as never[]).exec();
  return {
    sent: (q) =>
      guard('stats.sent', async () => {
        const [counts, leads, total, fu] = await Promise.all([
          run<CountRow>(outbound, sentCountsPipeline(q)),
          run<LeadRow>(outbound, sentLeadPipeline(q, true)),
          run<LeadRow>(outbound, sentLeadPipeline(q, false)),
          run<FollowUpRow>(inbound, followUpsReceivedPipeline(q)),
        ]);
        return assembleRows(counts, leads, total[0], fu);
      }),
    received: (q) =>
      guard('stats.received', async () => {
        const [counts, leads, total, fu] = await Promise.all([
          run<CountRow>(inbound, receivedCountsPipeline(q)),
          run<LeadRow>(inbound, receivedLeadPipeline(q, true)),
          run<LeadRow>(inbound, receivedLeadPipeline(q, false)),
          run<FollowUpRow>(outbound, followUpsSentPipeline(q)),
        ]);
        return assembleRows(counts, leads, total[0], fu);
      }),
    sentPerMonth: (r) => guard('stats.sentPerMonth', () => run<MonthCount>(outbound, sentPerMonthPipeline(r))),
  };
}
