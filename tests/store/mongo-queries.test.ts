/**
 * The MongoDB adapter's query logic, checked without a server: the pure builders in
 * src/adapters/store-mongo/queries.ts are executed by mingo (an implementation of MongoDB's query language)
 * on fixture documents; the mongoose schemas are checked for their indexes and validation.
 */
import assert from 'node:assert/strict';
import { Query, find, update } from 'mingo';
import mongoose from 'mongoose';
import { GENESIS_HASH } from '../../src/domain/audit/chain.js';
import { mongoConnectOptions } from '../../src/adapters/store-mongo/open-mongo-store.js';
import { extendChain } from '../../src/adapters/store-common/audit-extend.js';
import { AUDIT_INDEX_PRIORITY, auditCursor, planAuditQuery } from '../../src/adapters/store-common/audit-plan.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../src/adapters/store-common/paging.js';
import type {
  AuditEvent,
  AuditFilter,
  OutboundFilter,
  OutboundState,
  TimelinessFilter,
} from '../../src/ports/store/index.js';
import {
  CLEAR_PENDING,
  DEPARTURE_FIRST,
  HEAD_ID,
  INBOUND_NEWEST_FIRST,
  NEWEST_FIRST,
  OLDEST_FIRST,
  SEQ_DESC,
  acceptedFilter,
  atRiskFilter,
  auditQuery,
  auditQueryFilter,
  auditRangeFilter,
  clearPendingFilter,
  headCasFilter,
  headCasUpdate,
  idempotencyFilter,
  inboundListFilter,
  jtiFilter,
  leaseAcquireFilter,
  leaseAcquireUpdate,
  leaseReleaseFilter,
  outboundListFilter,
  patchUpdate,
  transitionFilter,
  versionFilter,
  type Filter,
  type Sort,
} from '../../src/adapters/store-mongo/queries.js';
import {
  attemptSchema,
  auditEventSchema,
  checkpointSchema,
  inboundSchema,
  outboundSchema,
} from '../../src/adapters/store-mongo/schemas.js';

type Doc = Record<string, unknown>;
const run = (docs: Doc[], filter: Filter, sort?: Sort, limit?: number): Doc[] => {
  let c = find(docs, filter as never);
  if (sort) c = c.sort(sort);
  if (limit !== undefined) c = c.limit(limit);
  return c.all();
};
const ids = (docs: Doc[]) => docs.map((d) => d._id);

const STATES: OutboundState[] = [
  'accepted',
  'queued',
  'delivering',
  'retrying',
  'delivered',
  'failed',
  'cancelled',
  'no_channel',
];
const outbound: Doc[] = Array.from({ length: 40 }, (_, i) => ({
  _id: `o${String(i).padStart(2, '0')}`,
  messageType: i % 5 === 0 ? 'TravelUpdate' : 'TravelNotification',
  notificationId: `n${i % 4}`,
  partner: ['FRA', 'DEU', 'ITA'][i % 3],
  state: STATES[i % STATES.length],
  submittedBy: i % 2 ? 'tok-a' : 'tok-b',
  idempotencyKey: i % 3 === 0 ? null : `k${i}`,
  createdAt: 1000 + Math.floor(i / 4) * 10, // ties of four
  departureAt: i % 7 === 0 ? null : 50_000 + i * 100,
  atRiskAlertedAt: i % 6 === 0 ? 77 : null,
  version: 1,
  attempts: 0,
}));

describe('mongo query builders (executed with mingo)', () => {
  it('list: filters, newest first with _id tie-break, cursor pages without duplicates or gaps', () => {
    const filters: OutboundFilter[] = [
      {},
      { partner: 'FRA' },
      { state: 'accepted' },
      { state: ['queued', 'failed'] },
      { notificationId: 'n1', partner: 'DEU' },
      { messageType: 'TravelUpdate' },
      { from: 1020, to: 1060 },
      { partner: 'ITA', from: 1030 },
    ];
    for (const f of filters) {
      const expected = outbound
        .filter(
          (d) =>
            (f.partner === undefined || d.partner === f.partner) &&
            (f.state === undefined || ([] as string[]).concat(f.state).includes(d.state as string)) &&
            (f.messageType === undefined || d.messageType === f.messageType) &&
            (f.notificationId === undefined || d.notificationId === f.notificationId) &&
            (f.from === undefined || (d.createdAt as number) >= f.from) &&
            (f.to === undefined || (d.createdAt as number) < f.to),
        )
        .sort(
          (a, b) => (b.createdAt as number) - (a.createdAt as number) || String(b._id).localeCompare(String(a._id)),
        );
      assert.ok(expected.length > 0, JSON.stringify(f));
      const seen: Doc[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 50; guard++) {
        const page = run(outbound, outboundListFilter(f, decodeTimeCursor(cursor)), NEWEST_FIRST, 3 + 1);
        seen.push(...page.slice(0, 3));
        if (page.length <= 3) break;
        const last = page[2] as Doc;
        cursor = encodeTimeCursor({ t: last.createdAt as number, id: last._id as string });
      }
      assert.deepEqual(ids(seen), ids(expected), JSON.stringify(f));
    }
  });

  it('list by timeliness: a recorded one, or pending (departure, not final, none yet)', () => {
    const docs: Doc[] = [
      { _id: 't1', state: 'delivered', timeliness: 'on_time', departureAt: 9, createdAt: 1 },
      { _id: 't2', state: 'delivered', timeliness: 'late', departureAt: 9, createdAt: 2 },
      { _id: 't3', state: 'retrying', timeliness: null, departureAt: 9, createdAt: 3 },
      { _id: 't4', state: 'accepted', departureAt: 9, createdAt: 4 },
      { _id: 't5', state: 'failed', timeliness: null, departureAt: 9, createdAt: 5 },
      { _id: 't6', state: 'queued', timeliness: null, departureAt: null, createdAt: 6 },
    ];
    const of = (timeliness: TimelinessFilter) =>
      ids(run(docs, outboundListFilter({ timeliness }, null), NEWEST_FIRST, 10)).sort();
    assert.deepEqual(of('on_time'), ['t1']);
    assert.deepEqual(of('late'), ['t2']);
    assert.deepEqual(of('after_departure'), []);
    assert.deepEqual(of('pending'), ['t3', 't4']);
  });

  it('a filter value that is an object stays a value and never becomes an operator', () => {
    const sneaky = { $ne: null } as unknown as string;
    assert.equal(run(outbound, outboundListFilter({ partner: sneaky }, null)).length, 0);
    assert.equal(run(outbound, idempotencyFilter('tok-a', sneaky)).length, 0);
    assert.equal(run(outbound, transitionFilter(sneaky, ['accepted'])).length, 0);
    assert.equal(run(outbound, auditQueryFilter({ actor: sneaky }, null)).length, 0);
  });

  it('listAccepted: accepted and older than the cut-off, oldest first', () => {
    const got = run(outbound, acceptedFilter(1050), OLDEST_FIRST);
    const expected = outbound.filter((d) => d.state === 'accepted' && (d.createdAt as number) < 1050);
    assert.ok(expected.length >= 2);
    assert.deepEqual(ids(got), ids(expected));
  });

  it('listAtRisk: live states, not alerted, with a departure before the horizon, earliest first', () => {
    const got = run(outbound, atRiskFilter(53_000), DEPARTURE_FIRST);
    const live = ['accepted', 'queued', 'delivering', 'retrying'];
    const expected = outbound
      .filter(
        (d) =>
          live.includes(d.state as string) &&
          d.atRiskAlertedAt === null &&
          d.departureAt !== null &&
          (d.departureAt as number) < 53_000,
      )
      .sort((a, b) => (a.departureAt as number) - (b.departureAt as number));
    assert.ok(expected.length >= 3);
    assert.deepEqual(ids(got), ids(expected));
    assert.ok(got.every((d) => d.departureAt !== null));
  });

  it('idempotency key lookup selects by submitter and key', () => {
    assert.deepEqual(ids(run(outbound, idempotencyFilter('tok-a', 'k1'))), ['o01']);
    assert.deepEqual(ids(run(outbound, idempotencyFilter('tok-b', 'k1'))), []);
  });

  it('transition: matches only from the allowed states; the update sets state and patch, bumps version', () => {
    const doc = { ...outbound[1] }; // o01, queued
    assert.equal(new Query(transitionFilter('o01', ['accepted']) as never).test(doc), false);
    assert.equal(new Query(transitionFilter('o02', ['queued']) as never).test(doc), false);
    assert.equal(new Query(transitionFilter('o01', ['queued', 'retrying']) as never).test(doc), true);
    update(doc, patchUpdate({ queuedAt: 5, lastError: null, jti: 'j' }, 999, 'delivering') as never);
    assert.equal(doc.state, 'delivering');
    assert.equal(doc.queuedAt, 5);
    assert.equal(doc.lastError, null);
    assert.equal(doc.jti, 'j');
    assert.equal(doc.version, 2);
    assert.equal(doc.updatedAt, 999);
    assert.equal(doc.partner, outbound[1]?.partner, 'untouched fields stay');
    assert.equal(
      'state' in (patchUpdate({}, 1).$set as Doc),
      false,
      'an update without a transition leaves state alone',
    );
  });

  it('version guard: matches only the current version', () => {
    const doc = { _id: 'x', version: 3 };
    assert.equal(new Query(versionFilter('x', 3) as never).test(doc), true);
    assert.equal(new Query(versionFilter('x', 2) as never).test(doc), false);
  });

  it('inbound: (iss, jti) lookup and list filters, newest first', () => {
    const inbound: Doc[] = Array.from({ length: 12 }, (_, i) => ({
      _id: `i${String(i).padStart(2, '0')}`,
      iss: i % 2 ? 'FRA' : 'ESP',
      jti: `j${i}`,
      messageType: 'TravelNotification',
      notificationId: `n${i % 3}`,
      receivedAt: 100 + Math.floor(i / 2),
    }));
    assert.deepEqual(ids(run(inbound, jtiFilter('FRA', 'j1'))), ['i01']);
    assert.deepEqual(ids(run(inbound, jtiFilter('ESP', 'j1'))), []);
    const got = run(inbound, inboundListFilter({ iss: 'FRA', from: 101, to: 105 }, null), INBOUND_NEWEST_FIRST);
    assert.deepEqual(ids(got), ['i09', 'i07', 'i05', 'i03']);
    const after = run(inbound, inboundListFilter({}, { t: 103, id: 'i07' }), INBOUND_NEWEST_FIRST);
    assert.deepEqual(ids(after), ['i06', 'i05', 'i04', 'i03', 'i02', 'i01', 'i00']);
  });

  it('audit: filters, time range and seq cursor, newest first; range in chain order', () => {
    const events: Doc[] = Array.from({ length: 30 }, (_, i) => ({
      _id: `e${i + 1}`,
      seq: i + 1,
      at: 5000 + i,
      action: i % 2 ? 'delivery.attempt' : 'notification.accepted',
      actor: i % 3 ? 'system' : 'tok-1',
      messageId: i < 20 ? `m${i % 4}` : null,
      partner: i % 5 ? 'FRA' : 'NLD',
    }));
    const q = (f: Parameters<typeof auditQueryFilter>[0], before: number | null = null) =>
      run(events, auditQueryFilter(f, before), SEQ_DESC).map((e) => e.seq);
    assert.deepEqual(q({ messageId: 'm1' }), [18, 14, 10, 6, 2]);
    assert.deepEqual(q({ messageId: 'm1' }, 10), [6, 2]);
    assert.deepEqual(q({ action: 'delivery.attempt', actor: 'tok-1' }), [28, 22, 16, 10, 4]);
    assert.deepEqual(q({ partner: 'NLD', from: 5005, to: 5021 }), [21, 16, 11, 6]);
    assert.deepEqual(q({}).length, 30);
    assert.deepEqual(
      run(events, auditRangeFilter(7, 9), { seq: 1 }).map((e) => e.seq),
      [7, 8, 9],
    );
  });

  it('filtered audit query: (at, seq) newest first, (at, seq) cursors page through ties and skewed clocks; the whole trail in seq order', () => {
    // `at` out of chain order and with ties, as events from several processes arrive
    const ats = [500, 510, 505, 505, 520, 505, 490, 530, 505, 515, 500, 525];
    const events: Doc[] = ats.map((at, i) => ({
      _id: `e${i + 1}`,
      seq: i + 1,
      at,
      action: i % 2 ? 'delivery.attempt' : 'notification.accepted',
      actor: 'system',
      messageId: `m${i % 3}`,
      partner: i % 4 ? 'FRA' : 'NLD',
    }));
    const pageThrough = (f: AuditFilter, limit: number) => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const plan = planAuditQuery(f, cursor);
        const { filter, sort } = auditQuery(f, plan);
        const rows = run(events, filter, sort, limit + 1);
        const page = rows.slice(0, limit);
        seen.push(...page.map((e) => e.seq as number));
        cursor = rows.length > limit ? auditCursor(plan, page[page.length - 1] as unknown as AuditEvent) : null;
      } while (cursor !== null && seen.length < 100);
      return seen;
    };
    const expected = (keep: (e: Doc) => boolean) =>
      events
        .filter(keep)
        .sort((a, b) => (b.at as number) - (a.at as number) || (b.seq as number) - (a.seq as number))
        .map((e) => e.seq);
    assert.deepEqual(
      pageThrough({ from: 500, to: 525 }, 2),
      expected((e) => (e.at as number) >= 500 && (e.at as number) < 525),
    );
    assert.deepEqual(
      pageThrough({ to: 510 }, 1),
      expected((e) => (e.at as number) < 510),
    );
    assert.deepEqual(
      pageThrough({ partner: 'FRA', action: 'delivery.attempt', from: 0 }, 2),
      expected((e) => e.partner === 'FRA' && e.action === 'delivery.attempt'),
    );
    // an equality filter without a time range: event time too, (at, seq) cursor
    assert.deepEqual(
      pageThrough({ messageId: 'm1' }, 2),
      expected((e) => e.messageId === 'm1'),
    );
    assert.deepEqual(pageThrough({ messageId: 'm1' }, 2), [8, 5, 2, 11]);
    // no filter at all: chain order, seq cursor
    assert.deepEqual(pageThrough({}, 5), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('audit: names the index of the most selective filter, one whose keys the sort follows', () => {
    const declared = new Map(
      auditEventSchema.indexes().map(([keys, o]) => [(o as { name: string }).name, keys as Record<string, number>]),
    );
    const values: Required<AuditFilter> = {
      messageId: 'm',
      partner: 'FRA',
      action: 'a.b',
      actor: 'poc',
      from: 1,
      to: 2,
    };
    const fields = Object.keys(values) as (keyof AuditFilter)[];
    for (let mask = 0; mask < 1 << fields.length; mask++) {
      const f: AuditFilter = {};
      for (const [i, k] of fields.entries()) if (mask & (1 << i)) Object.assign(f, { [k]: values[k] });
      const plan = planAuditQuery(f, null);
      const { sort, hint } = auditQuery(f, plan);
      const keys = declared.get(hint);
      assert.ok(keys, `hint ${hint} is a declared index (${JSON.stringify(f)})`);
      const lead = AUDIT_INDEX_PRIORITY.find((k) => f[k] !== undefined);
      // the index = [the most selective equality field] followed by exactly the sort keys, in the
      // sort's directions or all reversed (an index is read either way: ux_audit_seq {seq: 1})
      const want = Object.entries(sort);
      const tail = Object.entries(keys).slice(lead ? 1 : 0);
      if (lead) assert.deepEqual(Object.entries(keys)[0], [lead, 1], JSON.stringify(f));
      assert.deepEqual(
        tail.map(([k]) => k),
        want.map(([k]) => k),
        JSON.stringify(f),
      );
      const flips = new Set(tail.map(([, d], i) => d === want[i]?.[1]));
      assert.equal(flips.size, 1, `directions all equal or all reversed: ${JSON.stringify(f)}`);
    }
  });

  it('chain head compare-and-set: only the appender that read the current head wins; pending is cleared per batch', () => {
    const headDoc: Doc = { _id: HEAD_ID, seq: 0, hash: GENESIS_HASH, pending: null };
    const inputs = [
      { action: 'a.b', actor: 'system', at: 1, messageId: null, partner: null, outcome: null, detail: null },
    ];
    const readA = { seq: 0, hash: GENESIS_HASH };
    const readB = { seq: 0, hash: GENESIS_HASH };
    const batchA = extendChain(readA, inputs).map(({ id, ...e }) => ({ _id: id, ...e, detail: null }));
    // A wins the CAS …
    assert.equal(new Query(headCasFilter(readA) as never).test(headDoc), true);
    update(headDoc, headCasUpdate(batchA) as never);
    assert.equal(headDoc.seq, 1);
    assert.equal(headDoc.hash, batchA[0]?.hash);
    // … so B, who read the same head, no longer matches (head moved, and a batch is pending).
    assert.equal(new Query(headCasFilter(readB) as never).test(headDoc), false);
    // Nobody can CAS past a pending batch, even with the new head, until it is materialised.
    assert.equal(new Query(headCasFilter({ seq: 1, hash: batchA[0]!.hash }) as never).test(headDoc), false);
    assert.equal(new Query(clearPendingFilter(2) as never).test(headDoc), false, 'another batch cannot clear ours');
    assert.equal(new Query(clearPendingFilter(1) as never).test(headDoc), true);
    update(headDoc, CLEAR_PENDING as never);
    assert.equal(headDoc.pending, null);
    assert.equal(new Query(headCasFilter({ seq: 1, hash: batchA[0]!.hash }) as never).test(headDoc), true);
  });

  it("leases: acquire matches our own or an expired lease, never someone else's live one", () => {
    const lease: Doc = { _id: 'sealer', holder: 'A', expiresAt: 1000 };
    const m = (f: Filter) => new Query(f).test(lease);
    assert.equal(m(leaseAcquireFilter('sealer', 'A', 500)), true, 'renewal');
    assert.equal(m(leaseAcquireFilter('sealer', 'B', 500)), false, 'live, held by A');
    assert.equal(m(leaseAcquireFilter('sealer', 'B', 1000)), true, 'expired');
    assert.equal(m(leaseAcquireFilter('other', 'A', 500)), false);
    update(lease, leaseAcquireUpdate('B', 2000) as never);
    assert.deepEqual(lease, { _id: 'sealer', holder: 'B', expiresAt: 2000 });
    assert.equal(m(leaseReleaseFilter('sealer', 'A')), false);
    assert.equal(m(leaseReleaseFilter('sealer', 'B')), true);
  });
});

describe('mongodb connection options', () => {
  it('write with concern majority and retryable writes; indexes built explicitly', () => {
    const o = mongoConnectOptions({});
    assert.equal(o.w, 'majority');
    assert.equal(o.retryWrites, true);
    assert.equal(o.autoIndex, false);
    assert.equal(mongoConnectOptions({ dbName: 'x' }).dbName, 'x');
  });
});

describe('mongoose schemas', () => {
  const keysOf = (schema: mongoose.Schema) =>
    schema
      .indexes()
      .map(([keys, opts]) => ({ keys, unique: opts.unique === true, partial: opts.partialFilterExpression }));

  it('declare the unique de-duplication indexes', () => {
    assert.deepEqual(
      keysOf(outboundSchema).find((i) => i.unique),
      {
        keys: { submittedBy: 1, idempotencyKey: 1 },
        unique: true,
        partial: { idempotencyKey: { $type: 'string' } },
      },
    );
    assert.deepEqual(keysOf(inboundSchema).find((i) => i.unique)?.keys, { iss: 1, jti: 1 });
    assert.deepEqual(keysOf(auditEventSchema).find((i) => i.unique)?.keys, { seq: 1 });
    assert.deepEqual(keysOf(attemptSchema).find((i) => i.unique)?.keys, { messageId: 1, attempt: 1 });
  });

  it('declare an index for every query the port makes', () => {
    const has = (schema: mongoose.Schema, keys: Record<string, number>) =>
      assert.ok(
        keysOf(schema).some((i) => JSON.stringify(i.keys) === JSON.stringify(keys)),
        JSON.stringify(keys),
      );
    has(outboundSchema, { createdAt: -1, _id: -1 });
    has(outboundSchema, { partner: 1, createdAt: -1, _id: -1 });
    has(outboundSchema, { state: 1, createdAt: 1, _id: 1 });
    has(outboundSchema, { notificationId: 1, createdAt: -1, _id: -1 });
    has(outboundSchema, { messageType: 1, createdAt: -1, _id: -1 });
    has(outboundSchema, { atRiskAlertedAt: 1, departureAt: 1, _id: 1 });
    has(inboundSchema, { receivedAt: -1, _id: -1 });
    has(inboundSchema, { iss: 1, receivedAt: -1, _id: -1 });
    has(inboundSchema, { notificationId: 1, receivedAt: -1, _id: -1 });
    for (const f of ['messageId', 'partner', 'action', 'actor']) {
      has(auditEventSchema, { [f]: 1, at: -1, seq: -1 });
      // (field, seq) indexes serve no query since every filtered query orders by (at, seq): not declared
      assert.ok(
        !auditEventSchema.indexes().some(([k]) => JSON.stringify(k) === JSON.stringify({ [f]: 1, seq: -1 })),
        `no ${f}+seq index`,
      );
    }
    has(auditEventSchema, { at: -1, seq: -1 });
    has(checkpointSchema, { seq: 1, at: 1 });
  });

  it('validate documents: required fields, enums, integer times; unknown fields are refused', async () => {
    const m = new mongoose.Mongoose();
    const Outbound = m.model('Outbound', outboundSchema);
    const errorOf = async (d: Doc): Promise<unknown> =>
      new Outbound(d).validate().then(
        () => undefined,
        (e: unknown) => e,
      );
    const good = {
      _id: 'o1',
      messageType: 'TravelNotification',
      notificationId: 'o1',
      partner: 'FRA',
      state: 'accepted',
      submittedBy: 't',
      idempotencyKey: null,
      requestHash: 'h',
      message: { a: {} },
      source: null,
      departureAt: null,
      createdAt: 1,
      updatedAt: 1,
      version: 1,
    };
    assert.equal(await errorOf(good), undefined);
    for (const bad of [
      { state: 'lost' },
      { partner: 'fr' },
      { createdAt: 1.5 },
      { messageType: 'Receipt' },
      { version: 0 },
    ]) {
      assert.equal(
        ((await errorOf({ ...good, ...bad })) as Error | undefined)?.name,
        'ValidationError',
        JSON.stringify(bad),
      );
    }
    const { requestHash: _omit, ...missing } = good;
    assert.equal(((await errorOf(missing)) as Error | undefined)?.name, 'ValidationError');
    assert.throws(() => new Outbound({ ...good, injected: true }), /injected/);
    assert.deepEqual(new Outbound(good).toObject().message, { a: {} }, 'empty objects are kept (minimize: false)');
  });
});
