import { strict as assert } from 'node:assert';
import { HOURS, settled, storeNotification, waitFor } from './fixture.js';
import { rig, type Rig } from './setup.js';

describe('delivery: departure-aware order, at-risk escalation, limits, shutdown', function () {
  this.timeout(20_000);
  let r: Rig | null = null;
  afterEach(async () => {
    await r?.teardown();
    r = null;
  });

  it('works a backlog in departure order, nearest first, whatever the enqueue order', async () => {
    r = await rig({ worker: { autorun: false, concurrency: 1 } });
    const now = Date.now();
    // Shuffled departures from 1 h to 12 days ahead, plus one already departed.
    const offsets = [200, 3, 27, 1, 96, 50, 6, -2, 288, 12, 30];
    const recs = [];
    for (const h of offsets) recs.push(await storeNotification(r.ctx, now + h * HOURS));
    for (const rec of recs) await r.queue.enqueue(rec);
    assert.equal(await r.queue.depth(), offsets.length);
    r.worker.run();
    for (const rec of recs) await settled(r.ctx, rec.id);
    const expected = [...recs].sort((a, b) => a.departureAt! - b.departureAt!).map((x) => x.id);
    assert.deepEqual(r.receiver!.opened, expected);
  });

  it('raises the at-risk alert once, even with two scanning processes, and not for delivered ones', async () => {
    r = await rig({ worker: { autorun: false } });
    const soon = await storeNotification(r.ctx, Date.now() + 3 * HOURS);
    const far = await storeNotification(r.ctx, Date.now() + 72 * HOURS);
    // A second worker process sharing the store and Redis: its scan must not alert again.
    const { startDeliveryWorker } = await import('../../src/features/delivery/worker.js');
    const other = startDeliveryWorker(r.ctx, {
      queue: r.queue,
      autorun: false,
      atRiskScanIntervalMs: 0,
      depthIntervalMs: 0,
    });
    try {
      const [a, b] = await Promise.all([r.worker.scanAtRisk(), other.scanAtRisk()]);
      assert.deepEqual([...a, ...b], [soon.id], 'exactly one alert, for the notification within 24 h');
      assert.deepEqual(await r.worker.scanAtRisk(), [], 'fires once');
      assert.deepEqual(await other.scanAtRisk(), []);
    } finally {
      await other.close();
    }
    const rec = await r.ctx.store.outbound.get(soon.id);
    assert.ok(rec!.atRiskAlertedAt);
    assert.equal((await r.ctx.store.outbound.get(far.id))!.atRiskAlertedAt, null);
    const audit = await r.ctx.store.audit.query({ action: 'notification.at_risk' }, { limit: 10 });
    assert.deepEqual(
      audit.items.map((e) => e.messageId),
      [soon.id],
    );
    assert.match(await r.ctx.metrics.text(), /tnx_alerts_total\{kind="at_risk"\} 1/);
    const line = r.logs.find((l) => l.alert === 'at_risk');
    assert.equal(line?.level, 50);
    // Delivered notifications are not at risk.
    const delivered = await storeNotification(r.ctx, Date.now() + 2 * HOURS);
    await r.queue.enqueue(delivered);
    r.worker.run();
    await settled(r.ctx, delivered.id);
    assert.deepEqual(await r.worker.scanAtRisk(), []);
  });

  it('publishes the queue depth (waiting + delayed) as tnx_queue_depth', async () => {
    r = await rig({ worker: { autorun: false, depthIntervalMs: 20 } });
    for (let i = 0; i < 3; i += 1) await r.queue.enqueue(await storeNotification(r.ctx, Date.now() + (30 + i) * HOURS));
    await waitFor('the gauge', async () => /tnx_queue_depth 3\b/.test(await r!.ctx.metrics.text()));
  });

  it('the periodic scanner fires on its own', async () => {
    r = await rig({ worker: { autorun: false, atRiskScanIntervalMs: 50 } });
    const soon = await storeNotification(r.ctx, Date.now() + HOURS);
    const rec = await waitFor('the scanner', async () => (await r!.ctx.store.outbound.get(soon.id))?.atRiskAlertedAt);
    assert.ok(rec > 0);
  });

  it('holds deliveries to one partner to its concurrency limit', async () => {
    r = await rig({ limits: { concurrency: 2, ratePerSecond: 1000 }, worker: { concurrency: 8 } });
    // Each answer takes 60 ms, so requests would overlap if the limit did not hold.
    r.receiver!.before = () => new Promise((res) => setTimeout(res, 60));
    const recs = [];
    for (let i = 0; i < 8; i += 1) recs.push(await storeNotification(r.ctx, Date.now() + (48 + i) * HOURS));
    for (const rec of recs) await r.queue.enqueue(rec);
    for (const rec of recs) assert.equal((await settled(r.ctx, rec.id)).state, 'delivered');
    assert.equal(r.receiver!.peak, 2, 'two in flight at most, and the limit was reached');
  });

  it('holds deliveries to one partner to its rate limit', async () => {
    r = await rig({ limits: { concurrency: 8, ratePerSecond: 5 }, worker: { concurrency: 8 } });
    const recs = [];
    for (let i = 0; i < 8; i += 1) recs.push(await storeNotification(r.ctx, Date.now() + (48 + i) * HOURS));
    const started = Date.now();
    for (const rec of recs) await r.queue.enqueue(rec);
    for (const rec of recs) await settled(r.ctx, rec.id);
    // Burst of 5, then 3 more at 5/s: at least ~600 ms.
    assert.ok(Date.now() - started >= 550, `took ${Date.now() - started} ms`);
  });

  it('graceful shutdown lets an in-flight attempt finish, then closes', async () => {
    r = await rig();
    let release: () => void = () => undefined;
    const held = new Promise<void>((res) => {
      release = res;
    });
    r.receiver!.before = () => held;
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    await waitFor('the attempt to reach the partner', async () => r!.receiver!.bodies.length > 0);
    const closing = r.worker.close();
    setTimeout(release, 200);
    const t0 = Date.now();
    await closing;
    assert.ok(Date.now() - t0 >= 150, 'close waited for the in-flight attempt');
    const after = await r.ctx.store.outbound.get(rec.id);
    assert.equal(after!.state, 'delivered', 'the in-flight attempt completed before close resolved');
  });

  it('a bounded shutdown aborts an attempt that outlives it and returns the job for a retry', async () => {
    r = await rig({ delivery: { requestTimeoutMs: 10_000 }, worker: { shutdownTimeoutMs: 200 } });
    r.receiver!.before = () => new Promise(() => undefined); // never answers
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    await waitFor('the attempt to reach the partner', async () => r!.receiver!.bodies.length > 0);
    const t0 = Date.now();
    await r.worker.close();
    assert.ok(Date.now() - t0 < 3000, `close took ${Date.now() - t0} ms`);
    const after = await r.ctx.store.outbound.get(rec.id);
    assert.equal(after!.state, 'retrying', 'not lost, not failed: another worker picks it up');
    const [attempt] = await r.ctx.store.outbound.listAttempts(rec.id);
    assert.equal(attempt!.error, 'aborted');
    assert.ok(['delayed', 'waiting', 'prioritized'].includes(await r.queue.queue.getJobState(rec.id)));
  });
});
