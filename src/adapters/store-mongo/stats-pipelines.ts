/**
 * Statistics as MongoDB aggregation pipelines, built by pure functions and checked with mingo on the
 * same seeded scenario the SQLite adapter is checked on (tests/stats/scenario.test.ts). They mirror
 * src/adapters/store-sqlite/stats-repo.ts: counts with one $group; nearest-rank percentiles with
 * $setWindowFields ($documentNumber over the lead times sorted, and the window's $count), the rank
 * ⌈p·n⌉ computed with integer arithmetic; follow-ups grouped by partner and action.
 */
import type { StatsQuery } from '../../ports/store/index.js';
import { TOTAL } from '../../domain/stats/rows.js';

export type Stage = Record<string, unknown>;
export type Pipeline = Stage[];

const is = (field: string, value: unknown) => ({ $eq: [field, value] });
const count = (cond: unknown) => ({ $sum: { $cond: [cond, 1, 0] } });
const and = (...c: unknown[]) => ({ $and: c });

/** Indexes on outbound / inbound that serve these pipelines (created by the adapter). */
export const STATS_INDEXES = {
  outbound: [{ messageType: 1, createdAt: 1, partner: 1 }],
  inbound: [{ messageType: 1, receivedAt: 1, iss: 1 }],
} as const;

function range(field: string, q: StatsQuery) {
  return { [field]: { $gte: q.from, $lt: q.to } };
}

/** ⌈num·n/den⌉ for integer n as exact integer arithmetic: ⌊(num·n + den − 1) / den⌋. */
function rank(num: number, den: number) {
  return { $floor: { $divide: [{ $add: [{ $multiply: [num, '$n'] }, den - 1] }, den] } };
}

function percentileStages(byGroup: boolean): Pipeline {
  const pick = (num: number, den: number) => ({ $max: { $cond: [{ $eq: ['$rn', rank(num, den)] }, '$x', null] } });
  return [
    {
      $setWindowFields: {
        ...(byGroup ? { partitionBy: '$g' } : {}),
        sortBy: { x: 1 },
        output: { rn: { $documentNumber: {} }, n: { $count: {}, window: { documents: ['unbounded', 'unbounded'] } } },
      },
    },
    { $group: { _id: '$g', p10: pick(1, 10), median: pick(1, 2), p90: pick(9, 10) } },
    { $project: { _id: 0, g: '$_id', p10: 1, median: 1, p90: 1 } },
  ];
}

// ---- what we sent (collection: outbound) -------------------------------------------------------

export function sentCountsPipeline(q: StatsQuery): Pipeline {
  const delivered = is('$state', 'delivered');
  const self = is('$source', 'self_report');
  return [
    { $match: { messageType: { $eq: 'TravelNotification' }, ...range('createdAt', q) } },
    {
      $group: {
        _id: '$partner',
        notifications: { $sum: 1 },
        delivered: count(delivered),
        deliveredBeforeDeparture: count(and(delivered, { $gt: ['$leadTimeSeconds', 0] })),
        onTime: count(and(delivered, { $gte: ['$leadTimeSeconds', q.onTimeThresholdSeconds] })),
        failed: count(is('$state', 'failed')),
        noChannel: count(is('$state', 'no_channel')),
        selfReported: count(self),
        foundByManifest: count(is('$source', 'manifest_match')),
        lateSelfReports: count(and(self, is('$message.report.late', true))),
      },
    },
    {
      $project: {
        _id: 0,
        g: '$_id',
        notifications: 1,
        delivered: 1,
        deliveredBeforeDeparture: 1,
        onTime: 1,
        failed: 1,
        noChannel: 1,
        selfReported: 1,
        foundByManifest: 1,
        lateSelfReports: 1,
      },
    },
  ];
}

export function sentLeadPipeline(q: StatsQuery, byGroup: boolean): Pipeline {
  return [
    {
      $match: {
        messageType: { $eq: 'TravelNotification' },
        state: { $eq: 'delivered' },
        leadTimeSeconds: { $ne: null },
        ...range('createdAt', q),
      },
    },
    { $project: { _id: 0, g: byGroup ? '$partner' : { $literal: TOTAL }, x: '$leadTimeSeconds' } },
    ...percentiles(byGroup),
  ];
}

/** Follow-ups partners reported back to us (collection: inbound). */
export function followUpsReceivedPipeline(q: StatsQuery): Pipeline {
  return [
    { $match: { messageType: { $eq: 'FollowUpReport' }, ...range('receivedAt', q) } },
    { $group: { _id: { g: '$iss', action: '$message.action' }, n: { $sum: 1 } } },
    { $project: { _id: 0, g: '$_id.g', action: '$_id.action', n: 1 } },
  ];
}

// ---- what we received (collection: inbound) ----------------------------------------------------

export function receivedCountsPipeline(q: StatsQuery): Pipeline {
  const lead = { $subtract: ['$departureAt', '$receivedAt'] };
  const self = is('$message.source.kind', 'self_report');
  return [
    { $match: { messageType: { $eq: 'TravelNotification' }, ...range('receivedAt', q) } },
    {
      $group: {
        _id: '$iss',
        notifications: { $sum: 1 },
        delivered: { $sum: 1 },
        deliveredBeforeDeparture: count(and({ $ne: ['$departureAt', null] }, { $gt: [lead, 0] })),
        onTime: count(and({ $ne: ['$departureAt', null] }, { $gte: [lead, q.onTimeThresholdSeconds * 1000] })),
        failed: { $sum: 0 },
        noChannel: { $sum: 0 },
        selfReported: count(self),
        foundByManifest: count(is('$message.source.kind', 'manifest_match')),
        lateSelfReports: count(and(self, is('$message.report.late', true))),
      },
    },
    {
      $project: {
        _id: 0,
        g: '$_id',
        notifications: 1,
        delivered: 1,
        deliveredBeforeDeparture: 1,
        onTime: 1,
        failed: 1,
        noChannel: 1,
        selfReported: 1,
        foundByManifest: 1,
        lateSelfReports: 1,
      },
    },
  ];
}

export function receivedLeadPipeline(q: StatsQuery, byGroup: boolean): Pipeline {
  return [
    { $match: { messageType: { $eq: 'TravelNotification' }, departureAt: { $ne: null }, ...range('receivedAt', q) } },
    {
      $project: {
        _id: 0,
        g: byGroup ? '$iss' : { $literal: TOTAL },
        x: { $divide: [{ $subtract: ['$departureAt', '$receivedAt'] }, 1000] },
      },
    },
    ...percentiles(byGroup),
  ];
}

/** Follow-ups we sent about notifications we received (collection: outbound). */
export function followUpsSentPipeline(q: StatsQuery): Pipeline {
  return [
    { $match: { messageType: { $eq: 'FollowUpReport' }, ...range('createdAt', q) } },
    { $group: { _id: { g: '$partner', action: '$message.action' }, n: { $sum: 1 } } },
    { $project: { _id: 0, g: '$_id.g', action: '$_id.action', n: 1 } },
  ];
}

function percentiles(byGroup: boolean): Pipeline {
  return percentileStages(byGroup);
}

/** TravelNotifications sent per UTC month of createdAt (epoch ms) in the range, ascending. */
export function sentPerMonthPipeline(r: { from: number; to: number }): Pipeline {
  return [
    { $match: { messageType: { $eq: 'TravelNotification' }, createdAt: { $gte: r.from, $lt: r.to } } },
    {
      $group: {
        // MongoDB formats dates in UTC unless told otherwise.
        _id: { $dateToString: { format: '%Y-%m', date: { $toDate: '$createdAt' } } },
        notifications: { $sum: 1 },
      },
    },
    { $project: { _id: 0, month: '$_id', notifications: 1 } },
    { $sort: { month: 1 } },
  ];
}
