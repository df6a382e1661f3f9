/**
 * Conformance of the manifest-screening repositories (manifests with their candidates, cases): run by
 * every store adapter next to the core suite (./conformance.ts). `open()` returns a new store on the
 * same database each time; tests use their own ids and never assume they are alone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CandidateRecord, CaseRecord, ManifestRecord, Store } from '../../src/ports/store/index.js';

const T0 = 1_800_000_000_000;

export function manifestFixture(overrides: Partial<ManifestRecord> = {}): ManifestRecord {
  return {
    id: randomUUID(),
    format: 'json',
    submittedBy: 'screening',
    receivedAt: T0,
    flight: {
      carrier: 'BA',
      flightNumber: 'BA178',
      departureAirport: 'JFK',
      arrivalAirport: 'LHR',
      scheduledDeparture: '2027-01-10T18:30',
      scheduledArrival: null,
    },
    passengerCount: 3,
    crewCount: 1,
    sealedPeople: 'f1.1.iv.ct.tag',
    wrappedKey: '{"kid":"kek-1"}',
    purgeAfter: T0 + 86_400_000,
    purgedAt: null,
    threshold: 0.7,
    screeningMs: 1.5,
    candidateCount: 2,
    ...overrides,
  };
}

export function candidateFixture(manifestId: string, overrides: Partial<CandidateRecord> = {}): CandidateRecord {
  return {
    id: randomUUID(),
    manifestId,
    passengerIndex: 0,
    role: 'passenger',
    registrantId: randomUUID(),
    score: 0.9,
    features: [
      { feature: 'name', contribution: 0.95 },
      { feature: 'dob_exact', contribution: 0 },
    ],
    decision: 'pending',
    decidedBy: null,
    decidedAt: null,
    reason: null,
    outcome: null,
    caseId: null,
    createdAt: T0,
    ...overrides,
  };
}

export function caseFixture(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: randomUUID(),
    kind: 'unreported_travel',
    registrantId: randomUUID(),
    manifestId: randomUUID(),
    candidateId: randomUUID(),
    tripKey: randomUUID(),
    flight: manifestFixture().flight,
    destination: 'GBR',
    openedBy: 'screening',
    openedAt: T0,
    notificationId: null,
    notification: 'disabled',
    ...overrides,
  };
}

export function runManifestConformance(name: string, open: () => Promise<Store>): void {
  describe(`manifest store conformance: ${name}`, function () {
    this.timeout(60_000);
    const opened: Store[] = [];
    let store: Store;
    before(async () => {
      store = await open();
      opened.push(store);
    });
    after(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    it('stores a manifest with its candidates and reads them back, best score first per passenger', async () => {
      const m = manifestFixture();
      const low = candidateFixture(m.id, { passengerIndex: 1, score: 0.72 });
      const high = candidateFixture(m.id, { passengerIndex: 1, score: 0.93 });
      const first = candidateFixture(m.id, { passengerIndex: 0, score: 0.8 });
      await store.manifests.insert(m, [low, high, first]);
      assert.deepEqual(await store.manifests.get(m.id), m);
      const cs = await store.manifests.candidates(m.id);
      assert.deepEqual(
        cs.map((c) => c.id),
        [first.id, high.id, low.id],
      );
      assert.deepEqual(cs[1], high);
      assert.deepEqual(await store.manifests.getCandidate(m.id, low.id), low);
      assert.equal(
        await store.manifests.getCandidate(randomUUID(), low.id),
        null,
        'a candidate is found only under its manifest',
      );
      assert.equal(await store.manifests.get(randomUUID()), null);
    });

    it('inserts nothing when one candidate is refused (all or nothing)', async () => {
      const m = manifestFixture();
      const bad = candidateFixture(m.id, { score: 7 });
      await assert.rejects(store.manifests.insert(m, [candidateFixture(m.id), bad]));
      assert.equal(await store.manifests.get(m.id), null);
      assert.deepEqual(await store.manifests.candidates(m.id), []);
    });

    it('decides a pending candidate once; of two racing decisions exactly one wins', async () => {
      const m = manifestFixture();
      const c = candidateFixture(m.id);
      await store.manifests.insert(m, [c]);
      const other = await open();
      opened.push(other);
      const results = await Promise.all([
        store.manifests.decide(m.id, c.id, {
          decision: 'confirmed',
          decidedBy: 'screening',
          decidedAt: T0 + 5,
          reason: 'same passport',
        }),
        other.manifests.decide(m.id, c.id, {
          decision: 'rejected',
          decidedBy: 'screening2',
          decidedAt: T0 + 6,
          reason: 'different person',
        }),
      ]);
      const winners = results.filter((r) => r !== null);
      assert.equal(winners.length, 1);
      const stored = await store.manifests.getCandidate(m.id, c.id);
      assert.deepEqual(stored, winners[0]);
      assert.notEqual(stored?.decision, 'pending');
      await store.manifests.setOutcome(c.id, 'case_opened', 'case-1');
      const after = await store.manifests.getCandidate(m.id, c.id);
      assert.equal(after?.outcome, 'case_opened');
      assert.equal(after?.caseId, 'case-1');
      assert.equal(
        await store.manifests.decide(m.id, randomUUID(), {
          decision: 'rejected',
          decidedBy: 'x',
          decidedAt: 1,
          reason: 'r',
        }),
        null,
      );
    });

    it('lists manifests newest first with a cursor, ties broken by id, without their candidates', async () => {
      // Later than any other test's manifests, so these four are the newest in a shared database.
      const late = T0 + 50 * 365 * 86_400_000 + Math.floor(Math.random() * 1e9);
      const ms = [0, 1, 1, 2].map((d) => manifestFixture({ receivedAt: late + d }));
      for (const m of ms) await store.manifests.insert(m, [candidateFixture(m.id)]);
      const tied = ms.slice(1, 3).sort((a, b) => (a.id < b.id ? 1 : -1));
      const expected = [ms[3]!, ...tied, ms[0]!].map((m) => m.id);
      const p1 = await store.manifests.list({ limit: 3 });
      assert.deepEqual(
        p1.items.map((m) => m.id),
        expected.slice(0, 3),
      );
      assert.deepEqual(p1.items[0], ms[3], 'the manifest as stored, no candidates attached');
      assert.ok(p1.next);
      const p2 = await store.manifests.list({ limit: 1, cursor: p1.next });
      assert.deepEqual(
        p2.items.map((m) => m.id),
        [expected[3]],
      );
      await assert.rejects(store.manifests.list({ limit: 2, cursor: 'not-a-cursor' }), /cursor/);
    });

    it('lists manifests due for purging, purges once, and keeps the result', async () => {
      const now = T0 + 10 * 86_400_000 + Math.floor(Math.random() * 1000);
      const due = manifestFixture({ purgeAfter: now - 1 });
      const later = manifestFixture({ purgeAfter: now + 60_000 });
      await store.manifests.insert(due, [candidateFixture(due.id)]);
      await store.manifests.insert(later, []);
      const ids = await store.manifests.listDue(now, 10_000);
      assert.ok(ids.includes(due.id));
      assert.ok(!ids.includes(later.id));
      assert.equal(await store.manifests.purge(due.id, now), true);
      assert.equal(await store.manifests.purge(due.id, now + 1), false, 'a second purge changes nothing');
      const purged = await store.manifests.get(due.id);
      assert.equal(purged?.sealedPeople, null);
      assert.equal(purged?.wrappedKey, null);
      assert.equal(purged?.purgedAt, now);
      assert.equal(purged?.flight.flightNumber, 'BA178', 'the flight (not personal) stays');
      assert.equal((await store.manifests.candidates(due.id)).length, 1, 'the screening result stays');
      assert.ok(!(await store.manifests.listDue(now, 10_000)).includes(due.id));
    });

    it('counts manifests, people, candidates and decisions over a time range', async () => {
      const base = T0 + 400 * 86_400_000 + Math.floor(Math.random() * 1_000_000) * 1000;
      const a = manifestFixture({ receivedAt: base, passengerCount: 10, crewCount: 2, candidateCount: 3 });
      const b = manifestFixture({ receivedAt: base + 1000, passengerCount: 5, crewCount: 0, candidateCount: 0 });
      const outside = manifestFixture({
        receivedAt: base + 10_000,
        passengerCount: 99,
        crewCount: 0,
        candidateCount: 1,
      });
      const cs = [candidateFixture(a.id), candidateFixture(a.id), candidateFixture(a.id)];
      await store.manifests.insert(a, cs);
      await store.manifests.insert(b, []);
      await store.manifests.insert(outside, [candidateFixture(outside.id)]);
      await store.manifests.decide(a.id, cs[0]!.id, {
        decision: 'confirmed',
        decidedBy: 's',
        decidedAt: base + 100,
        reason: 'r',
      });
      await store.manifests.decide(a.id, cs[1]!.id, {
        decision: 'rejected',
        decidedBy: 's',
        decidedAt: base + 200,
        reason: 'r',
      });
      const s = await store.manifests.stats(base, base + 5000);
      assert.deepEqual(s, { manifests: 2, people: 17, candidates: 3, confirmed: 1, rejected: 1, pending: 1 });
    });

    it('opens one case per trip; the second opener gets the first case', async () => {
      const tripKey = randomUUID();
      const first = caseFixture({ tripKey });
      const other = await open();
      opened.push(other);
      const [x, y] = await Promise.all([store.cases.open(first), other.cases.open(caseFixture({ tripKey }))]);
      assert.equal([x, y].filter((r) => r.created).length, 1);
      assert.equal(x.record.id, y.record.id);
      const winner = x.created ? x.record : y.record;
      assert.deepEqual(await store.cases.get(winner.id), winner);
      const updated = await store.cases.setNotification(winner.id, 'n-1', 'submitted');
      assert.equal(updated?.notificationId, 'n-1');
      assert.equal(updated?.notification, 'submitted');
      assert.equal(await store.cases.setNotification(randomUUID(), 'n', 'submitted'), null);
    });

    it('lists cases newest first with a cursor, by registrant and time range, and counts them', async () => {
      const registrantId = randomUUID();
      const base = T0 + 800 * 86_400_000 + Math.floor(Math.random() * 1_000_000) * 1000;
      const made: CaseRecord[] = [];
      for (let i = 0; i < 5; i++) {
        const c = caseFixture({ registrantId, openedAt: base + i * 1000 });
        made.push((await store.cases.open(c)).record);
      }
      await store.cases.open(caseFixture({ openedAt: base + 500 }));
      const p1 = await store.cases.list({ registrantId }, { limit: 3 });
      assert.deepEqual(
        p1.items.map((c) => c.id),
        [made[4]!.id, made[3]!.id, made[2]!.id],
      );
      assert.ok(p1.next);
      const p2 = await store.cases.list({ registrantId }, { limit: 3, cursor: p1.next });
      assert.deepEqual(
        p2.items.map((c) => c.id),
        [made[1]!.id, made[0]!.id],
      );
      assert.equal(p2.next, null);
      const ranged = await store.cases.list({ from: base + 1000, to: base + 3000 }, { limit: 100 });
      assert.deepEqual(
        ranged.items.map((c) => c.id),
        [made[2]!.id, made[1]!.id],
      );
      assert.equal(await store.cases.count(base, base + 5000), 6);
    });
  });
}
