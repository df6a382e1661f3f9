/** Conformance: the hash-chained audit trail, concurrent appenders, queries, checkpoints. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, chainHash } from '../../../src/domain/audit/chain.js';
import type { AuditEvent, Store } from '../../../src/ports/store/index.js';
import { code, tagName, type ConformanceContext } from './fixtures.js';

export function auditConformance(ctx: ConformanceContext): void {
  describe('audit trail', () => {
    let store: Store;
    before(() => {
      store = ctx.store();
    });

    it('appends in order with gapless seq and hashes that chainHash reproduces', async () => {
      const tag = tagName();
      const before = await store.audit.head();
      const countBefore = await store.audit.count();
      const one = await store.audit.append([{ action: `${tag}.one`, actor: 'system', at: 1000 }]);
      const batch = await store.audit.append([
        {
          action: `${tag}.two`,
          actor: 'tok-1',
          at: 1001,
          messageId: 'm-1',
          partner: 'FRA',
          outcome: 'ok',
          detail: { b: 2, a: [1, { z: null }] },
        },
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
        [
          { action: `${tag}.ok`, actor: 'system', at: 1 },
          { action: 'NoDot', actor: 'system', at: 2 },
        ],
        [{ action: `${tag}.ok`, actor: 'system', at: 1.5 }],
        [{ action: `${tag}.ok`, actor: 'system', at: 1, detail: { when: new Date(0) } as Record<string, unknown> }],
        [{ action: `${tag}.ok`, actor: 'system', at: 1, partner: 'france' }],
      ];
      for (const events of bad) await assert.rejects(store.audit.append(events), code('invalid_request'));
      assert.deepEqual(await store.audit.head(), head);
    });

    it('keeps one valid chain when several instances append concurrently', async () => {
      const tag = tagName();
      const instances = [store, await ctx.another(), await ctx.another(), await ctx.another()];
      const returned: AuditEvent[] = [];
      await Promise.all(
        instances.map(async (s, k) => {
          for (let i = 0; i < 15; i++) {
            const n = (i % 3) + 1;
            const events = Array.from({ length: n }, (_, j) => ({
              action: `${tag}.w${k}`,
              actor: `worker-${k}`,
              at: 5000 + i,
              detail: { i, j },
            }));
            const got = await s.audit.append(events);
            // a batch is contiguous in the chain
            got.forEach((e, j) => assert.equal(e.seq, got[0]!.seq + j));
            returned.push(...got);
          }
        }),
      );
      const seqs = returned.map((e) => e.seq).sort((a, b) => a - b);
      assert.equal(new Set(seqs).size, seqs.length, 'no seq handed out twice');
      await verifyWholeChain(store);
      for (const e of returned) assert.deepEqual((await store.audit.range(e.seq, e.seq, 1))[0], e);
    });

    it('queries by message, partner, action, actor and time range, newest first, with cursors', async () => {
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
      assert.deepEqual(
        seen,
        newestFirst.filter((e) => e.messageId === messageId).map((e) => e.seq),
      );

      const odd = await store.audit.query({ action: `${tag}.odd` }, { limit: 100 });
      assert.deepEqual(
        odd.items.map((e) => e.seq),
        newestFirst.filter((e) => e.action === `${tag}.odd`).map((e) => e.seq),
      );
      const alice = await store.audit.query({ actor: `${tag}-alice`, partner: 'NLD' }, { limit: 100 });
      assert.deepEqual(
        alice.items.map((e) => e.seq),
        newestFirst.filter((e) => e.actor === `${tag}-alice` && e.partner === 'NLD').map((e) => e.seq),
      );
      const timed = await store.audit.query({ actor: `${tag}-bob`, from: 9_000_006, to: 9_000_010 }, { limit: 100 });
      assert.deepEqual(
        timed.items.map((e) => e.at),
        [9_000_009, 9_000_008, 9_000_007, 9_000_006],
      );
      const combined = await store.audit.query({ messageId, action: `${tag}.even`, actor: `${tag}-bob` }, { limit: 2 });
      assert.equal(combined.items.length, 2);
      assert.ok(combined.next);
      const rest = await store.audit.query(
        { messageId, action: `${tag}.even`, actor: `${tag}-bob` },
        { limit: 2, cursor: combined.next },
      );
      assert.deepEqual(
        rest.items.map((e) => e.at),
        [9_000_006],
      );
      assert.equal(rest.next, null);
      await assert.rejects(
        store.audit.query({}, { limit: 5, cursor: 'WyJ0IiwxLCJ4Il0' }),
        code('invalid_request'),
        'a time cursor',
      );
    });

    it('orders a filtered query by (at, seq) newest first, pages it with (at, seq) cursors, the whole trail by seq, refuses a cursor of the other ordering', async () => {
      const tag = tagName();
      // Event times out of chain order (clocks of several processes differ) and ties on `at`.
      const ats = [
        7_000_050, 7_000_010, 7_000_030, 7_000_030, 7_000_020, 7_000_030, 7_000_040, 7_000_005, 7_000_060, 7_000_030,
      ];
      const stored = await store.audit.append(
        ats.map((at, i) => ({
          action: `${tag}.${i % 2 ? 'odd' : 'even'}`,
          actor: `${tag}-carol`,
          at,
          partner: i % 3 === 0 ? 'NLD' : 'BEL',
          messageId: null,
        })),
      );
      const byTime = (xs: typeof stored) => [...xs].sort((a, b) => b.at - a.at || b.seq - a.seq).map((e) => e.seq);
      const inRange = stored.filter((e) => e.at >= 7_000_010 && e.at < 7_000_060);
      const pageThrough = async (filter: Parameters<typeof store.audit.query>[0], limit: number) => {
        const seen: number[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.audit.query(filter, { limit, cursor });
          seen.push(...page.items.map((e) => e.seq));
          cursor = page.next;
        } while (cursor !== null && seen.length < 100);
        return seen;
      };
      // pages of 2 split the tie at 7_000_030 across pages: nothing repeated, nothing skipped
      assert.deepEqual(
        await pageThrough({ actor: `${tag}-carol`, from: 7_000_010, to: 7_000_060 }, 2),
        byTime(inRange),
      );
      assert.deepEqual(
        await pageThrough({ actor: `${tag}-carol`, to: 7_000_060 }, 3),
        byTime(stored.filter((e) => e.at < 7_000_060)),
      );
      assert.deepEqual(
        await pageThrough({ actor: `${tag}-carol`, from: 7_000_030 }, 1),
        byTime(stored.filter((e) => e.at >= 7_000_030)),
      );
      assert.deepEqual(
        await pageThrough(
          { actor: `${tag}-carol`, action: `${tag}.even`, partner: 'NLD', from: 7_000_000, to: 7_000_100 },
          1,
        ),
        byTime(stored.filter((e) => e.action === `${tag}.even` && e.partner === 'NLD')),
      );
      // an equality filter without a time range: the same (at, seq) order
      assert.deepEqual(await pageThrough({ actor: `${tag}-carol` }, 4), byTime(stored));
      // only the whole trail, unfiltered, comes in chain order
      const whole = await store.audit.query({}, { limit: 3 });
      assert.deepEqual(
        whole.items.map((e) => e.seq),
        [...stored]
          .reverse()
          .slice(0, 3)
          .map((e) => e.seq),
        'our events are the newest',
      );

      const filtered = await store.audit.query({ actor: `${tag}-carol` }, { limit: 2 });
      assert.ok(filtered.next && whole.next);
      await assert.rejects(
        store.audit.query({}, { limit: 2, cursor: filtered.next }),
        code('invalid_request'),
        'time cursor, no filter',
      );
      await assert.rejects(
        store.audit.query({ actor: `${tag}-carol`, to: 7_000_100 }, { limit: 2, cursor: whole.next }),
        code('invalid_request'),
        'seq cursor, filter',
      );
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
      assert.deepEqual(
        cps.find((c) => c.seq === head.seq && c.at === 20),
        { seq: head.seq, headHash: head.hash, jws, at: 20 },
      );
      await assert.rejects(
        store.audit.saveCheckpoint({ seq: 1, headHash: 'xyz', jws, at: 1 }),
        code('invalid_request'),
      );
      await assert.rejects(
        store.audit.saveCheckpoint({ seq: 1, headHash: head.hash, jws: 'not a jws', at: 1 }),
        code('invalid_request'),
      );
      assert.equal((await store.audit.listCheckpoints()).length, before + 2);
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
