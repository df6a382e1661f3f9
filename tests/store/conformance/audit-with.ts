/**
 * Conformance: writes that carry their own audit events (port.ts AuditWith). Every adapter writes the
 * events only when the change happens, hands the function the record as stored, and runs the audit
 * trail's checks, and makes the change and its events one transaction (SQLite's own; a MongoDB
 * replica set's session transaction), so events that cannot be appended take the change with them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditEventInput, Store } from '../../../src/ports/store/index.js';
import { verifyWholeChain } from './audit.js';
import { code, newInbound, newOutbound, type ConformanceContext } from './fixtures.js';

export async function eventsOf(store: Store, messageId: string): Promise<AuditEvent[]> {
  return (await store.audit.query({ messageId }, { limit: 100 })).items.sort((a, b) => a.seq - b.seq);
}

const ev = (action: string, messageId: string, detail: Record<string, unknown>): AuditEventInput => ({
  action,
  actor: 'system',
  at: 1_700_000_000_000,
  messageId,
  partner: 'FRA',
  outcome: 'ok',
  detail,
});

export function auditWithConformance(ctx: ConformanceContext): void {
  describe('writes with their audit events', () => {
    let store: Store;
    before(() => {
      store = ctx.store();
    });

    it('insert: the events of the stored record, once; an idempotency clash writes none', async () => {
      const key = `key-${randomUUID()}`;
      const rec = newOutbound({ submittedBy: 'tok-a', idempotencyKey: key });
      const { record, created } = await store.outbound.insert(rec, (r) => [
        ev('notification.accepted', r.id, { version: r.version, state: r.state }),
      ]);
      assert.equal(created, true);
      const again = await store.outbound.insert(newOutbound({ submittedBy: 'tok-a', idempotencyKey: key }), (r) => [
        ev('notification.accepted', r.id, { again: true }),
      ]);
      assert.equal(again.created, false);
      const events = await eventsOf(store, record.id);
      assert.deepEqual(
        events.map((e) => [e.action, e.detail]),
        [['notification.accepted', { version: 1, state: 'accepted' }]],
      );
    });

    it('transition and update: events see the record after the change; a lost transition writes none', async () => {
      const { record } = await store.outbound.insert(newOutbound());
      const queued = await store.outbound.transition(record.id, ['accepted'], 'queued', { queuedAt: 5 }, (r) => [
        ev('notification.queued', r.id, { version: r.version, state: r.state, queuedAt: r.queuedAt }),
      ]);
      assert.equal(queued?.state, 'queued');
      const lost = await store.outbound.transition(record.id, ['accepted'], 'cancelled', {}, (r) => [
        ev('notification.cancelled', r.id, {}),
      ]);
      assert.equal(lost, null);
      const sealed = await store.outbound.update(record.id, queued.version, { jti: 'jti-1' }, (r) => [
        ev('notification.sealed', r.id, { version: r.version, jti: r.jti }),
      ]);
      assert.equal(sealed?.jti, 'jti-1');
      const stale = await store.outbound.update(record.id, queued.version, { jti: 'jti-2' }, (r) => [
        ev('notification.sealed', r.id, { stale: true }),
      ]);
      assert.equal(stale, null);
      const events = await eventsOf(store, record.id);
      assert.deepEqual(
        events.map((e) => [e.action, e.detail]),
        [
          ['notification.queued', { version: 2, state: 'queued', queuedAt: 5 }],
          ['notification.sealed', { version: 3, jti: 'jti-1' }],
        ],
      );
    });

    it('attempts and inbound messages: events once; a repeat writes none', async () => {
      const { record } = await store.outbound.insert(newOutbound());
      const attempt = {
        messageId: record.id,
        attempt: 1,
        startedAt: 10,
        durationMs: 3,
        httpStatus: 503,
        error: 'http_503',
        outcome: 'retry' as const,
        mayHaveReached: true,
      };
      await store.outbound.addAttempt(attempt, (a) => [ev('delivery.attempt', a.messageId, { attempt: a.attempt })]);
      await store.outbound.addAttempt({ ...attempt, httpStatus: 200 }, (a) => [
        ev('delivery.attempt', a.messageId, { repeat: true }),
      ]);
      assert.deepEqual(
        (await eventsOf(store, record.id)).map((e) => e.detail),
        [{ attempt: 1 }],
      );

      const inbound = newInbound();
      const first = await store.inbound.insertOnce(inbound, (r) => [
        ev('message.received', r.notificationId, { inboundId: r.id }),
      ]);
      assert.equal(first.created, true);
      const dup = await store.inbound.insertOnce({ ...inbound, id: randomUUID() }, (r) => [
        ev('message.received', r.notificationId, { dup: true }),
      ]);
      assert.equal(dup.created, false);
      assert.deepEqual(
        (await eventsOf(store, inbound.notificationId)).map((e) => e.detail),
        [{ inboundId: inbound.id }],
      );
      await verifyWholeChain(store);
    });

    it('events the audit trail refuses are refused (personal data, unknown action)', async () => {
      const { record } = await store.outbound.insert(newOutbound());
      const head = await store.audit.head();
      await assert.rejects(
        store.outbound.transition(record.id, ['accepted'], 'queued', {}, (r) => [
          ev('notification.queued', r.id, { name: 'not in an event' }),
        ]),
        code('audit_event_refused'),
      );
      await assert.rejects(
        store.inbound.insertOnce(newInbound(), () => [ev('no_such.action', 'x', {})]),
        code('audit_event_refused'),
      );
      // One transaction: the refused events took the change with them.
      assert.equal((await store.outbound.get(record.id))?.state, 'accepted');
      assert.deepEqual(await store.audit.head(), head);
    });

    it('a change and its events commit together: an append that fails leaves no change', async () => {
      const head = await store.audit.head();
      const refused = (r: { id: string }) => [ev('notification.accepted', r.id, { passport: 'not in an event' })];
      // A new record, an update, an inbound message: each refused with its events, nothing stored.
      const rec = newOutbound();
      await assert.rejects(store.outbound.insert(rec, refused), code('audit_event_refused'));
      assert.equal(await store.outbound.get(rec.id), null, 'no record without its events');
      const { record } = await store.outbound.insert(newOutbound());
      await assert.rejects(
        store.outbound.update(record.id, record.version, { lastError: 'changed' }, refused),
        code('audit_event_refused'),
      );
      const after = await store.outbound.get(record.id);
      assert.equal(after?.version, record.version, 'the update did not happen');
      assert.equal(after?.lastError ?? null, record.lastError ?? null);
      const inbound = newInbound();
      await assert.rejects(
        store.inbound.insertOnce(inbound, (r) => [ev('message.received', r.id, { dateOfBirth: 'x' })]),
        code('audit_event_refused'),
      );
      assert.equal(await store.inbound.getByJti(inbound.iss, inbound.jti), null, 'no message without its events');
      // The record inserted without events added none; the chain is whole.
      assert.deepEqual((await store.audit.head())?.seq, head?.seq);
      await verifyWholeChain(store);
    });
  });
}
