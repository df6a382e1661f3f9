/** Travel reports and the trip index on MongoDB (see the SQLite twin for the reasoning). */
import type { Model } from 'mongoose';
import type { TravelReportRepo, TripIndexRepo } from '../../ports/store/index.js';
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

export function mongoTravelReportRepo(reports: Model<unknown>): TravelReportRepo {
  const one = (d: unknown) => (d ? fromReportDoc(d as Record<string, unknown>) : null);
  return {
    insert: (r) =>
      guard('travelReports.insert', async () => {
        await reports.create(reportDoc(r));
      }),
    get: (id) => guard('travelReports.get', async () => one(await reports.findById(id).lean().exec())),
    update: (r) =>
      guard('travelReports.update', async () => {
        const res = await reports.replaceOne(reportVersionFilter(r.id, r.version - 1), reportDoc(r)).exec();
        return res.modifiedCount === 1 ? r : null;
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
