/** TravelUpdate submissions (amend, cancel before/after delivery) and the outbox recovery. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import request from 'supertest';
import { DeliveryQueue } from '../../src/adapters/queue-bullmq/delivery-queue.js';
import { recoverOutbox } from '../../src/features/submission/outbox.js';
import { freePort, redisUrl, uniquePrefix } from '../harness/redis.js';
import { bearer, bootstrap, example, ROOT, type TestGateway } from './bootstrap.js';

function cancelOf(notificationId: string): Record<string, unknown> {
  return { type: 'TravelUpdate', notificationId, destination: 'THA', action: 'cancel', reason: 'Travel abandoned' };
}

describe('gateway: updates and outbox', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await bootstrap();
  });
  afterEach(async () => {
    await gw.close();
  });

  async function submitNotification(): Promise<string> {
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(example('travel-notification.json'))
      .expect(202);
    return res.body.id as string;
  }

  it('a cancel before delivery stops the delivery: notification cancelled, job removed, nothing sent', async () => {
    const id = await submitNotification();
    assert.ok(await gw.queue.queue.getJob(id));
    const res = await request(gw.url)
      .post('/api/v1/updates')
      .set('Authorization', bearer('submitter'))
      .send(cancelOf(id))
      .expect(202);
    assert.equal(res.body.status, 'cancelled');
    assert.equal((await gw.ctx.store.outbound.get(id))?.state, 'cancelled');
    assert.equal(await gw.queue.queue.getJob(id), undefined, 'delivery job removed');
    assert.equal(await gw.queue.queue.getJob(res.body.id as string), undefined, 'the cancel itself is not sent');
    const events = await gw.ctx.store.audit.query({ messageId: id, action: 'notification.cancelled' }, { limit: 5 });
    assert.equal(events.items.length, 1);
  });

  it('a cancel after delivery is sent to the partner like any message', async () => {
    const id = await submitNotification();
    await gw.ctx.store.outbound.transition(id, ['queued'], 'delivering');
    await gw.ctx.store.outbound.transition(id, ['delivering'], 'delivered', { deliveredAt: Date.now(), attempts: 1 });
    const res = await request(gw.url)
      .post('/api/v1/updates')
      .set('Authorization', bearer('submitter'))
      .send(cancelOf(id))
      .expect(202);
    assert.equal(res.body.status, 'queued');
    assert.equal((await gw.ctx.store.outbound.get(id))?.state, 'delivered');
    const job = await gw.queue.queue.getJob(res.body.id as string);
    assert.ok(job, 'the cancel is queued for delivery');
    const rec = await gw.ctx.store.outbound.get(res.body.id as string);
    assert.equal(rec?.messageType, 'TravelUpdate');
    assert.equal(rec?.notificationId, id);
    assert.equal(rec?.departureAt, Date.parse('2026-12-10T23:05:00-05:00'), 'inherits the departure for ordering');
  });

  it('an amend is queued and leaves the notification alone', async () => {
    const id = await submitNotification();
    const amend = example('travel-update-amend.json');
    const res = await request(gw.url)
      .post('/api/v1/updates')
      .set('Authorization', bearer('submitter'))
      .send({ ...amend, notificationId: id, origin: 'USA', destination: 'THA', updateId: undefined })
      .expect(202);
    assert.equal(res.body.status, 'queued');
    assert.equal((await gw.ctx.store.outbound.get(id))?.state, 'queued');
  });

  it('refuses an update for a notification we never sent (unknown_reference) and one with another destination', async () => {
    const r1 = await request(gw.url)
      .post('/api/v1/updates')
      .set('Authorization', bearer('submitter'))
      .send(cancelOf('7d1f0c52-3a1e-4c2b-9d7e-000000000000'))
      .expect(422);
    assert.equal(r1.body.code, 'unknown_reference');
    assert.equal(r1.body.pointer, '/notificationId');
    const id = await submitNotification();
    const r2 = await request(gw.url)
      .post('/api/v1/updates')
      .set('Authorization', bearer('submitter'))
      .send({ ...cancelOf(id), destination: 'GBR' })
      .expect(422);
    assert.equal(r2.body.code, 'invalid_message');
    assert.equal(r2.body.pointer, '/destination');
  });

  it('answers 202 "accepted" when Redis does not answer in time, and the outbox recovery queues it later', async () => {
    await gw.close();
    const deadPort = await freePort();
    let dead: DeliveryQueue | null = null;
    gw = await bootstrap({
      enqueueTimeoutMs: 300,
      wrapQueue: () => {
        dead = new DeliveryQueue({ url: `redis://127.0.0.1:${deadPort}`, prefix: uniquePrefix('dead') });
        dead.queue.on('error', () => {});
        return dead;
      },
    });
    try {
      const started = Date.now();
      const res = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .send(example('travel-notification.json'))
        .expect(202);
      assert.ok(Date.now() - started < 3000, 'the client is not held by the queue');
      assert.equal(res.body.status, 'accepted');
      assert.equal((await gw.ctx.store.outbound.get(res.body.id as string))?.state, 'accepted');

      const handed = await recoverOutbox(gw.ctx, gw.queue);
      assert.equal(handed, 1);
      assert.equal((await gw.ctx.store.outbound.get(res.body.id as string))?.state, 'queued');
      assert.ok(await gw.queue.queue.getJob(res.body.id as string));
      assert.equal(await recoverOutbox(gw.ctx, gw.queue), 0, 'a second pass finds nothing');
    } finally {
      (dead as DeliveryQueue | null)?.close().catch(() => {});
    }
  });

  it('a gateway killed (SIGKILL) between storing and enqueueing: the record survives and is queued after restart', async function () {
    this.timeout(60_000);
    const sqlitePath = join(gw.dir, 'crash.sqlite');
    const redisPrefix = uniquePrefix('crash');
    const queueName = uniquePrefix('crashq');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'tests/gateway/fixtures/die-before-enqueue.ts'),
        sqlitePath,
        redisPrefix,
        queueName,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, REDIS_URL: await redisUrl() },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(child, 'exit');
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const url = chunk.toString().trim();
    const n = example('travel-notification.json');
    await assert.rejects(
      request(url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .set('Idempotency-Key', 'crash-1')
        .send(n),
      'the client gets no answer: the process died',
    );
    const [, signal] = (await exited) as [number | null, string | null];
    assert.equal(signal, 'SIGKILL');

    const restarted = await bootstrap({ reuse: { sqlitePath, redisPrefix, queueName } });
    try {
      assert.equal(
        (await restarted.ctx.store.outbound.get(n.notificationId as string))?.state,
        'accepted',
        'durably stored before the crash',
      );
      assert.equal(await recoverOutbox(restarted.ctx, restarted.queue), 1);
      assert.equal((await restarted.ctx.store.outbound.get(n.notificationId as string))?.state, 'queued');
      assert.ok(await restarted.queue.queue.getJob(n.notificationId as string));
      // The client retries with its key and gets the first answer, not a second notification.
      const retry = await request(restarted.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .set('Idempotency-Key', 'crash-1')
        .send(n)
        .expect(202);
      assert.equal(retry.body.id, n.notificationId);
      assert.equal((await restarted.ctx.store.outbound.list({}, { limit: 10 })).items.length, 1);
    } finally {
      await restarted.close();
    }
  });
});
