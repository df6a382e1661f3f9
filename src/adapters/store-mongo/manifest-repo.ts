/**
 * Manifests in MongoDB. The candidates are embedded in the manifest document: inserting a manifest
 * with its screening result, and deciding one candidate, are single-document operations (atomic
 * without transactions). A decision matches the candidate only while it is `pending`
 * (findOneAndUpdate on an $elemMatch), so two reviewers cannot both decide it. A write's audit
 * events (port AuditWith) are appended right after it, by `appendAfter`, given the document as stored.
 */
import type { Model } from 'mongoose';
import type {
  AuditEventInput,
  AuditWith,
  CandidateRecord,
  ManifestRecord,
  ManifestRepo,
  ManifestStats,
} from '../../ports/store/index.js';
import { checkLimit, decodeTimeCursor, encodeTimeCursor, toPage } from '../store-common/paging.js';
import { appendAfter } from './append-after.js';
import { guard } from './errors.js';
import {
  DUE_FIRST,
  MANIFESTS_NEWEST_FIRST,
  byId,
  candidateArrayFilters,
  decisionStatsPipeline,
  decisionUpdate,
  dueFilter,
  manifestListFilter,
  manifestStatsPipeline,
  openOutcomeFilter,
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

export function mongoManifestRepo(
  manifests: Model<unknown>,
  append: (events: AuditEventInput[]) => Promise<unknown>,
): ManifestRepo {
  const withEvents = appendAfter(append);
  const load = async (id: string) => manifests.findOne(byId(id)).lean<Doc>();
  const candidateOf = (d: Doc | null, candidateId: string): CandidateRecord | null =>
    d ? (toCandidates(d).find((c) => c.id === candidateId) ?? null) : null;
  return {
    insert: (m, cs, audit?: AuditWith<ManifestRecord>) =>
      guard('manifests.insert', async () => {
        const { id, ...rest } = m;
        await manifests.create({ _id: id, ...rest, candidates: cs.map(({ manifestId: _m, ...c }) => c) });
        await withEvents(m, audit);
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
    decide: (manifestId, candidateId, decision, audit?: AuditWith<CandidateRecord>) =>
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
        return withEvents(candidateOf(d, candidateId), audit);
      }),
    setOutcome: (candidateId, outcome, caseId, audit?: AuditWith<CandidateRecord>) =>
      guard('manifests.setOutcome', async () => {
        const d = (await manifests.findOneAndUpdate(openOutcomeFilter(candidateId), outcomeUpdate(outcome, caseId), {
          arrayFilters: candidateArrayFilters(candidateId),
          returnDocument: 'after',
          lean: true,
          runValidators: true,
        })) as Doc | null;
        return withEvents(candidateOf(d, candidateId), audit);
      }),
    list: (page) => {
      const limit = checkLimit(page.limit);
      const after = decodeTimeCursor(page.cursor);
      return guard('manifests.list', async () => {
        const docs = await manifests
          .find(manifestListFilter(after), { candidates: 0 })
          .sort(MANIFESTS_NEWEST_FIRST)
          .limit(limit + 1)
          .lean<Doc[]>();
        return toPage(docs.map(toManifest), limit, (last) => encodeTimeCursor({ t: last.receivedAt, id: last.id }));
      });
    },
    listDue: (now, limit) =>
      guard('manifests.listDue', async () =>
        (await manifests.find(dueFilter(now), { _id: 1 }).sort(DUE_FIRST).limit(limit).lean<{ _id: string }[]>()).map(
          (d) => d._id,
        ),
      ),
    purge: (id, at, audit?: AuditWith<ManifestRecord>) =>
      guard('manifests.purge', async () => {
        const d = (await manifests.findOneAndUpdate(purgeFilter(id), purgeUpdate(at), {
          projection: { candidates: 0 },
          returnDocument: 'after',
          lean: true,
        })) as Doc | null;
        return (await withEvents(d ? toManifest({ ...d, candidates: [] }) : null, audit)) !== null;
      }),
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
