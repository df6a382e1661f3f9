import { strict as assert } from 'node:assert';
import { AUDIT_ACTIONS } from '../../src/domain/audit/actions.js';
import { GENESIS_HASH, chainHash } from '../../src/domain/audit/chain.js';
import { checkAuditEvent } from '../../src/domain/audit/check-event.js';
import { attachAuditTrail } from '../../src/features/audit-trail/subscriber.js';
import { EventBus } from '../../src/domain/audit/event-bus.js';
import { isTnxError, tnxError } from '../../src/core/errors.js';
import { auditFixture, type AuditFixture } from './helpers.js';

function refusedAt(pointer: string) {
  return (err: unknown) => isTnxError(err, 'audit_event_refused') && err.pointer === pointer;
}

describe('audit subscriber', () => {
  let f: AuditFixture;
  beforeEach(async () => {
    f = await auditFixture('audit-sub');
  });
  afterEach(async () => {
    await f.store.close();
  });

  it('appends published events to the store as one hash chain, in publishing order', async () => {
    await f.bus.publish(
      { action: 'notification.accepted', actor: 'submitter-1', at: 1, messageId: 'n-1', partner: 'XBB' },
      {
        action: 'delivery.attempt',
        actor: 'system',
        at: 2,
        messageId: 'n-1',
        partner: 'XBB',
        outcome: 'retry',
        detail: { attempt: 1, httpStatus: 503 },
      },
    );
    await f.bus.publish({
      action: 'notification.delivered',
      actor: 'system',
      at: 3,
      messageId: 'n-1',
      partner: 'XBB',
      outcome: 'delivered',
    });
    const events = await f.store.audit.range(1, 100, 100);
    assert.deepEqual(
      events.map((e) => [e.seq, e.action]),
      [
        [1, 'notification.accepted'],
        [2, 'delivery.attempt'],
        [3, 'notification.delivered'],
      ],
    );
    assert.equal(events[0]!.prevHash, GENESIS_HASH);
    assert.equal(events[1]!.prevHash, events[0]!.hash);
    assert.equal(events[2]!.hash, chainHash(events[1]!.hash, events[2]!));
    assert.deepEqual(events[1]!.detail, { attempt: 1, httpStatus: 503 });
  });

  it('announced events (stored with their change) reach the followers, never a second time the trail', async () => {
    const heard: string[][] = [];
    f.bus.subscribe(async (events) => void heard.push(events.map((e) => e.action)));
    const created = { action: 'personal_data.created', actor: 'registry', at: 1, messageId: 'r-1' };
    await f.bus.announce(created);
    assert.equal(await f.store.audit.count(), 0, 'the store wrote it with the change; the bus records nothing');
    await f.bus.publish({ ...created, action: 'personal_data.read', detail: { purpose: 'check' } });
    assert.equal(await f.store.audit.count(), 1);
    assert.deepEqual(heard, [['personal_data.created'], ['personal_data.read']]);
  });

  for (const key of [
    'name',
    'family',
    'given',
    'dateOfBirth',
    'date_of_birth',
    'documentNumber',
    'number',
    'DOB',
    'passportNumber',
  ]) {
    it(`refuses a detail field named "${key}" and stores nothing of the batch`, async () => {
      await assert.rejects(
        f.bus.publish(
          { action: 'notification.accepted', actor: 'submitter-1', at: 1, messageId: 'n-1' },
          { action: 'message.received', actor: 'XBB', at: 2, detail: { [key]: 'x' } },
        ),
        refusedAt(`/detail/${key}`),
      );
      assert.equal(await f.store.audit.count(), 0);
    });
  }

  it('finds personal-data fields nested in objects and arrays', async () => {
    assert.throws(
      () =>
        checkAuditEvent({
          action: 'message.received',
          actor: 'XBB',
          at: 1,
          detail: { person: undefined, refs: [{ ok: 1 }, { traveller: { given: ['A'] } }] },
        }),
      refusedAt('/detail/person'),
    );
    assert.throws(
      () =>
        checkAuditEvent({
          action: 'message.received',
          actor: 'XBB',
          at: 1,
          detail: { refs: [{ ok: 1 }, { traveller: { given: ['A'] } }] },
        }),
      refusedAt('/detail/refs/1/traveller/given'),
    );
  });

  it('never repeats the refused value in the error message', () => {
    try {
      checkAuditEvent({ action: 'message.received', actor: 'XBB', at: 1, detail: { familyName: 'SECRETNAME' } });
      assert.fail('expected a refusal');
    } catch (err) {
      assert.ok(isTnxError(err, 'audit_event_refused'));
      assert.doesNotMatch(`${err.message} ${JSON.stringify(err.detail ?? {})}`, /SECRETNAME/);
    }
  });

  it('refuses actions outside the audited list, and malformed references', () => {
    assert.throws(
      () => checkAuditEvent({ action: 'notification.teleported', actor: 'system', at: 1 }),
      refusedAt('/action'),
    );
    assert.throws(
      () => checkAuditEvent({ action: 'notification.accepted', actor: 'system', at: 1, partner: 'usa' }),
      refusedAt('/partner'),
    );
    assert.throws(() => checkAuditEvent({ action: 'notification.accepted', actor: 'a b', at: 1 }), refusedAt('/actor'));
    assert.throws(
      () => checkAuditEvent({ action: 'notification.accepted', actor: 'system', at: 1.5 }),
      refusedAt('/at'),
    );
    assert.throws(
      () =>
        checkAuditEvent({
          action: 'notification.accepted',
          actor: 'system',
          at: 1,
          detail: { blob: 'x'.repeat(5000) },
        }),
      refusedAt('/detail'),
    );
    assert.throws(
      () =>
        checkAuditEvent({
          action: 'notification.accepted',
          actor: 'system',
          at: 1,
          detail: JSON.parse('{"__proto__":{"x":1}}'),
        }),
      refusedAt('/detail/__proto__'),
    );
  });

  it('requires a purpose for consultation and disclosure of personal data (LED Art 25)', () => {
    assert.throws(
      () => checkAuditEvent({ action: 'personal_data.read', actor: 'poc-1', at: 1, messageId: 'n-1' }),
      refusedAt('/detail/purpose'),
    );
    assert.throws(
      () => checkAuditEvent({ action: 'personal_data.disclosed', actor: 'poc-1', at: 1, detail: { purpose: '  ' } }),
      refusedAt('/detail/purpose'),
    );
    checkAuditEvent({
      action: 'personal_data.read',
      actor: 'poc-1',
      at: 1,
      messageId: 'n-1',
      detail: { purpose: 'case 2026/114 review' },
    });
    checkAuditEvent({ action: 'personal_data.erased', actor: 'system', at: 1, messageId: 'n-1' });
  });

  it('group commit: concurrent publishes share one append, each contiguous and in publishing order', async () => {
    const appends: number[] = [];
    const counting = {
      ...f.store.audit,
      append: (events: Parameters<typeof f.store.audit.append>[0]) => (
        appends.push(events.length),
        f.store.audit.append(events)
      ),
    };
    const bus = new EventBus();
    attachAuditTrail(bus, counting);
    const publishes = Array.from({ length: 40 }, (_, i) =>
      Array.from({ length: 1 + (i % 3) }, (_, j) => ({
        action: 'delivery.attempt',
        actor: 'system',
        at: i,
        messageId: `m-${i}`,
        outcome: 'retry',
        detail: { attempt: j + 1 },
      })),
    );
    await Promise.all(publishes.map((events) => bus.publish(...events)));
    const total = publishes.reduce((n, p) => n + p.length, 0);
    assert.equal(await f.store.audit.count(), total);
    assert.ok(appends.length < 5, `40 concurrent publishes took ${appends.length} appends`);
    const stored = await f.store.audit.range(1, total, total);
    const order = stored.map((e) => `${e.messageId}/${(e.detail as { attempt: number }).attempt}`);
    assert.deepEqual(
      order,
      publishes.flatMap((p) => p.map((e) => `${e.messageId}/${e.detail.attempt}`)),
    );
  });

  it('group commit: a publish too large for one append fails alone; its neighbours are stored', async () => {
    const bus = new EventBus();
    attachAuditTrail(bus, f.store.audit);
    // Accepted by the subscriber's checks, refused by the adapter (an append of over 10,000 events).
    const huge = Array.from({ length: 10_001 }, (_, i) => ({ action: 'notification.queued', actor: 'system', at: i }));
    const results = await Promise.allSettled([
      bus.publish({ action: 'notification.accepted', actor: 'system', at: 1, messageId: 'ok-1' }),
      bus.publish(...huge),
      bus.publish({ action: 'notification.accepted', actor: 'system', at: 2, messageId: 'ok-2' }),
    ]);
    assert.equal(results[1].status, 'rejected');
    assert.ok(isTnxError(results[1].reason, 'invalid_request'));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(
      (await f.store.audit.range(1, 10, 10)).map((e) => e.messageId),
      ['ok-1', 'ok-2'],
    );
  });

  it('group commit: when an adapter refuses one publish of a shared append, only that publish fails', async () => {
    // The real store, plus one rule of a stricter adapter: it refuses the message id "poison".
    const strict = {
      ...f.store.audit,
      append: async (events: Parameters<typeof f.store.audit.append>[0]) => {
        if (events.some((e) => e.messageId === 'poison')) throw tnxError('invalid_request', 'refused by the adapter');
        return f.store.audit.append(events);
      },
    };
    const bus = new EventBus();
    attachAuditTrail(bus, strict);
    const results = await Promise.allSettled(
      ['a', 'poison', 'b'].map((messageId, at) =>
        bus.publish({ action: 'notification.accepted', actor: 'system', at, messageId }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(
      (await f.store.audit.range(1, 10, 10)).map((e) => e.messageId),
      ['a', 'b'],
    );
  });

  it('refuses detail values that would not survive the store round trip', () => {
    assert.throws(
      () => checkAuditEvent({ action: 'notification.accepted', actor: 'system', at: 1, detail: { ms: Number.NaN } }),
      refusedAt('/detail/ms'),
    );
    assert.throws(
      () =>
        checkAuditEvent({
          action: 'notification.accepted',
          actor: 'system',
          at: 1,
          detail: { when: new Date(0) },
        }),
      refusedAt('/detail/when'),
    );
    assert.throws(
      () => checkAuditEvent({ action: 'notification.accepted', actor: 'system', at: 1, messageId: 'ü-1' }),
      refusedAt('/messageId'),
    );
  });

  it('lists every action the issue names, each as <entity>.<action>', () => {
    for (const a of [
      'notification.accepted',
      'delivery.attempt',
      'notification.at_risk',
      'message.duplicate',
      'followup.received',
      'update.sent',
      'config.changed',
      'key.retired',
      'input.refused',
      'personal_data.combined',
      'audit.checkpoint',
      'audit.exported',
      'audit.queried',
    ]) {
      assert.ok((AUDIT_ACTIONS as readonly string[]).includes(a), a);
    }
    for (const a of AUDIT_ACTIONS) assert.match(a, /^[a-z_]+\.[a-z_]+$/);
    assert.equal(new Set(AUDIT_ACTIONS).size, AUDIT_ACTIONS.length);
  });
});
