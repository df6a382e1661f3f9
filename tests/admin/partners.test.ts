/** The administrator's partner view: directory entries, key ages, endpoint health from real attempts. */
import assert from 'node:assert/strict';
import type { Principal } from '../../src/core/principal.js';
import { endpointHealth, type AttemptFact } from '../../src/domain/delivery/endpoint-health.js';
import { partnersOverview } from '../../src/features/admin/partners.js';
import { HOURS, settled, storeNotification } from '../delivery/fixture.js';
import { rig, type Rig } from '../delivery/setup.js';

const T = 1_800_000_000_000;
const fact = (minutesAgo: number, outcome: AttemptFact['outcome'], httpStatus: number | null = null): AttemptFact => ({
  at: T - minutesAgo * 60_000,
  outcome,
  httpStatus: httpStatus ?? (outcome === 'delivered' ? 200 : 503),
  error: outcome === 'delivered' ? null : 'http_503',
  durationMs: 100 + minutesAgo,
});

describe('admin: endpoint health from recent attempts', () => {
  const since = T - 24 * 3_600_000;

  it('idle without attempts in the window (older ones do not count)', () => {
    const h = endpointHealth([{ ...fact(0, 'failed'), at: since - 1 }], since);
    assert.equal(h.verdict, 'idle');
    assert.equal(h.successRate, null);
  });

  it('healthy when the latest delivered and at least 90 % did', () => {
    const h = endpointHealth(
      [...Array.from({ length: 9 }, (_, i) => fact(i + 1, 'delivered')), fact(30, 'retry')],
      since,
    );
    assert.equal(h.verdict, 'healthy');
    assert.equal(h.successRate, 0.9);
    assert.equal(h.lastSuccessAt, T - 60_000);
    assert.deepEqual(h.lastFailure, { at: T - 30 * 60_000, httpStatus: 503, error: 'http_503' });
    assert.equal(h.failingStreak, 0);
  });

  it('degraded when it answers now after many failures, or fails now after a success', () => {
    assert.equal(endpointHealth([fact(1, 'delivered'), fact(2, 'retry'), fact(3, 'retry')], since).verdict, 'degraded');
    const h = endpointHealth([fact(1, 'retry'), fact(2, 'delivered')], since);
    assert.equal(h.verdict, 'degraded');
    assert.equal(h.failingStreak, 1);
  });

  it('failing after three failures in a row, or when nothing delivered', () => {
    const h = endpointHealth([fact(1, 'retry'), fact(2, 'retry'), fact(3, 'failed'), fact(4, 'delivered')], since);
    assert.equal(h.verdict, 'failing');
    assert.equal(h.failingStreak, 3);
    assert.equal(endpointHealth([fact(1, 'failed', 400)], since).verdict, 'failing');
    assert.equal(
      endpointHealth([fact(1, 'delivered'), fact(5, 'delivered'), fact(9, 'retry')], since).medianDurationMs,
      105,
    );
  });
});

describe('admin: partners overview on a real delivery', function () {
  this.timeout(30_000);
  let r: Rig;
  const admin: Principal = { id: 'admin', role: 'admin' };
  afterEach(async () => {
    await r?.teardown();
  });

  it('lists each directory entry with its keys and ages, and the health its attempts show', async () => {
    r = await rig();
    r.receiver!.answer = (n) => (n < 2 ? { status: 503 } : 'ok');
    const before = await partnersOverview(r.ctx, admin);
    const gbr0 = before.partners.find((p) => p.state === 'GBR')!;
    assert.equal(gbr0.health.verdict, 'idle');
    assert.ok(gbr0.keys.length > 0);
    assert.ok(gbr0.endpoint?.endsWith('/tnx/v1/messages'));

    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    assert.equal((await settled(r.ctx, rec.id)).state, 'delivered');

    const after = await partnersOverview(r.ctx, admin);
    const gbr = after.partners.find((p) => p.state === 'GBR')!;
    assert.equal(gbr.health.attempts, 3);
    assert.equal(gbr.health.delivered, 1);
    assert.equal(gbr.health.verdict, 'degraded', 'answers now, but two of three attempts failed');
    assert.equal(gbr.health.lastFailure?.httpStatus, 503);
    assert.ok(gbr.health.lastSuccessAt! >= gbr.health.lastFailure!.at);
    for (const k of gbr.keys) {
      if (k.created === null) assert.equal(k.ageDays, null);
      else assert.equal(k.ageDays, Math.floor((Date.now() - Date.parse(k.created)) / 86_400_000));
    }
    const q = await r.ctx.store.audit.query({ action: 'audit.queried', actor: 'admin' }, { limit: 10 });
    assert.ok(q.items.some((e) => (e.detail as { view?: string }).view === 'partners'));
  });
});
