/**
 * The orphan sweep on its own, against a real gateway whose worker is paused: a record with a live job
 * is left alone, a record whose job Redis lost is re-enqueued exactly once, a terminal record is never
 * touched, and the younger-than-minAge guard holds.
 */
import { strict as assert } from 'node:assert';
import request from 'supertest';
import { sampleCancel, sampleNotification } from '../../src/cli/demo/samples.js';
import { sweepOrphans } from '../../src/features/delivery/orphan-sweep.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { federation, PAUSED_WORKER, settled, start, type Member } from './federation.js';

const HOUR = 3600_000;

describe('e2e: orphan sweep', function () {
  this.timeout(20_000);
  let usaM: Member;
  let usa: RunningGateway;
  let gbr: RunningGateway;
  before(async () => {
    const f = await federation(['USA', 'GBR'] as const);
    usaM = f.USA;
    gbr = await start(f.GBR);
    usa = await start(usaM, { sweepIntervalMs: 3_600_000, worker: PAUSED_WORKER });
  });
  after(async () => {
    await usa?.close();
    await gbr?.close();
  });

  const submit = async (path: string, body: unknown): Promise<string> =>
    (
      await request(usa.url!)
        .post(path)
        .set('Authorization', `Bearer ${usaM.submitter}`)
        .send(body as object)
        .expect(202)
    ).body.id as string;

  it('re-enqueues only job-backed records whose job is gone, once', async () => {
    const kept = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 30 * HOUR }),
    );
    const lost = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 31 * HOUR }),
    );
    const cancelled = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 32 * HOUR }),
    );
    await submit('/api/v1/updates', sampleCancel({ origin: 'USA', destination: 'GBR', notificationId: cancelled }));
    assert.equal(await usa.queue.queue.remove(lost), 1);

    assert.deepEqual(
      await sweepOrphans(usa.ctx, usa.queue, { minAgeMs: 60_000 }),
      { examined: 0, requeued: 0 },
      'too young to be judged',
    );
    const first = await sweepOrphans(usa.ctx, usa.queue, { minAgeMs: 0 });
    assert.equal(first.requeued, 1);
    assert.equal(first.examined, 2, 'the cancelled record is not job-backed');
    assert.equal(await usa.queue.queue.getJobState(lost), 'prioritized');
    assert.equal(await usa.queue.queue.getJobState(cancelled), 'unknown', 'a cancelled record gets no job back');
    assert.deepEqual(
      await sweepOrphans(usa.ctx, usa.queue, { minAgeMs: 0 }),
      { examined: 2, requeued: 0 },
      'idempotent',
    );

    usa.worker!.run();
    for (const id of [kept, lost]) assert.equal((await settled(usa, id)).state, 'delivered');
    assert.equal((await usa.ctx.store.outbound.get(cancelled))!.state, 'cancelled');
  });
});
