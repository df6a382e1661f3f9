/**
 * The one conformance suite every store adapter passes (bullmq tests/adapter-conformance.test.ts).
 * Adding an adapter means running this, nothing else.
 *
 * `open()` must return a NEW store instance (its own connection) on the SAME database each time it
 * is called, so the suite can race several instances against each other. Tests share that database:
 * each uses its own ids / notification ids / actions and filters on them, never assuming it is alone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, chainHash } from '../../src/audit/chain.js';
import { isTnxError } from '../../src/errors.js';
import type { TnxMessage } from '../../src/protocol/types.js';
import type { AuditEvent, InboundRecord, NewOutbound, OutboundRecord, Store } from '../../src/store/port.js';

export function runStoreConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, function () {
    this.timeout(60_000);
    const opened: Store[] = [];
    let store: Store;
    const another = async (): Promise<Store> => {
      const s = await open();
      opened.push(s);
      return s;
    };

    before(async () => {
      store = await another();
    });
    after(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    // ------------------------------------------------------------------------------------------
    describe('outbound', () => {
      it('inserts, reads back every field, and answers ping', async () => {
        await store.ping();
        const rec = newOutbound({ departureAt: 1_900_000_000_000, source: 'self_report' });
        const { record, created } = await store.outbound.insert(rec);
        assert.equal(created, true);
        assert.deepEqual(pick(record, Object.keys(rec) as (keyof OutboundRecord)[]), rec);
        assert.equal(record.version, 1);
        assert.equal(record.attempts, 0);
        assert.equal(record.jwe, null);
        assert.deepEqual(await store.outbound.get(rec.id), record);
        assert.equal(await store.outbound.get(`missing-${randomUUID()}`), null);
      });

      it('returns the first record on an idempotency-key clash, per submitter', async () => {
        const key = `key-${randomUUID()}`;
        const first = newOutbound({ submittedBy: 'tok-a', idempotencyKey: key });
        const again = newOutbound({ submittedBy: 'tok-a', idempotencyKey: key, requestHash: 'other' });
        const otherSubmitter = newOutbound({ submittedBy: 'tok-b', idempotencyKey: key });
        assert.equal((await store.outbound.insert(first)).created, true);
        const clash = await store.outbound.insert(again);
        assert.equal(clash.created, false);
        assert.equal(clash.record.id, first.id);
        assert.equal(clash.record.requestHash, first.requestHash);
        assert.equal(await store.outbound.get(again.id), null, 'the loser is not stored');
        assert.equal((await store.outbound.insert(otherSubmitter)).created, true);
        assert.equal((await store.outbound.findByIdempotencyKey('tok-a', key))?.id, first.id);
        assert.equal((await store.outbound.findByIdempotencyKey('tok-b', key))?.id, otherSubmitter.id);
        assert.equal(await store.outbound.findByIdempotencyKey('tok-c', key), null);
      });

      it('allows any number of records without an idempotency key', async () => {
        const a = newOutbound({ submittedBy: 'tok-n', idempotencyKey: null });
        const b = newOutbound({ submittedBy: 'tok-n', idempotencyKey: null });
        assert.equal((await store.outbound.insert(a)).created, true);
        assert.equal((await store.outbound.insert(b)).created, true);
      });

      it('refuses a second record with an existing id (conflict) and keeps the first', async () => {
        const a = newOutbound();
        await store.outbound.insert(a);
        await assert.rejects(store.outbound.insert({ ...a, idempotencyKey: `k-${randomUUID()}`, partner: 'ZZZ' }), code('conflict'));
        assert.equal((await store.outbound.get(a.id))?.partner, a.partner);
      });

      it('lets exactly one of two concurrent inserts with the same key create', async () => {
        const key = `race-${randomUUID()}`;
        const [s1, s2] = [await another(), await another()];
        const results = await Promise.all([
          s1.outbound.insert(newOutbound({ idempotencyKey: key })),
          s2.outbound.insert(newOutbound({ idempotencyKey: key })),
        ]);
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal(results[0]?.record.id, results[1]?.record.id);
      });

      it('refuses bad input with invalid_request and stores nothing', async () => {
        const bad = [
          { ...newOutbound(), partner: 'fr' },
          { ...newOutbound(), state: 'delivered' },
          { ...newOutbound(), messageType: 'Receipt' },
          { ...newOutbound(), createdAt: 1.5 },
          { ...newOutbound(), message: 'not an object' },
        ] as unknown as NewOutbound[];
        for (const rec of bad) {
          await assert.rejects(store.outbound.insert(rec), code('invalid_request'));
          assert.equal(await store.outbound.get(rec.id), null);
        }
      });

      it('transitions conditionally: wrong from-state → null, patch applied, version and updatedAt bumped', async () => {
        const { record } = await store.outbound.insert(newOutbound());
        assert.equal(await store.outbound.transition(record.id, ['queued', 'retrying'], 'delivering'), null);
        assert.equal(await store.outbound.transition(`missing-${randomUUID()}`, ['accepted'], 'queued'), null);
        const queued = await store.outbound.transition(record.id, ['accepted'], 'queued', { queuedAt: 123, jti: 'jti-1' });
        assert.ok(queued);
        assert.equal(queued.state, 'queued');
        assert.equal(queued.queuedAt, 123);
        assert.equal(queued.jti, 'jti-1');
        assert.equal(queued.version, record.version + 1);
        assert.ok(queued.updatedAt >= record.updatedAt);
        assert.equal(queued.jwe, null, 'fields not in the patch are untouched');
        const delivered = await store.outbound.transition(record.id, ['queued'], 'delivered', {
          deliveredAt: 1_000, receiptJws: 'a.b.c', receiptDigest: 'd', leadTimeSeconds: 86_400.5, timeliness: 'on_time',
          lastError: null, message: { type: 'TravelNotification', changed: true } as unknown as TnxMessage,
        });
        assert.ok(delivered);
        assert.equal(delivered.leadTimeSeconds, 86_400.5);
        assert.equal(delivered.timeliness, 'on_time');
        assert.deepEqual(delivered.message, { type: 'TravelNotification', changed: true });
        assert.deepEqual(await store.outbound.get(record.id), delivered);
        await assert.rejects(store.outbound.transition(record.id, ['delivered'], 'bogus' as never), code('invalid_request'));
        await assert.rejects(store.outbound.transition(record.id, [], 'failed'), code('invalid_request'));
        await assert.rejects(
          store.outbound.transition(record.id, ['delivered'], 'failed', { state: 'x' } as never),
          code('invalid_request'),
          'state is not a patchable field',
        );
        await assert.rejects(store.outbound.transition(record.id, ['delivered'], 'failed', { deliveredAt: 1.5 }), code('invalid_request'));
        assert.deepEqual(await store.outbound.get(record.id), delivered, 'refused transitions change nothing');
      });

      it('lets exactly one of two concurrent transitions (two instances) win', async () => {
        const { record } = await store.outbound.insert(newOutbound());
        const [s1, s2] = [await another(), await another()];
        const results = await Promise.all([
          s1.outbound.transition(record.id, ['accepted'], 'queued'),
          s2.outbound.transition(record.id, ['accepted'], 'cancelled'),
        ]);
        const winners = results.filter((r) => r !== null);
        assert.equal(winners.length, 1);
        assert.equal((await store.outbound.get(record.id))?.state, winners[0]?.state);
        assert.equal((await store.outbound.get(record.id))?.version, 2);
      });

      it('updates only with the current version', async () => {
        const { record } = await store.outbound.insert(newOutbound());
        const u = await store.outbound.update(record.id, record.version, { attempts: 1, lastError: 'ECONNREFUSED' });
        assert.ok(u);
        assert.equal(u.attempts, 1);
        assert.equal(u.lastError, 'ECONNREFUSED');
        assert.equal(u.state, 'accepted');
        assert.equal(u.version, record.version + 1);
        assert.equal(await store.outbound.update(record.id, record.version, { attempts: 9 }), null, 'stale version loses');
        assert.equal((await store.outbound.get(record.id))?.attempts, 1);
        const [a, b] = await Promise.all([
          store.outbound.update(record.id, u.version, { attempts: 2 }),
          (await another()).outbound.update(record.id, u.version, { attempts: 3 }),
        ]);
        assert.equal([a, b].filter((x) => x !== null).length, 1);
      });

      it('lists newest first with filters, and pages by cursor without duplicates or gaps', async () => {
        const notificationId = `n-${randomUUID()}`;
        const base = 1_700_000_000_000;
        const recs: NewOutbound[] = [];
        // 23 records, several sharing one createdAt (the id breaks the tie), two partners.
        for (let i = 0; i < 23; i++) {
          recs.push(newOutbound({ notificationId, createdAt: base + Math.floor(i / 3) * 1000, partner: i % 2 ? 'FRA' : 'DEU' }));
        }
        for (const r of shuffle(recs)) await store.outbound.insert(r);
        const expected = [...recs].sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0));

        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await store.outbound.list({ notificationId }, { limit: 5, cursor });
          assert.ok(page.items.length <= 5);
          seen.push(...page.items.map((r) => r.id));
          cursor = page.next;
          pages += 1;
        } while (cursor !== null && pages < 20);
        assert.deepEqual(seen, expected.map((r) => r.id), 'newest first, every record exactly once');
        assert.equal(pages, 5);

        const fra = await store.outbound.list({ notificationId, partner: 'FRA' }, { limit: 100 });
        assert.deepEqual(fra.items.map((r) => r.id), expected.filter((r) => r.partner === 'FRA').map((r) => r.id));
        assert.equal(fra.next, null);

        const windowed = await store.outbound.list({ notificationId, from: base + 2000, to: base + 4000 }, { limit: 100 });
        assert.deepEqual(
          windowed.items.map((r) => r.id),
          expected.filter((r) => r.createdAt >= base + 2000 && r.createdAt < base + 4000).map((r) => r.id),
        );
        assert.equal(windowed.items.length, 6);

        const moved = expected[0] as NewOutbound;
        await store.outbound.transition(moved.id, ['accepted'], 'queued');
        const queued = await store.outbound.list({ notificationId, state: 'queued' }, { limit: 100 });
        assert.deepEqual(queued.items.map((r) => r.id), [moved.id]);
        const either = await store.outbound.list({ notificationId, state: ['queued', 'accepted'] }, { limit: 100 });
        assert.equal(either.items.length, 23);
        const byType = await store.outbound.list({ notificationId, messageType: 'TravelUpdate' }, { limit: 100 });
        assert.equal(byType.items.length, 0);

        await assert.rejects(store.outbound.list({}, { limit: 5, cursor: 'not-a-cursor!' }), code('invalid_request'));
        await assert.rejects(store.outbound.list({}, { limit: 5, cursor: 'WyJzIiwyXQ' }), code('invalid_request'), 'a seq cursor');
        await assert.rejects(store.outbound.list({}, { limit: 0 }), code('invalid_request'));
      });

      it('lists the outbox (accepted, older than, oldest first)', async () => {
        const t = 1_100_000_000_000 + Math.floor(Math.random() * 1e9);
        const old1 = newOutbound({ createdAt: t });
        const old2 = newOutbound({ createdAt: t + 10 });
        const fresh = newOutbound({ createdAt: t + 10_000 });
        const moved = newOutbound({ createdAt: t + 5 });
        const manual = newOutbound({ createdAt: t + 1, state: 'no_channel' });
        for (const r of [old2, fresh, old1, moved, manual]) await store.outbound.insert(r);
        await store.outbound.transition(moved.id, ['accepted'], 'queued');
        const due = await store.outbound.listAccepted(t + 1000, 10_000);
        assert.ok(due.every((r) => r.state === 'accepted' && r.createdAt < t + 1000));
        const mine = due.map((r) => r.id).filter((id) => [old1.id, old2.id, fresh.id, moved.id, manual.id].includes(id));
        assert.deepEqual(mine, [old1.id, old2.id]);
        for (let i = 1; i < due.length; i++) assert.ok((due[i - 1] as OutboundRecord).createdAt <= (due[i] as OutboundRecord).createdAt);
        assert.ok((await store.outbound.listAccepted(t + 1000, 1)).length <= 1);
      });

      it('lists at-risk records: live, not alerted, departing before the horizon', async () => {
        const dep = 2_100_000_000_000 + Math.floor(Math.random() * 1e9);
        const soon = newOutbound({ departureAt: dep });
        const sooner = newOutbound({ departureAt: dep - 100 });
        const later = newOutbound({ departureAt: dep + 10_000_000 });
        const delivered = newOutbound({ departureAt: dep });
        const alerted = newOutbound({ departureAt: dep });
        const noDeparture = newOutbound({ departureAt: null });
        for (const r of [soon, sooner, later, delivered, alerted, noDeparture]) await store.outbound.insert(r);
        await store.outbound.transition(delivered.id, ['accepted'], 'delivered');
        const a = await store.outbound.get(alerted.id);
        await store.outbound.update(alerted.id, a?.version ?? 0, { atRiskAlertedAt: 1 });
        await store.outbound.transition(soon.id, ['accepted'], 'retrying');
        const mineIds = [soon.id, sooner.id, later.id, delivered.id, alerted.id, noDeparture.id];
        const risk = (await store.outbound.listAtRisk(dep + 1, 10_000)).filter((r) => mineIds.includes(r.id));
        assert.deepEqual(risk.map((r) => r.id), [sooner.id, soon.id], 'earliest departure first');
      });

      it('records delivery attempts, idempotently, only for known messages', async () => {
        const { record } = await store.outbound.insert(newOutbound());
        await store.outbound.addAttempt({ messageId: record.id, attempt: 2, startedAt: 20, durationMs: 5.5, httpStatus: null, error: 'ECONNREFUSED', outcome: 'retry' });
        await store.outbound.addAttempt({ messageId: record.id, attempt: 1, startedAt: 10, durationMs: 12, httpStatus: 503, error: 'service_unavailable', outcome: 'retry' });
        await store.outbound.addAttempt({ messageId: record.id, attempt: 3, startedAt: 30, durationMs: 8, httpStatus: 200, error: null, outcome: 'delivered' });
        // At-least-once job delivery may record the same attempt twice: the first record stands.
        await store.outbound.addAttempt({ messageId: record.id, attempt: 3, startedAt: 31, durationMs: 9, httpStatus: 500, error: 'x', outcome: 'retry' });
        const attempts = await store.outbound.listAttempts(record.id);
        assert.deepEqual(attempts, [
          { messageId: record.id, attempt: 1, startedAt: 10, durationMs: 12, httpStatus: 503, error: 'service_unavailable', outcome: 'retry' },
          { messageId: record.id, attempt: 2, startedAt: 20, durationMs: 5.5, httpStatus: null, error: 'ECONNREFUSED', outcome: 'retry' },
          { messageId: record.id, attempt: 3, startedAt: 30, durationMs: 8, httpStatus: 200, error: null, outcome: 'delivered' },
        ]);
        assert.deepEqual(await store.outbound.listAttempts(`missing-${randomUUID()}`), []);
        await assert.rejects(
          store.outbound.addAttempt({ messageId: `missing-${randomUUID()}`, attempt: 1, startedAt: 1, durationMs: 1, httpStatus: 200, error: null, outcome: 'delivered' }),
          code('not_found'),
        );
        await assert.rejects(
          store.outbound.addAttempt({ messageId: record.id, attempt: 0, startedAt: 1, durationMs: 1, httpStatus: 200, error: null, outcome: 'delivered' }),
          code('invalid_request'),
        );
      });
    });

    // ------------------------------------------------------------------------------------------
    describe('inbound', () => {
      it('stores a message once per (iss, jti) and returns the first record (and receipt bytes) on a duplicate', async () => {
        const rec = newInbound();
        const first = await store.inbound.insertOnce(rec);
        assert.equal(first.created, true);
        assert.deepEqual(first.record, rec);
        const dup = await store.inbound.insertOnce({ ...rec, id: randomUUID(), receiptJws: 'other.receipt.jws', receivedAt: rec.receivedAt + 5 });
        assert.equal(dup.created, false);
        assert.deepEqual(dup.record, rec);
        const otherSender = await store.inbound.insertOnce({ ...rec, id: randomUUID(), iss: 'DEU' });
        assert.equal(otherSender.created, true, 'the same jti from another sender is another message');
        assert.deepEqual(await store.inbound.get(rec.id), rec);
        assert.deepEqual(await store.inbound.getByJti(rec.iss, rec.jti), rec);
        assert.equal(await store.inbound.getByJti('ITA', rec.jti), null);
      });

      it('de-duplicates concurrent deliveries of the same message to two instances', async () => {
        const rec = newInbound();
        const [s1, s2] = [await another(), await another()];
        const results = await Promise.all([s1.inbound.insertOnce(rec), s2.inbound.insertOnce({ ...rec, id: randomUUID() })]);
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal(results[0]?.record.id, results[1]?.record.id);
      });

      it('lists newest first with filters and cursor pages', async () => {
        const notificationId = `in-${randomUUID()}`;
        const base = 1_750_000_000_000;
        const recs = Array.from({ length: 11 }, (_, i) =>
          newInbound({ notificationId, receivedAt: base + Math.floor(i / 2), iss: i < 4 ? 'ESP' : 'FRA' }));
        for (const r of shuffle(recs)) await store.inbound.insertOnce(r);
        const expected = [...recs].sort((a, b) => b.receivedAt - a.receivedAt || (b.id < a.id ? -1 : 1)).map((r) => r.id);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.inbound.list({ notificationId }, { limit: 4, cursor });
          seen.push(...page.items.map((r) => r.id));
          cursor = page.next;
        } while (cursor !== null && seen.length < 100);
        assert.deepEqual(seen, expected);
        const esp = await store.inbound.list({ notificationId, iss: 'ESP' }, { limit: 100 });
        assert.equal(esp.items.length, 4);
        const ranged = await store.inbound.list({ notificationId, from: base + 1, to: base + 3 }, { limit: 100 });
        assert.equal(ranged.items.length, 4);
        assert.equal((await store.inbound.list({ notificationId, messageType: 'FollowUpReport' }, { limit: 10 })).items.length, 0);
      });

      it('refuses a malformed record and stores nothing', async () => {
        const rec = { ...newInbound(), iss: 'nope' };
        await assert.rejects(store.inbound.insertOnce(rec), code('invalid_request'));
        assert.equal(await store.inbound.get(rec.id), null);
      });
    });

    // ------------------------------------------------------------------------------------------
    describe('audit trail', () => {
      it('appends in order with gapless seq and hashes that chainHash reproduces', async () => {
        const tag = tagName();
        const before = await store.audit.head();
        const countBefore = await store.audit.count();
        const one = await store.audit.append([{ action: `${tag}.one`, actor: 'system', at: 1000 }]);
        const batch = await store.audit.append([
          { action: `${tag}.two`, actor: 'tok-1', at: 1001, messageId: 'm-1', partner: 'FRA', outcome: 'ok', detail: { b: 2, a: [1, { z: null }] } },
          { action: `${tag}.three`, actor: 'FRA', at: 1002 },
        ]);
        assert.equal(one.length, 1);
        assert.equal(batch.length, 2);
        const all = [...one, ...batch];
        let prev = before?.hash ?? GENESIS_HASH;
        all.forEach((e, i) => {
          assert.equal(e.seq, (before?.seq ?? 0) + i + 1);
          assert.equal(e.prevHash, prev);
          assert.equal(e.hash, chainHash(prev, e));
          prev = e.hash;
        });
        assert.equal(batch[0]?.messageId, 'm-1');
        assert.equal(one[0]?.messageId, null, 'absent fields are stored as null');
        assert.deepEqual(await store.audit.head(), { seq: (before?.seq ?? 0) + 3, hash: prev });
        assert.equal(await store.audit.count(), countBefore + 3);
        assert.deepEqual(await store.audit.range(all[0]!.seq, all[2]!.seq, 10), all, 'stored exactly as returned');
        assert.deepEqual(await store.audit.range(all[0]!.seq, all[2]!.seq, 2), all.slice(0, 2));
        assert.deepEqual(await store.audit.append([]), []);
        await verifyWholeChain(store);
      });

      it('refuses a bad batch as a whole: nothing of it is appended', async () => {
        const tag = tagName();
        const head = await store.audit.head();
        const bad = [
          [{ action: `${tag}.ok`, actor: 'system', at: 1 }, { action: 'NoDot', actor: 'system', at: 2 }],
          [{ action: `${tag}.ok`, actor: 'system', at: 1.5 }],
          [{ action: `${tag}.ok`, actor: 'system', at: 1, detail: { when: new Date(0) } as Record<string, unknown> }],
          [{ action: `${tag}.ok`, actor: 'system', at: 1, partner: 'france' }],
        ];
        for (const events of bad) await assert.rejects(store.audit.append(events), code('invalid_request'));
        assert.deepEqual(await store.audit.head(), head);
      });

      it('keeps one valid chain when several instances append concurrently', async () => {
        const tag = tagName();
        const instances = [store, await another(), await another(), await another()];
        const returned: AuditEvent[] = [];
        await Promise.all(instances.map(async (s, k) => {
          for (let i = 0; i < 15; i++) {
            const n = (i % 3) + 1;
            const events = Array.from({ length: n }, (_, j) => ({ action: `${tag}.w${k}`, actor: `worker-${k}`, at: 5000 + i, detail: { i, j } }));
            const got = await s.audit.append(events);
            // a batch is contiguous in the chain
            got.forEach((e, j) => assert.equal(e.seq, got[0]!.seq + j));
            returned.push(...got);
          }
        }));
        const seqs = returned.map((e) => e.seq).sort((a, b) => a - b);
        assert.equal(new Set(seqs).size, seqs.length, 'no seq handed out twice');
        await verifyWholeChain(store);
        for (const e of returned) assert.deepEqual((await store.audit.range(e.seq, e.seq, 1))[0], e);
      });

      it('queries by message, partner, action, actor and time range, newest first, with seq cursors', async () => {
        const tag = tagName();
        const messageId = `msg-${randomUUID()}`;
        const events = Array.from({ length: 17 }, (_, i) => ({
          action: i % 2 ? `${tag}.odd` : `${tag}.even`,
          actor: i < 5 ? `${tag}-alice` : `${tag}-bob`,
          at: 9_000_000 + i,
          messageId: i < 12 ? messageId : null,
          partner: i % 3 === 0 ? 'NLD' : 'BEL',
        }));
        const stored = await store.audit.append(events);
        const newestFirst = [...stored].reverse();

        const seen: number[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.audit.query({ messageId }, { limit: 5, cursor });
          seen.push(...page.items.map((e) => e.seq));
          cursor = page.next;
        } while (cursor !== null && seen.length < 100);
        assert.deepEqual(seen, newestFirst.filter((e) => e.messageId === messageId).map((e) => e.seq));

        const odd = await store.audit.query({ action: `${tag}.odd` }, { limit: 100 });
        assert.deepEqual(odd.items.map((e) => e.seq), newestFirst.filter((e) => e.action === `${tag}.odd`).map((e) => e.seq));
        const alice = await store.audit.query({ actor: `${tag}-alice`, partner: 'NLD' }, { limit: 100 });
        assert.deepEqual(alice.items.map((e) => e.seq), newestFirst.filter((e) => e.actor === `${tag}-alice` && e.partner === 'NLD').map((e) => e.seq));
        const timed = await store.audit.query({ actor: `${tag}-bob`, from: 9_000_006, to: 9_000_010 }, { limit: 100 });
        assert.deepEqual(timed.items.map((e) => e.at), [9_000_009, 9_000_008, 9_000_007, 9_000_006]);
        const combined = await store.audit.query({ messageId, action: `${tag}.even`, actor: `${tag}-bob` }, { limit: 2 });
        assert.equal(combined.items.length, 2);
        assert.ok(combined.next);
        const rest = await store.audit.query({ messageId, action: `${tag}.even`, actor: `${tag}-bob` }, { limit: 2, cursor: combined.next });
        assert.deepEqual(rest.items.map((e) => e.at), [9_000_006]);
        assert.equal(rest.next, null);
        await assert.rejects(store.audit.query({}, { limit: 5, cursor: 'WyJ0IiwxLCJ4Il0' }), code('invalid_request'), 'a time cursor');
      });

      it('saves and lists checkpoints in chain order', async () => {
        const head = await store.audit.head();
        assert.ok(head);
        const before = (await store.audit.listCheckpoints()).length;
        const jws = 'eyJhbGciOiJFUzI1NiJ9.eyJzZXEiOjF9.c2ln';
        await store.audit.saveCheckpoint({ seq: head.seq, headHash: head.hash, jws, at: 20 });
        await store.audit.saveCheckpoint({ seq: 1, headHash: GENESIS_HASH.replace(/0/g, 'a'), jws, at: 10 });
        const cps = await store.audit.listCheckpoints();
        assert.equal(cps.length, before + 2);
        for (let i = 1; i < cps.length; i++) assert.ok(cps[i - 1]!.seq <= cps[i]!.seq);
        assert.deepEqual(cps.find((c) => c.seq === head.seq && c.at === 20), { seq: head.seq, headHash: head.hash, jws, at: 20 });
        await assert.rejects(store.audit.saveCheckpoint({ seq: 1, headHash: 'xyz', jws, at: 1 }), code('invalid_request'));
        await assert.rejects(store.audit.saveCheckpoint({ seq: 1, headHash: head.hash, jws: 'not a jws', at: 1 }), code('invalid_request'));
        assert.equal((await store.audit.listCheckpoints()).length, before + 2);
      });
    });

    // ------------------------------------------------------------------------------------------
    describe('leases', () => {
      it('admits one holder at a time; expiry or release lets the other in', async () => {
        const name = `lease-${randomUUID()}`;
        const other = await another();
        const t = 1_000_000;
        assert.equal(await store.kv.acquireLease(name, 'A', 1000, t), true);
        assert.equal(await other.kv.acquireLease(name, 'B', 1000, t + 10), false);
        assert.equal(await store.kv.acquireLease(name, 'A', 1000, t + 500), true, 'renewal');
        assert.equal(await other.kv.acquireLease(name, 'B', 1000, t + 1400), false, 'renewal extended the lease');
        assert.equal(await other.kv.acquireLease(name, 'B', 1000, t + 1500), true, 'expired: B takes over');
        assert.equal(await store.kv.acquireLease(name, 'A', 1000, t + 1600), false);
        await store.kv.releaseLease(name, 'A'); // not the holder: no effect
        assert.equal(await store.kv.acquireLease(name, 'A', 1000, t + 1700), false);
        await other.kv.releaseLease(name, 'B');
        assert.equal(await store.kv.acquireLease(name, 'A', 1000, t + 1800), true);
      });

      it('gives a contested lease to exactly one of several concurrent candidates', async () => {
        const name = `lease-${randomUUID()}`;
        const candidates = [store, await another(), await another()];
        const won = await Promise.all(candidates.map((s, i) => s.kv.acquireLease(name, `H${i}`, 5000, 42)));
        assert.equal(won.filter(Boolean).length, 1);
      });
    });
  });
}

/** Walk the whole chain in batches: seq 1..head gapless, each prevHash links, each hash recomputes. */
export async function verifyWholeChain(store: Store): Promise<number> {
  const head = await store.audit.head();
  if (!head) return 0;
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  while (expectSeq <= head.seq) {
    const batch = await store.audit.range(expectSeq, head.seq, 1000);
    assert.ok(batch.length > 0, `events from seq ${expectSeq} are missing`);
    for (const e of batch) {
      assert.equal(e.seq, expectSeq, 'seq is gapless');
      assert.equal(e.prevHash, prev, `prevHash links at seq ${e.seq}`);
      assert.equal(e.hash, chainHash(prev, e), `hash recomputes at seq ${e.seq}`);
      prev = e.hash;
      expectSeq += 1;
    }
  }
  assert.equal(prev, head.hash);
  assert.equal(await store.audit.count(), head.seq);
  return head.seq;
}

// ------------------------------------------------------------------------------------------------
// fixtures

function newOutbound(over: Partial<NewOutbound> = {}): NewOutbound {
  const id = randomUUID();
  return {
    id,
    messageType: 'TravelNotification',
    notificationId: id,
    partner: 'FRA',
    state: 'accepted',
    submittedBy: 'tok-submitter',
    idempotencyKey: null,
    requestHash: 'h-' + id.slice(0, 8),
    message: { type: 'TravelNotification', notificationId: id } as unknown as TnxMessage,
    source: null,
    departureAt: null,
    createdAt: 1_600_000_000_000,
    ...over,
  };
}

function newInbound(over: Partial<InboundRecord> = {}): InboundRecord {
  const id = randomUUID();
  return {
    id,
    iss: 'FRA',
    jti: randomUUID(),
    messageType: 'TravelNotification',
    notificationId: randomUUID(),
    message: { type: 'TravelNotification', n: 1 } as unknown as TnxMessage,
    digest: 'digest-' + id.slice(0, 8),
    receivedAt: 1_650_000_000_000,
    receiptJws: 'eyJ.receipt.' + id.slice(0, 8),
    departureAt: 1_650_100_000_000,
    ...over,
  };
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Partial<T>;
}

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

function tagName(): string {
  return `conf_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

function code(c: string) {
  return (err: unknown) => {
    assert.ok(isTnxError(err), `expected a TnxError, got ${String(err)}`);
    assert.equal(err.code, c);
    return true;
  };
}
