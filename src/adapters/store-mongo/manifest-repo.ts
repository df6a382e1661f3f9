/**
 * Manifests in MongoDB. The candidates are embedded in the manifest document: inserting a manifest
 * with its screening result, and deciding one candidate, are single-document operations (atomic
 * without transactions). A decision matches the candidate only while it is `pending`
 * (findOneAndUpdate on an $elemMatch), so two reviewers cannot both decide it.
 */
import type { Model } from 'mongoose';
import type { CandidateRecord, ManifestRecord, ManifestRepo, ManifestStats } from '../../ports/store/index.js';
import { guard } from './errors.js';
import {
  DUE_FIRST,
  byId,
  candidateArrayFilters,
  candidateFilter,
  decisionStatsPipeline,
  decisionUpdate,
  dueFilter,
  manifestStatsPipeline,
  outcomeUpdate,
  pendingCandidateFilter,
  purgeFilter,
  purgeUpdate,
} from './screening-queries.js';

type Doc = Omit<ManifestRecord, 'id'> & { _id: string; candidates: Omit<CandidateRecord, 'manifestId'>[] };

function toManifest(doc: Doc): ManifestRecord {
  const { _id, candidates: _c, ...rest } = doc;
  return { id: _id, ...rest };
}

function toCandidates(doc: Doc): CandidateRecord[] {
  return doc.candidates
    .map((c) => ({ ...c, manifestId: doc._id }))
    .sort((a, b) => a.passengerIndex - b.passengerIndex || b.score - a.score || (a.id < b.id ? -1 : 1));
}

export function mongoManifestRepo(manifests: Model<unknown>): ManifestRepo {
  const load = async (id: string) => manifests.findOne(byId(id)).lean<Doc>();
  return {
    insert: (m, cs) =>
      guard('manifests.insert', async () => {
        const { id, ...rest } = m;
        await manifests.create({ _id: id, ...rest, candidates: cs.map(({ manifestId: _m, ...c }) => c) });
      }),
    get: (id) =>
      guard('manifests.get', async () => {
        const d = await manifests.findOne(byId(id), { candidates: 0 }).lean<Doc>();
        return d ? toManifest({ ...d, candidates: [] }) : null;
      }),
    candidates: (manifestId) =>
      guard('manifests.candidates', async () => {
        const d = await load(manifestId);
        return d ? toCandidates(d) : [];
      }),
    getCandidate: (manifestId, candidateId) =>
      guard('manifests.getCandidate', async () => {
        const d = await load(manifestId);
        return d ? (toCandidates(d).find((c) => c.id === candidateId) ?? null) : null;
      }),
    decide: (manifestId, candidateId, decision) =>
      guard('manifests.decide', async () => {
        const d = (await manifests.findOneAndUpdate(
          pendingCandidateFilter(manifestId, candidateId),
          decisionUpdate(decision),
          {
            arrayFilters: candidateArrayFilters(candidateId, true),
            returnDocument: 'after',
            lean: true,
            runValidators: true,
          },
        )) as Doc | null;
        return d ? (toCandidates(d).find((c) => c.id === candidateId) ?? null) : null;
      }),
    setOutcome: (candidateId, outcome, caseId) =>
      guard('manifests.setOutcome', async () => {
        await manifests.updateOne(candidateFilter(candidateId), outcomeUpdate(outcome, caseId), {
          arrayFilters: candidateArrayFilters(candidateId),
          runValidators: true,
        });
      }),
    listDue: (now, limit) =>
      guard('manifests.listDue', async () =>
        (await manifests.find(dueFilter(now), { _id: 1 }).sort(DUE_FIRST).limit(limit).lean<{ _id: string }[]>()).map(
          (d) => d._id,
        ),
      ),
    purge: (id, at) =>
      guard(
        'manifests.purge',
        async () => (await manifests.updateOne(purgeFilter(id), purgeUpdate(at))).modifiedCount === 1,
      ),
    stats: (from, to) =>
      guard('manifests.stats', async (): Promise<ManifestStats> => {
        const [m] = await manifests.aggregate<Omit<ManifestStats, 'confirmed' | 'rejected'>>(
          manifestStatsPipeline(from, to) as never[],
        );
        const decisions = await manifests.aggregate<{ _id: string; n: number }>(
          decisionStatsPipeline(from, to) as never[],
        );
        const n = (k: string) => decisions.find((d) => d._id === k)?.n ?? 0;
        return {
          manifests: m?.manifests ?? 0,
          people: m?.people ?? 0,
          candidates: m?.candidates ?? 0,
          pending: m?.pending ?? 0,
          confirmed: n('confirmed'),
          rejected: n('rejected'),
        };
      }),
  };
}
