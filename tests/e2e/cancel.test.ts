/**
 * Cancel before delivery stops the delivery; cancel after delivery travels to the partner as a
 * TravelUpdate. Two real gateways; the USA worker starts paused so "before delivery" is certain.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:net';
import request from 'supertest';
import { sampleCancel, sampleNotification } from '../../src/cli/demo/samples.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { FAST, federation, PAUSED_WORKER, settled, start, until, type Member } from './federation.js';

const HOUR = 3600_000;

describe('e2e: cancel', function () {
  this.timeout(30_000);
  let usaM: Member;
  let usa: RunningGateway;
  let gbr: RunningGateway;

  before(async () => {
    const f = await federation(['USA', 'GBR'] as const);
    usaM = f.USA;
    gbr = await start(f.GBR);
    usa = await start(usaM, { worker: PAUSED_WORKER });
  });
  after(async () => {
    await usa?.close();
    await gbr?.close();
  });

  const submit = (path: string, body: unknown) =>
    request(usa.url!)
      .post(path)
      .set('Authorization', `Bearer ${usaM.submitter}`)
      .send(body as object)
      .expect(202);
  const receivedAtGbr = async (notificationId: string) =>
    (await gbr.ctx.store.inbound.list({ iss: 'USA', notificationId }, { limit: 10 })).items;

  it('before delivery: the job is removed, nothing reaches GBR even once the worker runs', async () => {
    const n = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 48 * HOUR }),
    );
    const id = n.body.id as string;
    assert.equal(n.body.status, 'queued');
    assert.ok(await usa.queue.queue.getJob(id), 'a delivery job is waiting');

    const u = await submit('/api/v1/updates', sampleCancel({ origin: 'USA', destination: 'GBR', notificationId: id }));
    assert.equal(u.body.status, 'cancelled', 'the cancel itself has nothing to deliver');
    assert.equal((await usa.ctx.store.outbound.get(id))!.state, 'cancelled');
    assert.equal(await usa.queue.queue.getJob(id), undefined, 'the job is gone');

    usa.worker!.run();
    // A later notification is delivered by the now running worker: proof that it ran past the cancelled one.
    const later = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 49 * HOUR }),
    );
    assert.equal((await settled(usa, later.body.id as string)).state, 'delivered');
    const rec = (await usa.ctx.store.outbound.get(id))!;
    assert.equal(rec.state, 'cancelled');
    assert.equal(rec.attempts, 0);
    assert.equal(rec.jwe, null, 'never even sealed');
    assert.deepEqual(await receivedAtGbr(id), []);
  });

  it('after delivery: the cancel is delivered to GBR as a TravelUpdate', async () => {
    const n = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 50 * HOUR }),
    );
    const id = n.body.id as string;
    assert.equal((await settled(usa, id)).state, 'delivered');
    const u = await submit('/api/v1/updates', sampleCancel({ origin: 'USA', destination: 'GBR', notificationId: id }));
    const upd = await settled(usa, u.body.id as string);
    assert.equal(upd.state, 'delivered');
    const types = (await receivedAtGbr(id)).map((r) => r.messageType).sort();
    assert.deepEqual(types, ['TravelNotification', 'TravelUpdate']);
  });
});

describe('e2e: cancel after attempts that could not or could have reached the partner', function () {
  this.timeout(30_000);
  let usaM: Member;
  let usa: RunningGateway;
  let gbrUrl: URL;
  let server: Server | undefined;

  before(async () => {
    // A long backoff keeps the record `retrying` (not in flight) while the test cancels it.
    const f = await federation(['USA', 'GBR'] as const, {
      ...FAST,
      delivery: { backoffBaseMs: 60_000, backoffCapMs: 60_000 },
    });
    usaM = f.USA;
    usa = await start(usaM); // GBR is never started: its port refuses connections
    gbrUrl = new URL(usa.ctx.directory.partner('GBR')!.endpoint!);
  });
  after(async () => {
    await usa?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  const submit = (path: string, body: unknown) =>
    request(usa.url!)
      .post(path)
      .set('Authorization', `Bearer ${usaM.submitter}`)
      .send(body as object)
      .expect(202);
  const firstAttempt = (id: string) =>
    until(`a stored attempt of ${id}`, async () => {
      const rec = await usa.ctx.store.outbound.get(id);
      const [a] = await usa.ctx.store.outbound.listAttempts(id);
      return rec?.state === 'retrying' && a ? a : null;
    });
  const updatesOf = async (id: string) =>
    (await usa.ctx.store.outbound.list({ notificationId: id }, { limit: 10 })).items.filter(
      (r) => r.messageType === 'TravelUpdate',
    );

  it('refused at connect: the attempt never reached GBR, so the cancel is not sent', async () => {
    const n = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 48 * HOUR }),
    );
    const id = n.body.id as string;
    const a = await firstAttempt(id);
    assert.equal(a.error, 'ECONNREFUSED');
    assert.equal(a.mayHaveReached, false);

    const u = await submit('/api/v1/updates', sampleCancel({ origin: 'USA', destination: 'GBR', notificationId: id }));
    assert.equal(u.body.status, 'cancelled', 'nothing to cancel on the other side');
    assert.equal((await usa.ctx.store.outbound.get(id))!.state, 'cancelled');
    assert.deepEqual(
      (await updatesOf(id)).map((r) => r.state),
      ['cancelled'],
      'the TravelUpdate is kept as a record, but nothing is queued for GBR',
    );
    assert.equal(await usa.queue.queue.getJob(u.body.id as string), undefined);
  });

  it('written to an open connection then cut: GBR may hold it, so the cancel is sent', async () => {
    // Reads the request, then drops the connection without an answer: the bytes did reach the other side.
    let received = 0;
    server = createServer((socket) => {
      socket.once('data', () => {
        received += 1;
        socket.destroy();
      });
    });
    await new Promise<void>((r) => server!.listen(Number(gbrUrl.port), gbrUrl.hostname, () => r()));
    const n = await submit(
      '/api/v1/notifications',
      sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 49 * HOUR }),
    );
    const id = n.body.id as string;
    const a = await firstAttempt(id);
    assert.ok(received >= 1, 'the partner side read the request');
    assert.equal(a.httpStatus, null);
    assert.equal(a.mayHaveReached, true);

    const u = await submit('/api/v1/updates', sampleCancel({ origin: 'USA', destination: 'GBR', notificationId: id }));
    assert.notEqual(u.body.status, 'cancelled');
    assert.equal((await usa.ctx.store.outbound.get(id))!.state, 'cancelled');
    const [upd] = await updatesOf(id);
    assert.equal(upd?.id, u.body.id);
    assert.notEqual(upd!.state, 'cancelled', 'the cancel is on its way to GBR');
  });
});
