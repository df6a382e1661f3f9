/**
 * kill -9 after 202. A USA gateway runs as a real child process (`tnx serve --http-only`: it accepts
 * and enqueues but no worker of it can deliver), answers 202, and is killed with SIGKILL — no
 * shutdown code runs. A full gateway then starts on the same SQLite file and Redis prefix and must
 * deliver, with a receipt. One of the two jobs is also deleted from Redis before the restart (Redis
 * lost it): the orphan sweep must find the `queued` record without a job and deliver it too.
 */
import { strict as assert } from 'node:assert';
import request from 'supertest';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { DeliveryQueue } from '../../src/adapters/queue-bullmq/delivery-queue.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { federation, serveChild, settled, start } from './federation.js';

const HOUR = 3600_000;

describe('e2e: kill -9 after 202', function () {
  this.timeout(40_000);
  const closers: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('a gateway killed after answering 202 delivers after restart; a job Redis lost is swept back', async () => {
    const f = await federation(['USA', 'GBR'] as const);
    const gbr: RunningGateway = await start(f.GBR);
    closers.push(() => gbr.close());

    const child = await serveChild(f.USA.setup.configPath, ['--http-only']);
    closers.push(async () => child.child.kill('SIGKILL'));
    const ids: string[] = [];
    for (const hours of [40, 41]) {
      const res = await request(child.url!)
        .post('/api/v1/notifications')
        .set('Authorization', `Bearer ${f.USA.submitter}`)
        .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + hours * HOUR }))
        .expect(202);
      ids.push(res.body.id as string);
    }
    child.child.kill('SIGKILL');
    assert.equal(await child.exited, 'SIGKILL');

    // Between the crash and the restart: jobs are in Redis, nothing reached GBR.
    const q = DeliveryQueue.fromConfig(f.USA.config);
    for (const id of ids) assert.ok(await q.queue.getJob(id), 'the accepted notification has its job');
    assert.equal(await q.queue.remove(ids[1]!), 1); // Redis loses one job
    await q.close();
    for (const id of ids)
      assert.equal((await gbr.ctx.store.inbound.list({ notificationId: id }, { limit: 1 })).items.length, 0);

    const usa = await start(f.USA, { sweepIntervalMs: 60_000 });
    closers.push(() => usa.close());
    const sweep = await usa.firstSweep!;
    assert.ok(sweep.requeued >= 1, 'the start-up sweep re-enqueued the orphan');

    for (const id of ids) {
      const rec = await settled(usa, id);
      assert.equal(rec.state, 'delivered', `${id}: ${rec.state} ${rec.lastError ?? ''}`);
      assert.ok(rec.receiptJws && rec.receiptDigest, 'with a receipt');
      assert.equal(rec.attempts, 1);
      const inbound = await gbr.ctx.store.inbound.getByJti('USA', rec.jti!);
      assert.equal(inbound?.receiptJws, rec.receiptJws);
    }
    const requeued = await usa.ctx.store.audit.query(
      { messageId: ids[1]!, action: 'notification.queued' },
      { limit: 10 },
    );
    assert.ok(
      requeued.items.some((e) => e.detail?.requeued === 'job_missing'),
      'the re-enqueue is in the audit trail',
    );
  });
});
