/** Conformance: outbound messages, transitions, lists, outbox, at-risk, attempts. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TnxMessage } from '../../../src/domain/protocol/types.js';
import type { NewOutbound, OutboundRecord, Store, TimelinessFilter } from '../../../src/ports/store/index.js';
import { code, newOutbound, pick, shuffle, type ConformanceContext } from './fixtures.js';

export function outboundConformance(ctx: ConformanceContext): void {
  describe('outbound', () => {
    let store: Store;
    before(() => {
      store = ctx.store();
    });

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
      await assert.rejects(
        store.outbound.insert({ ...a, idempotencyKey: `k-${randomUUID()}`, partner: 'ZZZ' }),
        code('conflict'),
      );
      assert.equal((await store.outbound.get(a.id))?.partner, a.partner);
    });

    it('lets exactly one of two concurrent inserts with the same key create', async () => {
      const key = `race-${randomUUID()}`;
      const [s1, s2] = [await ctx.another(), await ctx.another()];
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
        { ...newOutbound(), version: 7 },
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
      const queued = await store.outbound.transition(record.id, ['accepted'], 'queued', {
        queuedAt: 123,
        jti: 'jti-1',
      });
      assert.ok(queued);
      assert.equal(queued.state, 'queued');
      assert.equal(queued.queuedAt, 123);
      assert.equal(queued.jti, 'jti-1');
      assert.equal(queued.version, record.version + 1);
      assert.ok(queued.updatedAt >= record.updatedAt);
      assert.equal(queued.jwe, null, 'fields not in the patch are untouched');
      const delivered = await store.outbound.transition(record.id, ['queued'], 'delivered', {
        deliveredAt: 1_000,
        receiptJws: 'a.b.c',
        receiptDigest: 'd',
        leadTimeSeconds: 86_400.5,
        timeliness: 'on_time',
        lastError: null,
        message: { type: 'TravelNotification', changed: true } as unknown as TnxMessage,
      });
      assert.ok(delivered);
      assert.equal(delivered.leadTimeSeconds, 86_400.5);
      assert.equal(delivered.timeliness, 'on_time');
      assert.deepEqual(delivered.message, { type: 'TravelNotification', changed: true });
      assert.deepEqual(await store.outbound.get(record.id), delivered);
      await assert.rejects(
        store.outbound.transition(record.id, ['delivered'], 'bogus' as never),
        code('invalid_request'),
      );
      await assert.rejects(store.outbound.transition(record.id, [], 'failed'), code('invalid_request'));
      await assert.rejects(
        store.outbound.transition(record.id, ['delivered'], 'failed', { state: 'x' } as never),
        code('invalid_request'),
        'state is not a patchable field',
      );
      await assert.rejects(
        store.outbound.transition(record.id, ['delivered'], 'failed', { deliveredAt: 1.5 }),
        code('invalid_request'),
      );
      assert.deepEqual(await store.outbound.get(record.id), delivered, 'refused transitions change nothing');
    });

    it('lets exactly one of two concurrent transitions (two instances) win', async () => {
      const { record } = await store.outbound.insert(newOutbound());
      const [s1, s2] = [await ctx.another(), await ctx.another()];
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
      assert.equal(
        await store.outbound.update(record.id, record.version, { attempts: 9 }),
        null,
        'stale version loses',
      );
      assert.equal((await store.outbound.get(record.id))?.attempts, 1);
      const [a, b] = await Promise.all([
        store.outbound.update(record.id, u.version, { attempts: 2 }),
        (await ctx.another()).outbound.update(record.id, u.version, { attempts: 3 }),
      ]);
      assert.equal([a, b].filter((x) => x !== null).length, 1);
    });

    it('lists newest first with filters, and pages by cursor without duplicates or gaps', async () => {
      const notificationId = `n-${randomUUID()}`;
      const base = 1_700_000_000_000;
      const recs: NewOutbound[] = [];
      // 23 records, several sharing one createdAt (the id breaks the tie), two partners.
      for (let i = 0; i < 23; i++) {
        recs.push(
          newOutbound({ notificationId, createdAt: base + Math.floor(i / 3) * 1000, partner: i % 2 ? 'FRA' : 'DEU' }),
        );
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
      assert.deepEqual(
        seen,
        expected.map((r) => r.id),
        'newest first, every record exactly once',
      );
      assert.equal(pages, 5);

      const fra = await store.outbound.list({ notificationId, partner: 'FRA' }, { limit: 100 });
      assert.deepEqual(
        fra.items.map((r) => r.id),
        expected.filter((r) => r.partner === 'FRA').map((r) => r.id),
      );
      assert.equal(fra.next, null);

      const windowed = await store.outbound.list(
        { notificationId, from: base + 2000, to: base + 4000 },
        { limit: 100 },
      );
      assert.deepEqual(
        windowed.items.map((r) => r.id),
        expected.filter((r) => r.createdAt >= base + 2000 && r.createdAt < base + 4000).map((r) => r.id),
      );
      assert.equal(windowed.items.length, 6);

      const moved = expected[0] as NewOutbound;
      await store.outbound.transition(moved.id, ['accepted'], 'queued');
      const queued = await store.outbound.list({ notificationId, state: 'queued' }, { limit: 100 });
      assert.deepEqual(
        queued.items.map((r) => r.id),
        [moved.id],
      );
      const either = await store.outbound.list({ notificationId, state: ['queued', 'accepted'] }, { limit: 100 });
      assert.equal(either.items.length, 23);
      await store.outbound.transition(moved.id, ['queued'], 'delivered', { timeliness: 'late', deliveredAt: base });
      const late = await store.outbound.list({ notificationId, timeliness: 'late' }, { limit: 100 });
      assert.deepEqual(
        late.items.map((r) => r.id),
        [moved.id],
      );
      assert.equal(
        (await store.outbound.list({ notificationId, timeliness: 'on_time' }, { limit: 100 })).items.length,
        0,
      );
      // `pending` (a departure not final yet) has its own case below: these records carry no departure.
      const byType = await store.outbound.list({ notificationId, messageType: 'TravelUpdate' }, { limit: 100 });
      assert.equal(byType.items.length, 0);

      // By submitter, in the query: full pages of only that submitter's records, newest first.
      const mine: NewOutbound[] = [];
      for (let i = 0; i < 7; i++) {
        const r = newOutbound({ notificationId, createdAt: base + 50_000 + i, submittedBy: 'tok-other' });
        mine.push(r);
        await store.outbound.insert(r);
      }
      const firstPage = await store.outbound.list({ notificationId, submittedBy: 'tok-other' }, { limit: 5 });
      assert.equal(firstPage.items.length, 5, 'a full page');
      const rest = await store.outbound.list(
        { notificationId, submittedBy: 'tok-other' },
        { limit: 5, cursor: firstPage.next },
      );
      assert.deepEqual(
        [...firstPage.items, ...rest.items].map((r) => r.id),
        [...mine].reverse().map((r) => r.id),
        'only that submitter, newest first, every record once',
      );
      assert.equal(rest.next, null);

      await assert.rejects(store.outbound.list({}, { limit: 5, cursor: 'not-a-cursor!' }), code('invalid_request'));
      await assert.rejects(
        store.outbound.list({}, { limit: 5, cursor: 'WyJzIiwyXQ' }),
        code('invalid_request'),
        'a seq cursor',
      );
      await assert.rejects(store.outbound.list({}, { limit: 0 }), code('invalid_request'));
    });

    it('filters the list by timeliness: recorded ones, and pending (departure, not final)', async () => {
      const notificationId = randomUUID();
      const dep = 1_800_000_000_000;
      const rec = (over: Partial<NewOutbound>) => newOutbound({ notificationId, departureAt: dep, ...over });
      const onTime = rec({});
      const late = rec({});
      const queued = rec({});
      const failed = rec({});
      const followUp = rec({ messageType: 'FollowUpReport', departureAt: null });
      for (const r of [onTime, late, queued, failed, followUp]) await store.outbound.insert(r);
      await store.outbound.transition(onTime.id, ['accepted'], 'delivered', {
        timeliness: 'on_time',
        deliveredAt: dep - 1,
      });
      await store.outbound.transition(late.id, ['accepted'], 'delivered', { timeliness: 'late', deliveredAt: dep - 1 });
      await store.outbound.transition(queued.id, ['accepted'], 'queued');
      await store.outbound.transition(failed.id, ['accepted'], 'failed');
      const ids = async (timeliness: TimelinessFilter) =>
        (await store.outbound.list({ notificationId, timeliness }, { limit: 10 })).items.map((r) => r.id).sort();
      assert.deepEqual(await ids('on_time'), [onTime.id]);
      assert.deepEqual(await ids('late'), [late.id]);
      assert.deepEqual(await ids('after_departure'), []);
      assert.deepEqual(await ids('pending'), [queued.id], 'not the failed one, not the follow-up');
      await assert.rejects(
        store.outbound.list({ notificationId, timeliness: 'soon' as TimelinessFilter }, { limit: 10 }),
        code('invalid_request'),
      );
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
      for (let i = 1; i < due.length; i++)
        assert.ok((due[i - 1] as OutboundRecord).createdAt <= (due[i] as OutboundRecord).createdAt);
      assert.ok((await store.outbound.listAccepted(t + 1000, 1)).length <= 1);
      await assert.rejects(store.outbound.listAccepted(Number.NaN, 10), code('invalid_request'));
      await assert.rejects(store.outbound.listAtRisk(Number.POSITIVE_INFINITY, 10), code('invalid_request'));
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
      assert.deepEqual(
        risk.map((r) => r.id),
        [sooner.id, soon.id],
        'earliest departure first',
      );
    });

    it('records delivery attempts, idempotently, only for known messages', async () => {
      const { record } = await store.outbound.insert(newOutbound());
      await store.outbound.addAttempt({
        messageId: record.id,
        attempt: 2,
        startedAt: 20,
        durationMs: 5.5,
        httpStatus: null,
        error: 'ECONNREFUSED',
        outcome: 'retry',
        mayHaveReached: false,
      });
      await store.outbound.addAttempt({
        messageId: record.id,
        attempt: 1,
        startedAt: 10,
        durationMs: 12,
        httpStatus: 503,
        error: 'service_unavailable',
        outcome: 'retry',
        mayHaveReached: true,
      });
      await store.outbound.addAttempt({
        messageId: record.id,
        attempt: 3,
        startedAt: 30,
        durationMs: 8,
        httpStatus: 200,
        error: null,
        outcome: 'delivered',
        mayHaveReached: true,
      });
      // At-least-once job delivery may record the same attempt twice: the first record stands.
      await store.outbound.addAttempt({
        messageId: record.id,
        attempt: 3,
        startedAt: 31,
        durationMs: 9,
        httpStatus: 500,
        error: 'x',
        outcome: 'retry',
        mayHaveReached: true,
      });
      const attempts = await store.outbound.listAttempts(record.id);
      assert.deepEqual(attempts, [
        {
          messageId: record.id,
          attempt: 1,
          startedAt: 10,
          durationMs: 12,
          httpStatus: 503,
          error: 'service_unavailable',
          outcome: 'retry',
          mayHaveReached: true,
        },
        {
          messageId: record.id,
          attempt: 2,
          startedAt: 20,
          durationMs: 5.5,
          httpStatus: null,
          error: 'ECONNREFUSED',
          outcome: 'retry',
          mayHaveReached: false,
        },
        {
          messageId: record.id,
          attempt: 3,
          startedAt: 30,
          durationMs: 8,
          httpStatus: 200,
          error: null,
          outcome: 'delivered',
          mayHaveReached: true,
        },
      ]);
      assert.deepEqual(await store.outbound.listAttempts(`missing-${randomUUID()}`), []);
      await assert.rejects(
        store.outbound.addAttempt({
          messageId: `missing-${randomUUID()}`,
          attempt: 1,
          startedAt: 1,
          durationMs: 1,
          httpStatus: 200,
          error: null,
          outcome: 'delivered',
          mayHaveReached: true,
        }),
        code('not_found'),
      );
      await assert.rejects(
        store.outbound.addAttempt({
          messageId: record.id,
          attempt: 0,
          startedAt: 1,
          durationMs: 1,
          httpStatus: 200,
          error: null,
          outcome: 'delivered',
          mayHaveReached: true,
        }),
        code('invalid_request'),
      );
    });
  });
}
