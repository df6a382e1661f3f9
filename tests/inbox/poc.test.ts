/** What points of contact do with the inbox: list, read (a logged consultation), report back. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { bearer, bootstrap, inboundNotification, partnerSealer, type TestGateway } from '../gateway/bootstrap.js';

describe('inbox: point-of-contact API', () => {
  let gw: TestGateway;
  let inboundId: string;
  let notificationId: string;
  before(async () => {
    gw = await bootstrap();
    const tha = await partnerSealer('THA');
    const gbr = await partnerSealer('GBR');
    const n = inboundNotification('THA');
    notificationId = n.notificationId;
    await request(gw.url)
      .post('/tnx/v1/messages')
      .set('Content-Type', 'application/jose')
      .send((await tha.seal(n)).jwe)
      .expect(200);
    await request(gw.url)
      .post('/tnx/v1/messages')
      .set('Content-Type', 'application/jose')
      .send((await gbr.seal(inboundNotification('GBR'))).jwe)
      .expect(200);
    const stored = await gw.ctx.store.inbound.list({ iss: 'THA' }, { limit: 1 });
    inboundId = stored.items[0]!.id;
  });
  after(async () => {
    await gw.close();
  });

  it('GET /api/v1/inbox lists references only, with filters and cursor pages', async () => {
    const all = await request(gw.url).get('/api/v1/inbox').set('Authorization', bearer('poc')).expect(200);
    assert.equal(all.body.items.length, 2);
    assert.doesNotMatch(JSON.stringify(all.body), /Kuznetsov|P91827364/);
    const tha = await request(gw.url)
      .get('/api/v1/inbox?iss=THA&type=TravelNotification')
      .set('Authorization', bearer('poc'))
      .expect(200);
    assert.deepEqual(
      tha.body.items.map((i: { id: string }) => i.id),
      [inboundId],
    );
    assert.equal(tha.body.items[0].notificationId, notificationId);
    assert.equal(tha.body.items[0].departureAt, '2026-12-11T04:05:00.000Z');
    const p1 = await request(gw.url).get('/api/v1/inbox?limit=1').set('Authorization', bearer('poc')).expect(200);
    const p2 = await request(gw.url)
      .get(`/api/v1/inbox?limit=1&cursor=${encodeURIComponent(p1.body.next as string)}`)
      .set('Authorization', bearer('poc'))
      .expect(200);
    assert.notEqual(p1.body.items[0].id, p2.body.items[0].id);
    assert.equal(p2.body.next, null);
  });

  it('GET /api/v1/inbox/{id} requires a purpose (purpose_required) and audits nothing without one', async () => {
    const res = await request(gw.url).get(`/api/v1/inbox/${inboundId}`).set('Authorization', bearer('poc')).expect(400);
    assert.equal(res.body.code, 'purpose_required');
    const reads = await gw.ctx.store.audit.query({ action: 'personal_data.read' }, { limit: 10 });
    assert.equal(reads.items.length, 0);
  });

  it('reading with a purpose returns the message and logs personal_data.read with actor and purpose', async () => {
    const res = await request(gw.url)
      .get(`/api/v1/inbox/${inboundId}?purpose=${encodeURIComponent('Case 2026-114: border alert')}`)
      .set('Authorization', bearer('poc'))
      .expect(200);
    assert.equal(res.body.message.person.name.family, 'Kuznetsov');
    const reads = await gw.ctx.store.audit.query({ action: 'personal_data.read', actor: 'poc' }, { limit: 10 });
    assert.equal(reads.items.length, 1);
    assert.equal((reads.items[0]!.detail as { purpose: string }).purpose, 'Case 2026-114: border alert');
    assert.equal(reads.items[0]!.messageId, notificationId);
    assert.equal(reads.items[0]!.partner, 'THA');
  });

  it('an unknown inbox id is not_found', async () => {
    const res = await request(gw.url)
      .get('/api/v1/inbox/00000000-0000-4000-8000-000000000000?purpose=check')
      .set('Authorization', bearer('poc'))
      .expect(404);
    assert.equal(res.body.code, 'not_found');
  });

  it('POST /api/v1/inbox/{id}/follow-ups creates a FollowUpReport to the origin and queues it like a notification', async () => {
    const body = { action: 'monitored', note: 'Subject met at arrival.' };
    const res = await request(gw.url)
      .post(`/api/v1/inbox/${inboundId}/follow-ups`)
      .set('Authorization', bearer('poc'))
      .set('Idempotency-Key', 'fu-1')
      .send(body)
      .expect(202);
    assert.equal(res.body.status, 'queued');
    const rec = await gw.ctx.store.outbound.get(res.body.id as string);
    assert.ok(rec);
    assert.equal(rec.messageType, 'FollowUpReport');
    assert.equal(rec.partner, 'THA');
    assert.equal(rec.notificationId, notificationId);
    const m = rec.message as unknown as Record<string, unknown>;
    assert.equal(m.origin, 'USA');
    assert.equal(m.destination, 'THA');
    assert.equal(m.action, 'monitored');
    assert.ok(await gw.queue.queue.getJob(rec.id), 'a delivery job exists');

    const again = await request(gw.url)
      .post(`/api/v1/inbox/${inboundId}/follow-ups`)
      .set('Authorization', bearer('poc'))
      .set('Idempotency-Key', 'fu-1')
      .send(body)
      .expect(202);
    assert.equal(again.body.id, res.body.id, 'idempotent retry');
  });

  it('refuses follow-ups with unknown fields, bad actions, or about a missing message', async () => {
    const r1 = await request(gw.url)
      .post(`/api/v1/inbox/${inboundId}/follow-ups`)
      .set('Authorization', bearer('poc'))
      .send({ action: 'monitored', destination: 'GBR' })
      .expect(422);
    assert.equal(r1.body.code, 'invalid_message');
    assert.equal(r1.body.pointer, '', 'the unknown name is not echoed');
    assert.ok(!JSON.stringify(r1.body).includes('destination'));
    const r2 = await request(gw.url)
      .post(`/api/v1/inbox/${inboundId}/follow-ups`)
      .set('Authorization', bearer('poc'))
      .send({ action: 'arrested_on_sight' })
      .expect(422);
    assert.equal(r2.body.code, 'invalid_message');
    const r3 = await request(gw.url)
      .post('/api/v1/inbox/00000000-0000-4000-8000-000000000000/follow-ups')
      .set('Authorization', bearer('poc'))
      .send({ action: 'none' })
      .expect(404);
    assert.equal(r3.body.code, 'not_found');
  });
});
