/** Conformance: inbound messages, de-duplication by (iss, jti), lists. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { InboundRecord, Store } from '../../../src/ports/store/index.js';
import { code, newInbound, shuffle, type ConformanceContext } from './fixtures.js';

export function inboundConformance(ctx: ConformanceContext): void {
  describe('inbound', () => {
    let store: Store;
    before(() => {
      store = ctx.store();
    });

    it('stores a message once per (iss, jti) and returns the first record (and receipt bytes) on a duplicate', async () => {
      const rec = newInbound();
      const first = await store.inbound.insertOnce(rec);
      assert.equal(first.created, true);
      assert.deepEqual(first.record, rec);
      const dup = await store.inbound.insertOnce({
        ...rec,
        id: randomUUID(),
        receiptJws: 'other.receipt.jws',
        receivedAt: rec.receivedAt + 5,
      });
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
      const [s1, s2] = [await ctx.another(), await ctx.another()];
      const results = await Promise.all([
        s1.inbound.insertOnce(rec),
        s2.inbound.insertOnce({ ...rec, id: randomUUID() }),
      ]);
      assert.equal(results.filter((r) => r.created).length, 1);
      assert.equal(results[0]?.record.id, results[1]?.record.id);
    });

    it('lists newest first with filters and cursor pages', async () => {
      const notificationId = `in-${randomUUID()}`;
      const base = 1_750_000_000_000;
      const recs = Array.from({ length: 11 }, (_, i) =>
        newInbound({ notificationId, receivedAt: base + Math.floor(i / 2), iss: i < 4 ? 'ESP' : 'FRA' }),
      );
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
      assert.equal(
        (await store.inbound.list({ notificationId, messageType: 'FollowUpReport' }, { limit: 10 })).items.length,
        0,
      );
    });

    it('refuses a malformed record and stores nothing', async () => {
      const rec = { ...newInbound(), iss: 'nope' };
      await assert.rejects(store.inbound.insertOnce(rec), code('invalid_request'));
      assert.equal(await store.inbound.get(rec.id), null);
      const extra = { ...newInbound(), note: 'x' } as InboundRecord;
      await assert.rejects(store.inbound.insertOnce(extra), code('invalid_request'));
      assert.equal(await store.inbound.get(extra.id), null);
    });
  });
}
