/**
 * Conformance: the registry, travel-report, manifest and case writes carry their audit events (port
 * AuditWith) exactly as the outbound and inbound writes do (./audit-with.ts): events only when the
 * change happens, computed from the record as stored; an id taken, a lost race or a repeat writes
 * none; and, change and events being one transaction on every adapter, refused events refuse the change.
 */
import assert from 'node:assert/strict';
import {
  sealRegistrant,
  shredRegistrant,
  type SealedRegistrant,
} from '../../../src/domain/registry/sealed-registrant.js';
import type { AuditEventInput, Store } from '../../../src/ports/store/index.js';
import { cyrillicRegistrant, freshKeys } from '../../registry/fixtures.js';
import { candidateFixture, caseFixture, manifestFixture } from '../manifest-conformance.js';
import { reportRecord } from '../registry-conformance.js';
import { eventsOf } from './audit-with.js';
import { verifyWholeChain } from './audit.js';
import { code, type ConformanceContext } from './fixtures.js';

const T0 = 1_800_000_000_000;

const ev = (action: string, messageId: string, detail: Record<string, unknown>): AuditEventInput => ({
  action,
  actor: 'system',
  at: T0,
  messageId,
  outcome: 'ok',
  detail,
});

const details = async (store: Store, id: string) =>
  (await eventsOf(store, id)).map((e) => [e.action, e.detail] as const);

export function auditWithRecordsConformance(ctx: ConformanceContext): void {
  describe('registry, travel-report, manifest and case writes with their audit events', () => {
    const keys = freshKeys();
    let store: Store;
    let other: Store;
    before(async () => {
      store = ctx.store();
      other = await ctx.another();
    });
    const seal = (): SealedRegistrant => sealRegistrant(cyrillicRegistrant(), keys, T0);

    it('registry: insert, replace and erase write their events once; a taken id, a stale replace or a second erase none', async () => {
      const s = seal();
      await store.registry.insert(s, (r) => [ev('personal_data.created', r.id, { status: r.status, at: r.updatedAt })]);
      await assert.rejects(
        other.registry.insert(s, (r) => [ev('personal_data.created', r.id, { again: true })]),
        code('conflict'),
      );
      const next = { ...s, status: 'suspended' as const, updatedAt: T0 + 1 };
      assert.equal(
        await store.registry.replace(next, T0, (r) => [ev('personal_data.altered', r.id, { status: r.status })]),
        true,
      );
      assert.equal(
        await other.registry.replace({ ...s, updatedAt: T0 + 2 }, T0, (r) => [
          ev('personal_data.altered', r.id, { stale: true }),
        ]),
        false,
      );
      const tomb = shredRegistrant(next, T0 + 3);
      assert.equal(
        await store.registry.erase(tomb, (r) => [
          ev('personal_data.erased', r.id, { erasedAt: r.erasedAt, dek: r.dek, indexes: r.blindIndexes.length }),
        ]),
        true,
      );
      // Erasing again (a racing request, a repeated retention pass) changes nothing and records nothing.
      assert.equal(
        await other.registry.erase(shredRegistrant(next, T0 + 4), (r) => [ev('personal_data.erased', r.id, {})]),
        false,
      );
      assert.equal((await store.registry.get(s.id))?.erasedAt, T0 + 3);
      assert.equal(await store.registry.erase(shredRegistrant(seal(), T0), () => []), false, 'unknown id');
      assert.deepEqual(await details(store, s.id), [
        ['personal_data.created', { status: 'active', at: T0 }],
        ['personal_data.altered', { status: 'suspended' }],
        ['personal_data.erased', { erasedAt: T0 + 3, dek: null, indexes: 0 }],
      ]);
    });

    it('travel reports: insert and update write their events; a lost update none', async () => {
      const owner = seal();
      await store.registry.insert(owner);
      const rec = reportRecord(owner.id);
      await store.travelReports.insert(rec, (r) => [ev('personal_data.created', r.id, { version: r.version })]);
      const cancelled = { ...rec, state: 'cancelled' as const, version: 2, updatedAt: T0 + 1 };
      assert.deepEqual(
        await store.travelReports.update(cancelled, (r) => [
          ev('personal_data.altered', r.id, { version: r.version, state: r.state }),
        ]),
        cancelled,
      );
      assert.equal(
        await other.travelReports.update({ ...rec, version: 2 }, (r) => [
          ev('personal_data.altered', r.id, { lost: 1 }),
        ]),
        null,
      );
      assert.deepEqual(await details(store, rec.id), [
        ['personal_data.created', { version: 1 }],
        ['personal_data.altered', { version: 2, state: 'cancelled' }],
      ]);
    });

    it('manifests: insert, decide, outcome and purge write their events from the stored row, once', async () => {
      const m = manifestFixture();
      const c = candidateFixture(m.id);
      await store.manifests.insert(m, [c], (r) => [
        ev('manifest.received', r.id, { candidates: r.candidateCount, purgedAt: r.purgedAt }),
      ]);
      const d = { decision: 'confirmed' as const, decidedBy: 'scr', decidedAt: T0 + 1, reason: 'same person' };
      const decided = await store.manifests.decide(m.id, c.id, d, (x) => [
        ev('match.confirmed', x.manifestId, { candidateId: x.id, decision: x.decision, at: x.decidedAt }),
      ]);
      assert.equal(decided?.decision, 'confirmed');
      assert.equal(
        await other.manifests.decide(m.id, c.id, { ...d, decision: 'rejected' }, (x) => [
          ev('match.rejected', x.manifestId, { lost: true }),
        ]),
        null,
      );
      const withOutcome = await store.manifests.setOutcome(c.id, 'already_notified', null, (x) => [
        ev('personal_data.altered', x.manifestId, { candidateId: x.id, outcome: x.outcome }),
      ]);
      assert.equal(withOutcome?.outcome, 'already_notified');
      assert.equal(
        await other.manifests.setOutcome(c.id, 'case_opened', 'k-1', (x) => [
          ev('personal_data.altered', x.manifestId, { repeat: true }),
        ]),
        null,
        'an outcome is recorded once',
      );
      assert.equal((await store.manifests.getCandidate(m.id, c.id))?.outcome, 'already_notified');
      assert.equal(
        await store.manifests.purge(m.id, T0 + 9, (r) => [
          ev('manifest.expired', r.id, { purgedAt: r.purgedAt, sealed: r.sealedPeople, key: r.wrappedKey }),
        ]),
        true,
      );
      assert.equal(await other.manifests.purge(m.id, T0 + 10, (r) => [ev('manifest.expired', r.id, {})]), false);
      assert.deepEqual(await details(store, m.id), [
        ['manifest.received', { candidates: 2, purgedAt: null }],
        ['match.confirmed', { candidateId: c.id, decision: 'confirmed', at: T0 + 1 }],
        ['personal_data.altered', { candidateId: c.id, outcome: 'already_notified' }],
        ['manifest.expired', { purgedAt: T0 + 9, sealed: null, key: null }],
      ]);
    });

    it('cases: only the call that opened the case writes its events', async () => {
      const k = caseFixture();
      const first = await store.cases.open(k, (r) => [ev('case.opened', r.id, { trip: r.tripKey === k.tripKey })]);
      assert.equal(first.created, true);
      const rival = caseFixture({ tripKey: k.tripKey });
      const second = await other.cases.open(rival, (r) => [ev('case.opened', r.id, { rival: true })]);
      assert.equal(second.created, false);
      assert.equal(second.record.id, k.id);
      assert.deepEqual(await details(store, k.id), [['case.opened', { trip: true }]]);
      assert.deepEqual(await details(store, rival.id), []);
      await verifyWholeChain(store);
    });

    it('events the audit trail refuses are refused; the change goes with them', async () => {
      const refused = (id: string) => [ev('personal_data.created', id, { dateOfBirth: '1979-03-14' })];
      const owner = seal();
      await store.registry.insert(owner);
      const head = await store.audit.head();
      const s = seal();
      await assert.rejects(
        store.registry.insert(s, (r) => refused(r.id)),
        code('audit_event_refused'),
      );
      const rec = reportRecord(owner.id);
      await assert.rejects(
        store.travelReports.insert(rec, (r) => refused(r.id)),
        code('audit_event_refused'),
      );
      const m = manifestFixture();
      await assert.rejects(
        store.manifests.insert(m, [candidateFixture(m.id)], (r) => refused(r.id)),
        code('audit_event_refused'),
      );
      const k = caseFixture();
      await assert.rejects(
        store.cases.open(k, (r) => refused(r.id)),
        code('audit_event_refused'),
      );
      // One transaction (SQLite's; a MongoDB replica set's session transaction): nothing of any of these changes was kept, and the chain did not move.
      assert.equal(await store.registry.get(s.id), null);
      assert.equal(await store.travelReports.get(rec.id), null);
      assert.equal(await store.manifests.get(m.id), null);
      assert.equal(await store.cases.get(k.id), null);
      assert.deepEqual(await store.audit.head(), head);

      // And for the updates: the record stays as it was.
      const live = seal();
      await store.registry.insert(live);
      const m2 = manifestFixture();
      await store.manifests.insert(m2, []);
      await assert.rejects(
        store.registry.erase(shredRegistrant(live, T0 + 1), (r) => refused(r.id)),
        code('audit_event_refused'),
      );
      await assert.rejects(
        store.manifests.purge(m2.id, T0 + 1, (r) => refused(r.id)),
        code('audit_event_refused'),
      );
      assert.equal((await store.registry.get(live.id))?.erasedAt, null);
      assert.ok((await store.registry.get(live.id))?.dek);
      assert.equal((await store.manifests.get(m2.id))?.purgedAt, null);
    });
  });
}
