/**
 * Two whole gateways (USA, GBR) on loopback, each as `tnx serve` composes it: notifications both ways,
 * the follow-up travelling back and recorded against the origin's notification, an XML submission,
 * and idempotent submission — checked from the outside (HTTP API, independent receipt verification)
 * and in each gateway's own store.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { Directory } from '../../src/domain/directory/directory.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { verifyReceipt } from '../../src/domain/protocol/envelope/index.js';
import { messageToXml } from '../../src/domain/protocol/xml-codec.js';
import type { AnyTnxMessage, TravelNotification } from '../../src/domain/protocol/types.js';
import { federation, settled, start, until, type Member } from './federation.js';

const HOUR = 3600_000;

describe('e2e: two gateways, happy path both ways', function () {
  this.timeout(30_000);
  let usaM: Member;
  let gbrM: Member;
  let usa: RunningGateway;
  let gbr: RunningGateway;

  before(async () => {
    const f = await federation(['USA', 'GBR'] as const);
    usaM = f.USA;
    gbrM = f.GBR;
    [usa, gbr] = await Promise.all([start(usaM), start(gbrM)]);
  });
  after(async () => {
    await usa?.close();
    await gbr?.close();
  });

  it('USA → GBR: delivered, the receipt verifies independently, lead time and timeliness recorded', async () => {
    const departure = Date.now() + 72 * HOUR;
    const sub = await request(usa.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${usaM.submitter}`)
      .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: departure }))
      .expect(202);
    const id = sub.body.id as string;
    assert.equal(sub.body.statusUrl, `/api/v1/notifications/${id}`);

    const view = await until('delivered view', async () => {
      const r = await request(usa.url!)
        .get(sub.body.statusUrl as string)
        .set('Authorization', `Bearer ${usaM.auditor}`)
        .expect(200);
      return r.body.state === 'delivered' ? r.body : null;
    });
    assert.equal(view.attempts.length, 1);
    assert.equal(view.timeliness, 'on_time');

    const rec = (await usa.ctx.store.outbound.get(id))!;
    // The receipt must name exactly the bytes we sent (digest) and be signed by GBR's key from USA's directory.
    const digest = createHash('sha256').update(rec.jwe!, 'utf8').digest('base64url');
    assert.equal(rec.receiptDigest, digest);
    const directory = new Directory(usaM.config);
    const receipt = await verifyReceipt(
      rec.receiptJws!,
      { partner: 'GBR', messageId: rec.jti!, digest },
      { directory, state: 'USA' },
    );
    assert.equal(Date.parse(receipt.receivedAt), rec.deliveredAt);
    assert.equal(rec.leadTimeSeconds, (Math.floor(departure / 1000) * 1000 - rec.deliveredAt!) / 1000);

    const inbound = await gbr.ctx.store.inbound.getByJti('USA', rec.jti!);
    assert.ok(inbound, 'GBR stored the message');
    assert.equal(inbound.notificationId, id);
    assert.equal(inbound.receiptJws, rec.receiptJws, 'USA keeps exactly the receipt GBR issued');

    // The follow-up travels back and is recorded against the notification at the origin.
    const fu = await request(gbr.url!)
      .post(`/api/v1/inbox/${inbound.id}/follow-ups`)
      .set('Authorization', `Bearer ${gbrM.poc}`)
      .send({ action: 'entry_denied' })
      .expect(202);
    assert.equal((await settled(gbr, fu.body.id as string)).state, 'delivered');
    const events = await until('followup.received at USA', async () => {
      const page = await usa.ctx.store.audit.query({ messageId: id, action: 'followup.received' }, { limit: 5 });
      return page.items.length ? page.items : null;
    });
    assert.equal(events[0]!.partner, 'GBR');
    assert.equal(events[0]!.outcome, 'entry_denied');
    const usaInbox = await request(usa.url!)
      .get(`/api/v1/inbox?notificationId=${id}`)
      .set('Authorization', `Bearer ${usaM.poc}`)
      .expect(200);
    assert.deepEqual(
      usaInbox.body.items.map((i: { messageType: string }) => i.messageType),
      ['FollowUpReport'],
    );
  });

  it('GBR → USA: a notification the other way round, late (departure in 3 h)', async () => {
    const sub = await request(gbr.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${gbrM.submitter}`)
      .send(sampleNotification({ origin: 'GBR', destination: 'USA', departureAt: Date.now() + 3 * HOUR }))
      .expect(202);
    const rec = await settled(gbr, sub.body.id as string);
    assert.equal(rec.state, 'delivered');
    assert.equal(rec.timeliness, 'late');
    assert.ok(rec.leadTimeSeconds! > 2.9 * 3600 && rec.leadTimeSeconds! <= 3 * 3600);
    const inbox = await request(usa.url!)
      .get(`/api/v1/inbox?iss=GBR&type=TravelNotification`)
      .set('Authorization', `Bearer ${usaM.poc}`)
      .expect(200);
    assert.ok(inbox.body.items.some((i: { notificationId: string }) => i.notificationId === rec.id));
  });

  it('an XML submission is delivered as the same message', async () => {
    const id = crypto.randomUUID();
    const body = sampleNotification({
      origin: 'USA',
      destination: 'GBR',
      departureAt: Date.now() + 48 * HOUR,
      notificationId: id,
    });
    const xml = messageToXml({ ...body, pointOfContact: usaM.config.pointOfContact } as unknown as AnyTnxMessage);
    const sub = await request(usa.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${usaM.submitter}`)
      .set('Content-Type', 'application/xml')
      .send(xml)
      .expect(202);
    assert.equal(sub.body.id, id);
    const rec = await settled(usa, id);
    assert.equal(rec.state, 'delivered');
    const inbound = (await gbr.ctx.store.inbound.getByJti('USA', rec.jti!))!;
    const got = inbound.message as TravelNotification;
    assert.equal(got.notificationId, id);
    assert.equal(got.travel.departureAt, (body.travel as { departureAt: string }).departureAt);
    assert.deepEqual(got.person, (body as unknown as TravelNotification).person);
  });

  it('idempotent submission: the same Idempotency-Key twice gives one notification and one delivery', async () => {
    const body = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 30 * HOUR });
    const key = `e2e-${Date.now()}`;
    const post = (b: unknown) =>
      request(usa.url!)
        .post('/api/v1/notifications')
        .set('Authorization', `Bearer ${usaM.submitter}`)
        .set('Idempotency-Key', key)
        .send(b as object);
    const first = await post(body).expect(202);
    const second = await post(body).expect(202);
    assert.equal(second.body.id, first.body.id);
    const rec = await settled(usa, first.body.id as string);
    assert.equal(rec.state, 'delivered');
    const third = await post(body).expect(202);
    assert.equal(third.body.id, first.body.id);
    assert.equal(third.body.status, 'delivered', 'a replay answers with the current state');
    await post({ ...body, travel: { ...(body.travel as object), purpose: 'Business' } }).expect(409);

    const mine = await usa.ctx.store.outbound.list({ notificationId: first.body.id as string }, { limit: 10 });
    assert.equal(mine.items.length, 1, 'one outbound record');
    const theirs = await gbr.ctx.store.inbound.list(
      { iss: 'USA', notificationId: first.body.id as string },
      { limit: 10 },
    );
    assert.equal(theirs.items.length, 1, 'one message received');
  });
});
