/**
 * Conformance of the registry repositories (sealed registrants, travel reports, trip index) and the
 * statistics shape: run by every adapter next to the core suite. Records are sealed by the real
 * registry module with fresh keys; each test uses its own ids.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { searchTerms } from '../../src/domain/registry/blind-index.js';
import { sealRegistrant, shredRegistrant, type SealedRegistrant } from '../../src/domain/registry/sealed-registrant.js';
import type { Store, TravelReportRecord } from '../../src/ports/store/index.js';
import { cyrillicRegistrant, freshKeys, greekRegistrant } from '../registry/fixtures.js';

const T0 = 1_800_000_000_000;

export function reportRecord(registrantId: string, overrides: Partial<TravelReportRecord> = {}): TravelReportRecord {
  return {
    id: randomUUID(),
    registrantId,
    state: 'active',
    sealedReport: 'f1.iv.ct.tag',
    destinations: ['FRA', 'THA'],
    notificationIds: { FRA: randomUUID(), THA: randomUUID() },
    departureAt: T0 + 86_400_000,
    late: false,
    daysOfNotice: 30,
    emergency: false,
    tripKey: randomUUID(),
    enteredBy: 'registry',
    enteredAt: T0,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...overrides,
  };
}

export function runRegistryConformance(name: string, open: () => Promise<Store>): void {
  describe(`registry store conformance: ${name}`, function () {
    this.timeout(60_000);
    const keys = freshKeys();
    let store: Store;
    let other: Store;
    before(async () => {
      store = await open();
      other = await open();
    });
    after(async () => {
      await store.close();
      await other.close();
    });
    const seal = (r = cyrillicRegistrant()): SealedRegistrant => sealRegistrant(r, keys, T0);

    it('stores a sealed registrant as is and refuses a second insert of the id', async () => {
      const s = seal();
      await store.registry.insert(s);
      assert.deepEqual(await other.registry.get(s.id), s);
      await assert.rejects(store.registry.insert(s), (e: { code?: string }) => e.code === 'conflict');
      assert.equal(await store.registry.get(randomUUID()), null);
    });

    it('searches by blind indexes with AND semantics; empty terms match nothing', async () => {
      const a = seal();
      const b = seal(greekRegistrant());
      await store.registry.insert(a);
      await store.registry.insert(b);
      const hit = await other.registry.search(
        searchTerms({ name: 'Petrov Dmitrii', documentNumber: 'K48213377' }, keys.indexKey),
        50,
      );
      assert.ok(hit.some((r) => r.id === a.id));
      assert.equal(
        hit.some((r) => r.id === b.id),
        false,
      );
      const none = await store.registry.search(
        searchTerms({ name: 'Petrov', documentNumber: 'AE1234567' }, keys.indexKey),
        50,
      );
      assert.equal(
        none.some((r) => r.id === a.id || r.id === b.id),
        false,
        'all terms must match',
      );
      assert.deepEqual(await store.registry.search([], 50), []);
    });

    it('keeps the external reference unique among live records, found by byExternalReference', async () => {
      const ref = `ext-${randomUUID()}`;
      const a = seal(cyrillicRegistrant({ externalReference: ref }));
      await store.registry.insert(a);
      assert.equal((await other.registry.byExternalReference(ref))?.id, a.id);
      assert.equal(await store.registry.byExternalReference(`ext-${randomUUID()}`), null);
      const b = seal(cyrillicRegistrant({ externalReference: ref }));
      await assert.rejects(store.registry.insert(b), (e: { code?: string }) => e.code === 'conflict');
      assert.equal(await store.registry.get(b.id), null, 'nothing of the refused insert is stored');
      // Records without a reference are many; a replace cannot take another record's reference.
      const c = seal();
      const d = seal();
      await store.registry.insert(c);
      await store.registry.insert(d);
      await assert.rejects(
        store.registry.replace({ ...c, externalReference: ref, updatedAt: T0 + 1 }, T0),
        (e: { code?: string }) => e.code === 'conflict',
      );
      // Erasure drops the reference: it no longer finds the tombstone and is free again.
      await store.registry.erase(shredRegistrant(a, T0 + 2));
      assert.equal(await store.registry.byExternalReference(ref), null);
      await store.registry.insert(b);
      assert.equal((await store.registry.byExternalReference(ref))?.id, b.id);
    });

    it('counts live records (erased ones are not)', async () => {
      const n = await store.registry.countLive();
      const s = seal();
      await store.registry.insert(s);
      assert.equal(await other.registry.countLive(), n + 1);
      await store.registry.erase(shredRegistrant(s, T0 + 3));
      assert.equal(await store.registry.countLive(), n);
    });

    it('replaces only on the expected version; a lost race changes nothing', async () => {
      const s = seal();
      await store.registry.insert(s);
      const next = { ...s, status: 'suspended' as const, updatedAt: T0 + 1, blindIndexes: s.blindIndexes.slice(1) };
      assert.equal(await store.registry.replace(next, T0), true);
      assert.equal(await other.registry.replace({ ...s, updatedAt: T0 + 2 }, T0), false);
      const got = (await store.registry.get(s.id))!;
      assert.equal(got.status, 'suspended');
      const found = await store.registry.search([s.blindIndexes[0]!], 50);
      assert.equal(
        found.some((r) => r.id === s.id),
        false,
        'index rows follow the replaced record',
      );
    });

    it('erases: the tombstone replaces the record, indexes go, retention and search skip it', async () => {
      const s = seal(cyrillicRegistrant({ registrationEnd: '2020-01-01', reviewDue: '2020-02-01' }));
      await store.registry.insert(s);
      const before = await store.registry.retentionCandidates(
        { endBefore: '2021-01-01', reviewBefore: '2021-01-01' },
        1000,
      );
      assert.ok(before.some((v) => v.id === s.id));
      await store.registry.erase(shredRegistrant(s, T0 + 5));
      const got = (await other.registry.get(s.id))!;
      assert.deepEqual([got.dek, got.fields, got.blindIndexes, got.erasedAt], [null, {}, [], T0 + 5]);
      assert.equal(
        (await store.registry.search(s.blindIndexes, 1000)).some((r) => r.id === s.id),
        false,
      );
      const after = await store.registry.retentionCandidates(
        { endBefore: '2021-01-01', reviewBefore: '2021-01-01' },
        1000,
      );
      assert.equal(
        after.some((v) => v.id === s.id),
        false,
      );
      assert.equal(
        await store.registry.replace({ ...s, updatedAt: T0 + 9 }, T0 + 5),
        false,
        'an erased record cannot be revived',
      );
    });

    it('lists retention candidates by end date and by unflagged overdue review, with clear fields only', async () => {
      const ended = seal(cyrillicRegistrant({ registrationEnd: '2019-05-01', reviewDue: '2030-01-01' }));
      const review = seal(cyrillicRegistrant({ reviewDue: '2019-06-01' }));
      const flagged = { ...seal(cyrillicRegistrant({ reviewDue: '2019-06-01' })), reviewFlaggedAt: T0 };
      const fine = seal(cyrillicRegistrant({ reviewDue: '2030-01-01' }));
      for (const s of [ended, review, flagged, fine]) await store.registry.insert(s);
      const c = await store.registry.retentionCandidates(
        { endBefore: '2019-12-31', reviewBefore: '2019-12-31' },
        10_000,
      );
      const ids = new Set(c.map((v) => v.id));
      assert.deepEqual(
        [ids.has(ended.id), ids.has(review.id), ids.has(flagged.id), ids.has(fine.id)],
        [true, true, false, false],
      );
      const v = c.find((x) => x.id === ended.id)!;
      assert.deepEqual(Object.keys(v).sort(), [
        'erasedAt',
        'id',
        'registrationEnd',
        'registrationStart',
        'reviewDue',
        'reviewFlaggedAt',
        'status',
      ]);
    });

    it('travel reports: insert, versioned update, list by registrant, shred on erasure', async () => {
      const s = seal();
      await store.registry.insert(s);
      const r = reportRecord(s.id);
      await store.travelReports.insert(r);
      assert.deepEqual(await other.travelReports.get(r.id), r);
      const v2 = { ...r, state: 'cancelled' as const, version: 2, updatedAt: T0 + 1 };
      assert.deepEqual(await store.travelReports.update(v2), v2);
      assert.equal(await other.travelReports.update({ ...r, version: 2, late: true }), null, 'stale version loses');
      await store.travelReports.insert(reportRecord(s.id, { createdAt: T0 + 10 }));
      const list = await store.travelReports.listByRegistrant(s.id);
      assert.deepEqual(list.map((x) => x.id)[0], r.id);
      assert.equal(list.length, 2);
      assert.equal(await store.travelReports.shredForRegistrant(s.id), 2);
      assert.deepEqual(
        (await store.travelReports.listByRegistrant(s.id)).map((x) => x.sealedReport),
        [null, null],
      );
      assert.equal(await store.travelReports.shredForRegistrant(s.id), 0);
    });

    it('travel reports: the active ones created in a range, oldest first, bounded', async () => {
      const s = seal();
      await store.registry.insert(s);
      const base = T0 + 5_000 * 86_400_000; // a range no other case writes in
      const older = reportRecord(s.id, { createdAt: base + 20 });
      const first = reportRecord(s.id, { createdAt: base + 10 });
      const cancelled = reportRecord(s.id, { createdAt: base + 15, state: 'cancelled' });
      const later = reportRecord(s.id, { createdAt: base + 100 });
      for (const r of [older, first, cancelled, later]) await store.travelReports.insert(r);
      const ids = async (from: number, to: number, limit = 10) =>
        (await other.travelReports.listActiveCreated(from, to, limit)).map((r) => r.id);
      assert.deepEqual(await ids(base, base + 100), [first.id, older.id], 'active only, [from, to), oldest first');
      assert.deepEqual(await ids(base, base + 101, 1), [first.id], 'bounded');
      assert.deepEqual(await ids(base + 21, base + 100), []);
    });

    it('travel reports: pages by (createdAt, id), so reports created in one millisecond are all reached', async () => {
      const s = seal();
      await store.registry.insert(s);
      const base = T0 + 6_000 * 86_400_000; // a range no other case writes in
      const same = Array.from({ length: 5 }, () => reportRecord(s.id, { createdAt: base + 7 }));
      const next = reportRecord(s.id, { createdAt: base + 8 });
      for (const r of [...same, next]) await store.travelReports.insert(r);
      const expected = [...same.map((r) => r.id).sort(), next.id];
      const seen: string[] = [];
      let after: { createdAt: number; id: string } | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page = await other.travelReports.listActiveCreated(base, base + 100, 2, after);
        if (page.length === 0) break;
        assert.ok(page.length <= 2);
        seen.push(...page.map((r) => r.id));
        const last = page[page.length - 1]!;
        after = { createdAt: last.createdAt, id: last.id };
      }
      assert.deepEqual(seen, expected, 'each once, in (createdAt, id) order, past the page boundary');
      // A cursor before the range starts at `from`; the upper bound still holds.
      const early = await other.travelReports.listActiveCreated(base + 8, base + 100, 10, {
        createdAt: base,
        id: 'zzzz',
      });
      assert.deepEqual(
        early.map((r) => r.id),
        [next.id],
      );
      assert.deepEqual(
        await other.travelReports.listActiveCreated(base, base + 8, 10, { createdAt: base + 7, id: expected[4]! }),
        [],
      );
    });

    it('trip index: one claim wins across instances, sources recorded once, release frees the trip', async () => {
      const tripKey = randomUUID();
      const entry = {
        tripKey,
        registrantId: randomUUID(),
        notificationIds: ['n1', 'n2'],
        firstSource: 'self_report' as const,
        alsoFoundBy: [],
        createdAt: T0,
      };
      const [a, b] = await Promise.all([
        store.trips.claim(entry),
        other.trips.claim({ ...entry, notificationIds: ['x'], firstSource: 'manifest_match' }),
      ]);
      assert.equal([a.created, b.created].filter(Boolean).length, 1);
      assert.deepEqual(a.entry, b.entry);
      const winner = a.entry;
      await store.trips.addSource(tripKey, winner.firstSource === 'self_report' ? 'manifest_match' : 'self_report');
      const twice = await other.trips.addSource(
        tripKey,
        winner.firstSource === 'self_report' ? 'manifest_match' : 'self_report',
      );
      assert.equal(twice!.alsoFoundBy.length, 1);
      assert.equal(
        (await store.trips.addSource(tripKey, winner.firstSource))!.alsoFoundBy.length,
        1,
        'the first source is not repeated',
      );
      assert.equal(await store.trips.addSource(randomUUID(), 'other'), null);
      await store.trips.release(tripKey);
      assert.equal(await other.trips.get(tripKey), null);
    });

    it('statistics: an empty range answers one zero total row', async () => {
      const rows = await store.stats.sent({ from: 0, to: 1, onTimeThresholdSeconds: 86_400 });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.partner, null);
      assert.equal(rows[0]!.notifications, 0);
      assert.equal(
        (await store.stats.received({ from: 0, to: 1, onTimeThresholdSeconds: 86_400 }))[0]!.notifications,
        0,
      );
    });
  });
}
