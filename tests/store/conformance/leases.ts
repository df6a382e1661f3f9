/** Conformance: leases for electing one process (e.g. the audit sealer). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Store } from '../../../src/ports/store/index.js';
import type { ConformanceContext } from './fixtures.js';

export function leaseConformance(ctx: ConformanceContext): void {
  describe('leases', () => {
    let store: Store;
    before(() => {
      store = ctx.store();
    });

    it('admits one holder at a time; expiry or release lets the other in', async () => {
      const name = `lease-${randomUUID()}`;
      const other = await ctx.another();
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
      const candidates = [store, await ctx.another(), await ctx.another()];
      const won = await Promise.all(candidates.map((s, i) => s.kv.acquireLease(name, `H${i}`, 5000, 42)));
      assert.equal(won.filter(Boolean).length, 1);
    });
  });
}
