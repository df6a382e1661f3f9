/**
 * Travel reports and the trip index on MongoDB (see the SQLite twin for the reasoning). A report's
 * audit events (port AuditWith) are appended right after its write, by `appendAfter`.
 */
import type { Model } from 'mongoose';
import type {
  AuditEventInput,
  AuditWith,
  TravelReportRecord,
  TravelReportRepo,
  TripIndexRepo,
} from '../../ports/store/index.js';
import { appendAfter } from './append-after.js';
import { guard, isDuplicateKey } from './errors.js';
import {
  addSourceFilter,
  addSourceUpdate,
  fromReportDoc,
  fromTripDoc,
  reportDoc,
  reportVersionFilter,
  SHRED_REPORTS_UPDATE,
  shredReportsFilter,
  tripDoc,
} from './registry-queries.js';

export function mongoTravelReportRepo(
  reports: Model<unknown>,
  append: (events: AuditEventInput[]) => Promise<unknown>,
): TravelReportRepo {
  const withEvents = appendAfter(append);
  const one = (d: unknown) => (d ? fromReportDoc(d as Record<string, unknown>) : null);
  return {
    insert: (r, audit?: AuditWith<TravelReportRecord>) =>
      guard('travelReports.insert', async () => {
        await reports.create(reportDoc(r));
        await withEvents(r, audit);
      }),
    get: (id) => guard('travelReports.get', async () => one(await reports.findById(id).lean().exec())),
    update: (r, audit?: AuditWith<TravelReportRecord>) =>
      guard('travelReports.update', async () => {
        const res = await reports.replaceOne(reportVersionFilter(r.id, r.version - 1), reportDoc(r)).exec();
        return withEvents(res.modifiedCount === 1 ? r : null, audit);
      }),
    listByRegistrant: (id) =>
      guard('travelReports.list', async () => {
        const docs = await reports
          .find({ registrantId: { $eq: id } })
          .sort({ createdAt: 1, _id: 1 })
          .lean()
          .exec();
        return docs.map((d) => fromReportDoc(d as Record<string, unknown>));
      }),
    listActiveCreated: (from, to, limit, after) =>
      guard('travelReports.listActiveCreated', async () => {
        const start =
          after && after.createdAt >= from
            ? {
                $or: [
                  { createdAt: { $gt: after.createdAt } },
                  { createdAt: { $eq: after.createdAt }, _id: { $gt: after.id } },
                ],
              }
            : { createdAt: { $gte: from } };
        const docs = await reports
          .find({ state: { $eq: 'active' }, $and: [start, { createdAt: { $lt: to } }] })
          .sort({ createdAt: 1, _id: 1 })
          .limit(limit)
          .lean()
          .exec();
        return docs.map((d) => fromReportDoc(d as Record<string, unknown>));
      }),
    shredForRegistrant: (id) =>
      guard(
        'travelReports.shred',
        async () => (await reports.updateMany(shredReportsFilter(id), SHRED_REPORTS_UPDATE).exec()).modifiedCount,
      ),
  };
}

export function mongoTripIndexRepo(trips: Model<unknown>): TripIndexRepo {
  const one = (d: unknown) => (d ? fromTripDoc(d as Record<string, unknown>) : null);
  return {
    claim: (e) =>
      guard('trips.claim', async () => {
        try {
          await trips.create(tripDoc(e));
          return { entry: e, created: true };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          return { entry: one(await trips.findById(e.tripKey).lean().exec())!, created: false };
        }
      }),
    get: (k) => guard('trips.get', async () => one(await trips.findById(k).lean().exec())),
    addSource: (k, kind) =>
      guard('trips.addSource', async () => {
        await trips.updateOne(addSourceFilter(k, kind), addSourceUpdate(kind)).exec();
        return one(await trips.findById(k).lean().exec());
      }),
    release: (k) =>
      guard('trips.release', async () => {
        await trips.deleteOne({ _id: { $eq: k } }).exec();
      }),
  };
}
