/**
 * Sealed registrants on MongoDB: one document per registrant with `blindIndexes` as a multikey index.
 * Erasure replaces the whole document with the tombstone (replaceOne), so the wrapped data key and the
 * ciphertexts are gone from the live collection; copies in the oplog and in backups age out, and are
 * unreadable anyway once the data key is destroyed (docs/registry-and-travel-reports.md).
 * A write's audit events (port AuditWith) are appended right after it, by `appendAfter`.
 */
import type { Model } from 'mongoose';
import type { AuditEventInput, AuditWith, RegistrantRetentionView, RegistryRepo } from '../../ports/store/index.js';
import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import { appendAfter } from './append-after.js';
import { guard } from './errors.js';
import {
  eraseFilter,
  externalReferenceFilter,
  fromRegistrantDoc,
  registrantDoc,
  replaceFilter,
  retentionFilter,
  RETENTION_PROJECTION,
  scanFilter,
  searchFilter,
} from './registry-queries.js';

export function mongoRegistryRepo(
  registrants: Model<unknown>,
  append: (events: AuditEventInput[]) => Promise<unknown>,
): RegistryRepo {
  const withEvents = appendAfter(append);
  const lean = (d: unknown) => (d ? fromRegistrantDoc(d as Record<string, unknown>) : null);
  return {
    insert: (r, audit?: AuditWith<SealedRegistrant>) =>
      guard('registry.insert', async () => {
        await registrants.create(registrantDoc(r));
        await withEvents(r, audit);
      }),
    get: (id) => guard('registry.get', async () => lean(await registrants.findById(id).lean().exec())),
    byExternalReference: (ref) =>
      guard('registry.byExternalReference', async () =>
        lean(await registrants.findOne(externalReferenceFilter(ref)).lean().exec()),
      ),
    replace: (r, expected, audit?: AuditWith<SealedRegistrant>) =>
      guard('registry.replace', async () => {
        const res = await registrants.replaceOne(replaceFilter(r.id, expected), registrantDoc(r)).exec();
        if (res.modifiedCount !== 1) return false;
        await withEvents(r, audit);
        return true;
      }),
    erase: (t, audit?: AuditWith<SealedRegistrant>) =>
      guard('registry.erase', async () => {
        const res = await registrants.replaceOne(eraseFilter(t.id), registrantDoc(t)).exec();
        if (res.modifiedCount !== 1) return false;
        await withEvents(t, audit);
        return true;
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
    countLive: () => guard('registry.countLive', () => registrants.countDocuments(scanFilter(null)).exec()),
    scan: (afterId, limit) =>
      guard('registry.scan', async () => {
        const docs = await registrants.find(scanFilter(afterId)).sort({ _id: 1 }).limit(limit).lean().exec();
        return docs.map((d) => fromRegistrantDoc(d as Record<string, unknown>));
      }),
  };
}
