/**
 * The MongoDB manifest and case repositories' query logic, checked without a server: the pure
 * builders of src/adapters/store-mongo/screening-queries.ts run by mingo on fixture documents; the schemas are
 * checked for the indexes the queries need and for their validation.
 */
import assert from 'node:assert/strict';
import { Query, aggregate, find, update } from 'mingo';
import mongoose from 'mongoose';
import { decodeTimeCursor, encodeTimeCursor } from '../../src/adapters/store-common/paging.js';
import {
  CASES_NEWEST_FIRST,
  DUE_FIRST,
  MANIFESTS_NEWEST_FIRST,
  candidateArrayFilters,
  caseCountFilter,
  caseListFilter,
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
  tripFilter,
} from '../../src/adapters/store-mongo/screening-queries.js';
import { caseSchema, manifestSchema } from '../../src/adapters/store-mongo/screening-schemas.js';

type Doc = Record<string, unknown>;
const ids = (docs: Doc[]) => docs.map((d) => d._id);
/**
 * mingo refuses several `$set` paths under one array in one update ("would create a conflict"),
 * which MongoDB accepts; apply the paths one at a time in their order (decisionUpdate sets `decision`
 * last, so the "pending" array filter still selects the element for the other paths).
 */
const updateEach = (doc: Doc, u: Record<string, unknown>, arrayFilters: unknown, condition?: unknown): void => {
  for (const [path, value] of Object.entries(u.$set as Doc))
    update(doc, { $set: { [path]: value } }, arrayFilters as never, condition as never);
};

const cand = (id: string, decision: string, decidedAt: number | null) => ({
  id,
  decision,
  decidedAt,
  outcome: null,
  caseId: null,
});
const manifests: Doc[] = [
  {
    _id: 'm1',
    receivedAt: 100,
    passengerCount: 10,
    crewCount: 2,
    candidateCount: 2,
    purgeAfter: 500,
    purgedAt: null,
    candidates: [cand('c1', 'pending', null), cand('c2', 'confirmed', 150)],
  },
  {
    _id: 'm2',
    receivedAt: 200,
    passengerCount: 5,
    crewCount: 1,
    candidateCount: 1,
    purgeAfter: 400,
    purgedAt: null,
    candidates: [cand('c3', 'rejected', 900)],
  },
  {
    _id: 'm3',
    receivedAt: 300,
    passengerCount: 7,
    crewCount: 0,
    candidateCount: 0,
    purgeAfter: 300,
    purgedAt: 350,
    candidates: [],
  },
  {
    _id: 'm4',
    receivedAt: 5000,
    passengerCount: 1,
    crewCount: 0,
    candidateCount: 1,
    purgeAfter: 9000,
    purgedAt: null,
    candidates: [cand('c4', 'confirmed', 210)],
  },
];

describe('mongodb manifest queries (mingo)', () => {
  it('decide: matches only the named candidate while pending, and sets the decision on that element', () => {
    const doc = structuredClone(manifests[0]!);
    assert.equal(new Query(pendingCandidateFilter('m1', 'c2') as never).test(doc), false, 'c2 is decided already');
    assert.equal(new Query(pendingCandidateFilter('m2', 'c1') as never).test(doc), false, 'c1 belongs to m1');
    const filter = pendingCandidateFilter('m1', 'c1');
    assert.equal(new Query(filter as never).test(doc), true);
    updateEach(
      doc,
      decisionUpdate({ decision: 'rejected', decidedBy: 'scr', decidedAt: 42, reason: 'other person' }),
      candidateArrayFilters('c1', true),
      filter,
    );
    const [c1, c2] = doc.candidates as Doc[];
    assert.equal(c1!.decision, 'rejected');
    assert.equal(c1!.decidedAt, 42);
    assert.equal(c2!.decision, 'confirmed', 'the other candidate is untouched');
    assert.equal(new Query(filter as never).test(doc), false, 'a second decision no longer matches');
    // The filter is tested on its own: updateEach applies the paths one by one, and the first one
    // (outcome) would make the filter miss for the second (caseId), which one MongoDB update does not.
    assert.equal(new Query(openOutcomeFilter('c1') as never).test(doc), true);
    updateEach(doc, outcomeUpdate('case_opened', 'k1'), candidateArrayFilters('c1'));
    assert.equal((doc.candidates as Doc[])[0]!.caseId, 'k1');
    assert.equal((doc.candidates as Doc[])[1]!.outcome, null, 'the other candidate is untouched');
    assert.equal(new Query(openOutcomeFilter('c1') as never).test(doc), false, 'an outcome is recorded once');
    assert.equal(new Query(openOutcomeFilter('c2') as never).test(doc), true);
  });

  it('operator-looking ids are operands, never operators', () => {
    assert.deepEqual(find(manifests, pendingCandidateFilter({ $ne: 'x' } as never, 'c1') as never).all(), []);
  });

  it('listDue: unpurged manifests past purgeAfter, due first; purge only once', () => {
    const due = find(manifests, dueFilter(500) as never)
      .sort(DUE_FIRST)
      .all() as Doc[];
    assert.deepEqual(ids(due), ['m2', 'm1']);
    const doc = structuredClone(manifests[1]!);
    doc.sealedPeople = 'x';
    doc.wrappedKey = 'y';
    assert.equal(new Query(purgeFilter('m2') as never).test(doc), true);
    update(doc, purgeUpdate(777) as never);
    assert.deepEqual([doc.sealedPeople, doc.wrappedKey, doc.purgedAt], [null, null, 777]);
    assert.equal(new Query(purgeFilter('m2') as never).test(doc), false);
  });

  it('list: newest first, keyset cursor on (receivedAt, id)', () => {
    const tied = [...manifests, { ...manifests[1]!, _id: 'm2b' }];
    const all = find(tied, manifestListFilter(null) as never)
      .sort(MANIFESTS_NEWEST_FIRST)
      .all() as Doc[];
    assert.deepEqual(ids(all), ['m4', 'm3', 'm2b', 'm2', 'm1']);
    const after = decodeTimeCursor(encodeTimeCursor({ t: 200, id: 'm2b' }));
    assert.deepEqual(
      ids(
        find(tied, manifestListFilter(after) as never)
          .sort(MANIFESTS_NEWEST_FIRST)
          .all() as Doc[],
      ),
      ['m2', 'm1'],
    );
  });

  it('stats pipelines: manifests by receivedAt, decisions by decidedAt', () => {
    const [m] = aggregate(manifests, manifestStatsPipeline(0, 1000)) as Doc[];
    assert.deepEqual({ ...m, _id: undefined }, { _id: undefined, manifests: 3, people: 25, candidates: 3, pending: 1 });
    const d = aggregate(manifests, decisionStatsPipeline(100, 300)) as { _id: string; n: number }[];
    assert.deepEqual(Object.fromEntries(d.map((x) => [x._id, x.n])), { confirmed: 2 });
  });

  it('cases: list by registrant and range, newest first, keyset cursor; count; trip lookup', () => {
    const cases: Doc[] = Array.from({ length: 6 }, (_, i) => ({
      _id: `k${i}`,
      registrantId: i % 2 ? 'r1' : 'r2',
      openedAt: 100 + (i >> 1) * 10,
      tripKey: `t${i}`,
    }));
    const page = find(cases, caseListFilter({ registrantId: 'r1' }, null) as never)
      .sort(CASES_NEWEST_FIRST)
      .all() as Doc[];
    assert.deepEqual(ids(page), ['k5', 'k3', 'k1']);
    const after = decodeTimeCursor(encodeTimeCursor({ t: 110, id: 'k3' }));
    assert.deepEqual(
      ids(
        find(cases, caseListFilter({ registrantId: 'r1' }, after) as never)
          .sort(CASES_NEWEST_FIRST)
          .all() as Doc[],
      ),
      ['k1'],
    );
    assert.deepEqual(
      ids(
        find(cases, caseListFilter({ from: 110, to: 120 }, null) as never)
          .sort(CASES_NEWEST_FIRST)
          .all() as Doc[],
      ),
      ['k3', 'k2'],
    );
    assert.equal(find(cases, caseCountFilter(100, 120) as never).all().length, 4);
    assert.deepEqual(ids(find(cases, tripFilter('t4') as never).all() as Doc[]), ['k4']);
  });

  it('schemas declare the indexes the queries use, the unique trip key, and refuse unknown fields', () => {
    const names = (s: mongoose.Schema) => s.indexes().map(([, o]) => (o as { name?: string }).name);
    assert.deepEqual(names(manifestSchema).sort(), [
      'ix_manifests_candidate',
      'ix_manifests_decided',
      'ix_manifests_due',
      'ix_manifests_newest',
      'ix_manifests_received',
    ]);
    const trip = caseSchema.indexes().find(([, o]) => (o as { name?: string }).name === 'ux_cases_trip');
    assert.equal((trip?.[1] as { unique?: boolean }).unique, true);
    const M = mongoose.model('ManifestCheck', manifestSchema);
    assert.throws(() => new M({ _id: 'x', surname: 'Doe' }), /surname|strict/i);
    const err = new M({ _id: 'x', format: 'pdf' }).validateSync(); // sync check of the enum, no server needed
    assert.ok(err?.errors.format, 'format enum enforced');
  });
});
