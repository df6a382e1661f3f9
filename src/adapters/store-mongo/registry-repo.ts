/**
 * Sealed registrants on MongoDB: one document per registrant with `blindIndexes` as a multikey index.
 * Erasure replaces the whole document with the tombstone (replaceOne), so the wrapped data key and the
 * ciphertexts are gone from the live collection; copies in the oplog and in backups age out, and are
 * unreadable anyway once the data key is destroyed (docs/registry-and-travel-reports.md).
 */
import type { Model } from 'mongoose';
import type { RegistrantRetentionView, RegistryRepo } from '../../ports/store/index.js';
import { guard } from './errors.js';
import {
  fromRegistrantDoc,
  registrantDoc,
  replaceFilter,
  retentionFilter,
  RETENTION_PROJECTION,
  scanFilter,
  searchFilter,
} from './registry-queries.js';

export function mongoRegistryRepo(registrants: Model<unknown>): RegistryRepo {
  const lean = (d: unknown) => (d ? fromRegistrantDoc(d as Record<string, unknown>) : null);
  return {
    insert: (r) =>
      guard('registry.insert', async () => {
        await registrants.create(registrantDoc(r));
      }),
    get: (id) => guard('registry.get', async () => lean(await registrants.findById(id).lean().exec())),
    replace: (r, expected) =>
      guard('registry.replace', async () => {
        const res = await registrants.replaceOne(replaceFilter(r.id, expected), registrantDoc(r)).exec();
        return res.modifiedCount === 1;
      }),
    erase: (t) =>
      guard('registry.erase', async () => {
        await registrants.replaceOne({ _id: { $eq: t.id } }, registrantDoc(t)).exec();
      }),
    search: (terms, limit) =>
      guard('registry.search', async () => {
        if (terms.length === 0) return [];
        const docs = await registrants.find(searchFilter(terms)).sort({ _id: 1 }).limit(limit).lean().exec();
        return docs.map((d) => fromRegistrantDoc(d as Record<string, unknown>));
      }),
    retentionCandidates: (c, limit) =>
      guard('registry.retention', async () => {
        const docs = await registrants
          .find(retentionFilter(c), RETENTION_PROJECTION)
          .sort({ _id: 1 })
          .limit(limit)
          .lean()
          .exec();
        return docs.map((d) => {
          const { _id, ...rest } = d as Record<string, unknown>;
          return { id: _id, ...rest } as RegistrantRetentionView;
        });
      }),
    scan: (afterId, limit) =>
      guard('registry.scan', async () => {
        const docs = await registrants.find(scanFilter(afterId)).sort({ _id: 1 }).limit(limit).lean().exec();
        return docs.map((d) => fromRegistrantDoc(d as Record<string, unknown>));
      }),
  };
}
