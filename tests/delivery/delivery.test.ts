import { strict as assert } from 'node:assert';
import { freePort } from '../harness/redis.js';
import { HOURS, settled, startReceiver, storeNotification, waitFor, type Receiver } from './fixture.js';
import { rig, type Rig } from './setup.js';

describe('delivery worker (real Redis, real receiving gateway on loopback)', function () {
  this.timeout(20_000);
  let r: Rig | null = null;
  const extra: Receiver[] = [];
  afterEach(async () => {
    await r?.teardown();
    r = null;
    for (const x of extra.splice(0)) await x.close();
  });

  it('delivers, verifies the receipt and times it: on_time, lead time, deliveredAt = receivedAt', async () => {
    r = await rig();
    const dep = Date.now() + 48 * HOURS;
    const rec = await storeNotification(r.ctx, dep);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'delivered');
    assert.equal(done.timeliness, 'on_time');
    assert.ok(done.receiptJws && done.receiptJws.split('.').length === 3);
    assert.ok(done.deliveredAt && Math.abs(done.deliveredAt - Date.now()) < 10_000);
    assert.equal(done.leadTimeSeconds, (Math.floor(dep / 1000) * 1000 - done.deliveredAt) / 1000);
    assert.equal(r.receiver!.bodies[0], done.jwe, 'the stored JWE is what was sent');
    const attempts = await r.ctx.store.outbound.listAttempts(rec.id);
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.httpStatus, a.outcome]),
      [[1, 200, 'delivered']],
    );
    // The worker publishes each transition's audit events right after the transition (docs/delivery.md),
    // so the trail may trail the state by one publish: wait for it, bounded.
    const expected = [
      'notification.sealed',
      'notification.delivering',
      'delivery.attempt',
      'notification.delivered',
      'personal_data.disclosed',
    ];
    let actions: string[] = [];
    for (const end = Date.now() + 5_000; Date.now() < end; await new Promise((res) => setTimeout(res, 20))) {
      actions = (await r.ctx.store.audit.query({ messageId: rec.id }, { limit: 50 })).items.map((e) => e.action);
      if (expected.every((a) => actions.includes(a))) break;
    }
    for (const a of expected) assert.ok(actions.includes(a), `audit has ${a}`);
    const metrics = await r.ctx.metrics.text();
    assert.match(metrics, /tnx_deliveries_total\{partner="GBR",outcome="delivered"\} 1/);
    assert.match(metrics, /tnx_lead_time_seconds_count\{partner="GBR"\} 1/);
    assert.match(metrics, /tnx_submit_to_receipt_seconds_count\{partner="GBR"\} 1/);
  });

  it('classifies a notice under the threshold as late, and a departed one as after_departure', async () => {
    r = await rig();
    const late = await storeNotification(r.ctx, Date.now() + 2 * HOURS);
    const gone = await storeNotification(r.ctx, Date.now() - 2 * HOURS);
    await r.queue.enqueue(late);
    await r.queue.enqueue(gone);
    const a = await settled(r.ctx, late.id);
    const b = await settled(r.ctx, gone.id);
    assert.equal(a.state, 'delivered');
    assert.equal(a.timeliness, 'late');
    assert.ok(a.leadTimeSeconds! > 0 && a.leadTimeSeconds! < 24 * 3600);
    assert.equal(b.state, 'delivered', 'a notice after the flight is delivered, not dropped');
    assert.equal(b.timeliness, 'after_departure');
    assert.ok(b.leadTimeSeconds! < 0);
  });

  it('partner down then up: connection refused, retried, delivered once it listens', async () => {
    const port = await freePort();
    r = await rig({ noReceiver: true, port });
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const failed = await waitFor('two refused attempts', async () => {
      const at = await r!.ctx.store.outbound.listAttempts(rec.id);
      return at.length >= 2 ? at : null;
    });
    assert.ok(failed.every((a) => a.httpStatus === null && a.error === 'ECONNREFUSED' && a.outcome === 'retry'));
    const mid = await r.ctx.store.outbound.get(rec.id);
    assert.ok(mid && ['retrying', 'delivering'].includes(mid.state));
    const receiver = await startReceiver(port);
    extra.push(receiver);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'delivered');
    assert.ok(done.attempts >= 3);
    assert.equal(receiver.bodies.length, 1);
  });

  it('partner answering 500 three times then OK: delivered, and every attempt carried the SAME JWE bytes', async () => {
    r = await rig();
    r.receiver!.answer = (n) => (n < 3 ? { status: 500 } : 'ok');
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'delivered');
    assert.equal(done.attempts, 4);
    assert.equal(r.receiver!.bodies.length, 4);
    assert.equal(new Set(r.receiver!.bodies).size, 1, 'one sealed JWE, re-sent byte for byte');
    assert.equal(r.receiver!.bodies[0], done.jwe);
    const attempts = await r.ctx.store.outbound.listAttempts(rec.id);
    assert.deepEqual(
      attempts.map((a) => a.httpStatus),
      [500, 500, 500, 200],
    );
    assert.deepEqual(
      attempts.map((a) => a.outcome),
      ['retry', 'retry', 'retry', 'delivered'],
    );
  });

  it('a zero jitter draw (random() = 0) retries at once and still delivers', async () => {
    r = await rig({ worker: { random: () => 0 } });
    r.receiver!.answer = (n) => (n < 2 ? { status: 502 } : 'ok');
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'delivered');
    assert.equal(done.attempts, 3);
  });

  it('partner answering 400: no retry, failed, alert raised (log, metric, audit, webhook)', async () => {
    const hook = await startReceiver();
    extra.push(hook);
    r = await rig({ delivery: { alertWebhookUrl: `${hook.url}/alerts` } });
    r.receiver!.answer = () => ({ status: 400, body: '{"code":"invalid_message","title":"x"}' });
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.attempts, 1);
    assert.equal(done.lastError, 'http_400/invalid_message');
    await new Promise((res) => setTimeout(res, 150));
    assert.equal(r.receiver!.bodies.length, 1, 'a permanent failure is not retried');
    const line = r.logs.find((l) => l.alert === 'failed');
    assert.ok(line, 'an alert log line');
    assert.equal(line.level, 50, 'at error level');
    assert.equal(line.messageId, rec.id);
    assert.doesNotMatch(JSON.stringify(r.logs), /O'Hara|538201746|1983-11-02/, 'no personal data in logs');
    assert.match(await r.ctx.metrics.text(), /tnx_alerts_total\{kind="failed"\} 1/);
    const audit = await r.ctx.store.audit.query({ messageId: rec.id, action: 'notification.failed' }, { limit: 10 });
    assert.equal(audit.items.length, 1);
    assert.equal(audit.items[0]!.outcome, 'http_400');
    const alert = await waitFor('the webhook alert', async () => hook.alerts[0]);
    assert.equal(alert.kind, 'failed');
    assert.equal(alert.messageId, rec.id);
    assert.equal(alert.partner, 'GBR');
    assert.equal(alert.state, 'USA');
    assert.doesNotMatch(JSON.stringify(alert), /O'Hara|538201746|1983-11-02/);
  });

  it('a receipt with a bad signature fails the delivery (receipt_invalid), no retry', async () => {
    r = await rig();
    r.receiver!.answer = () => 'bad-signature';
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.lastError, 'receipt_invalid');
    assert.equal(done.receiptJws, null);
    assert.equal(r.receiver!.bodies.length, 1);
  });

  it('a receipt for other bytes fails the delivery (receipt_mismatch), no retry', async () => {
    r = await rig();
    r.receiver!.answer = () => 'wrong-digest';
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.lastError, 'receipt_mismatch');
    assert.equal(r.receiver!.bodies.length, 1);
  });

  it('retry budget after departure exhausted → failed, with every attempt inside the budget', async () => {
    // Departed 1 h ago; retries allowed until 1 h + 1.5 s after departure.
    r = await rig({ delivery: { retryUntilAfterDepartureHours: 1 } });
    r.receiver!.answer = () => ({ status: 503 });
    const rec = await storeNotification(r.ctx, Date.now() - HOURS + 1500);
    const deadline = rec.departureAt! + HOURS;
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id, 10_000);
    assert.equal(done.state, 'failed');
    assert.match(done.lastError ?? '', /^retry_budget_exhausted/);
    const attempts = await r.ctx.store.outbound.listAttempts(rec.id);
    assert.ok(attempts.length >= 3, `several attempts (${attempts.length})`);
    // Retries are scheduled no later than the deadline (the last one pulled in to it); BullMQ's delayed
    // promotion may start it a little after.
    assert.ok(attempts.slice(0, -1).every((a) => a.startedAt < deadline));
    assert.ok(attempts.at(-1)!.startedAt <= deadline + 1000);
    assert.equal(attempts.at(-1)!.outcome, 'failed');
    assert.match(await r.ctx.metrics.text(), /tnx_alerts_total\{kind="failed"\} 1/);
  });

  it('Retry-After on 429 is honoured as a floor (capped)', async () => {
    r = await rig({ delivery: { backoffBaseMs: 10, backoffCapMs: 600 } });
    r.receiver!.answer = (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : 'ok');
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'delivered');
    const [first, second] = await r.ctx.store.outbound.listAttempts(rec.id);
    const gap = second!.startedAt - first!.startedAt;
    // Retry-After 1 s capped to backoffCapMs 600 ms; full jitter with random 0.5 would give 5 ms.
    assert.ok(gap >= 590 && gap < 3000, `gap ${gap} ms`);
  });

  it('a request that hangs times out and is retried', async () => {
    r = await rig({ delivery: { requestTimeoutMs: 300 } });
    r.receiver!.answer = (n) => (n === 0 ? 'hang' : 'ok');
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'delivered');
    const attempts = await r.ctx.store.outbound.listAttempts(rec.id);
    assert.equal(attempts[0]!.error, 'timeout');
    assert.ok(attempts[0]!.durationMs >= 250);
  });

  it('enqueue is idempotent: one job, one delivery', async () => {
    r = await rig({ worker: { autorun: false } });
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    await r.queue.enqueue(rec);
    await r.queue.enqueue(rec);
    assert.equal(await r.queue.depth(), 1);
    r.worker.run();
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'delivered');
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(r.receiver!.bodies.length, 1);
  });

  it('cancel before delivery: job removed, record cancelled, nothing sent', async () => {
    r = await rig({ worker: { autorun: false } });
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    const keep = await storeNotification(r.ctx, Date.now() + 50 * HOURS);
    await r.queue.enqueue(rec);
    await r.queue.enqueue(keep);
    await r.ctx.store.outbound.transition(rec.id, ['accepted', 'queued', 'retrying'], 'cancelled');
    assert.equal(await r.queue.cancel(rec.id), true);
    assert.equal(await r.queue.depth(), 1);
    r.worker.run();
    await settled(r.ctx, keep.id);
    assert.equal((await r.ctx.store.outbound.get(rec.id))!.state, 'cancelled');
    assert.deepEqual(r.receiver!.opened, [keep.id]);
  });

  it('a job whose record was cancelled after enqueue (not removable) stops without sending', async () => {
    r = await rig({ worker: { autorun: false } });
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    await r.ctx.store.outbound.transition(rec.id, ['accepted'], 'cancelled');
    r.worker.run();
    await waitFor('the job to finish', async () => (await r!.queue.queue.getJobState(rec.id)) === 'completed' || null);
    assert.equal(r.receiver!.bodies.length, 0);
    assert.equal((await r.ctx.store.outbound.get(rec.id))!.attempts, 0);
  });

  it('unknown partner and plain http to a non-loopback host are permanent failures', async () => {
    r = await rig({ endpoint: 'http://192.0.2.10/tnx/v1/messages' });
    const rec = await storeNotification(r.ctx, Date.now() + 48 * HOURS);
    await r.queue.enqueue(rec);
    const done = await settled(r.ctx, rec.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.lastError, 'config_invalid');
    assert.equal(done.attempts, 0, 'nothing was sent');
  });
});
