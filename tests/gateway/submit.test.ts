/** Submission API: JSON and XML, filled fields, validation errors, idempotency, no_channel. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { toPublicJwk } from '../../src/domain/keys/jwk.js';
import { systemClock } from '../../src/core/clock.js';
import { bearer, bootstrap, example, exampleText, type TestGateway } from './bootstrap.js';

describe('gateway: submission (POST /api/v1/notifications)', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await bootstrap();
  });
  afterEach(async () => {
    await gw.close();
  });

  /** The stored message carries what the gateway filled in: origin, the id as notificationId, its point of contact. */
  async function assertFilled(id: string): Promise<void> {
    const rec = await gw.ctx.store.outbound.get(id);
    assert.ok(rec);
    const m = rec.message as unknown as Record<string, unknown>;
    assert.equal(m.origin, 'USA');
    assert.equal(m.notificationId, id);
    assert.deepEqual(m.pointOfContact, gw.config.pointOfContact);
  }

  async function auditActions(messageId: string): Promise<string[]> {
    const page = await gw.ctx.store.audit.query({ messageId }, { limit: 100 });
    return page.items.map((e) => e.action).sort();
  }

  it('accepts a JSON notification: 202 after durable storage, queued with one delivery job, audited', async () => {
    const n = example('travel-notification.json');
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(n)
      .expect(202);
    assert.equal(res.body.id, n.notificationId);
    assert.equal(res.body.status, 'queued');
    assert.equal(res.body.statusUrl, `/api/v1/notifications/${n.notificationId as string}`);
    assert.equal(res.headers.location, res.body.statusUrl);

    const rec = await gw.ctx.store.outbound.get(n.notificationId as string);
    assert.ok(rec);
    assert.equal(rec.state, 'queued');
    assert.equal(rec.partner, 'THA');
    assert.equal(rec.submittedBy, 'submitter');
    assert.equal(rec.departureAt, Date.parse('2026-12-10T23:05:00-05:00'));
    const job = await gw.queue.queue.getJob(rec.id);
    assert.ok(job, 'a delivery job exists');
    assert.equal(job.data.id, rec.id);
    assert.deepEqual(await auditActions(rec.id), [
      'notification.accepted',
      'notification.queued',
      'personal_data.created',
    ]);
  });

  it('fills origin, notificationId and pointOfContact when absent', async () => {
    const n = example('travel-notification.json');
    delete n.origin;
    delete n.notificationId;
    delete n.pointOfContact;
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(n)
      .expect(202);
    assert.match(res.body.id as string, /^[0-9a-f-]{36}$/);
    await assertFilled(res.body.id as string);
  });

  it('accepts the XML form and stores the same message as the JSON form', async () => {
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .set('Content-Type', 'application/xml')
      .send(exampleText('travel-notification.xml'))
      .expect(202);
    const rec = await gw.ctx.store.outbound.get(res.body.id as string);
    assert.ok(rec);
    assert.deepEqual(rec.message, example('travel-notification.json'));
    assert.equal(rec.state, 'queued');
  });

  it('fills origin, notificationId and pointOfContact in an XML submission too', async () => {
    const xml = exampleText('travel-notification.xml')
      .replace(/<origin>[A-Z]{3}<\/origin>/, '')
      .replace(/<notificationId>[^<]*<\/notificationId>/, '')
      .replace(/<pointOfContact>[\s\S]*?<\/pointOfContact>/, '');
    assert.doesNotMatch(xml, /<origin>|<notificationId>|<pointOfContact>/);
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .set('Content-Type', 'application/xml')
      .send(xml)
      .expect(202);
    await assertFilled(res.body.id as string);
  });

  it('refuses a schema-invalid XML submission with the pointer of the field', async () => {
    const xml = exampleText('travel-notification.xml').replace(
      /<departureAt>[^<]*<\/departureAt>/,
      '<departureAt>tomorrow</departureAt>',
    );
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .set('Content-Type', 'application/xml')
      .send(xml)
      .expect(422);
    assert.equal(res.body.code, 'invalid_message');
    assert.match(String(res.body.pointer), /^\/travel/);
  });

  it('refuses a notification claiming another origin, naming the field', async () => {
    const n = example('travel-notification.json');
    n.origin = 'GBR';
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(n)
      .expect(422);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.body.code, 'invalid_message');
    assert.equal(res.body.pointer, '/origin');
    assert.equal(await gw.ctx.store.outbound.get(n.notificationId as string), null, 'nothing stored');
  });

  it('refuses a schema-invalid notification with the pointer of the field and stores nothing', async () => {
    const n = example('travel-notification.json');
    (n.travel as Record<string, unknown>).departureAt = 'tomorrow';
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(n)
      .expect(422);
    assert.equal(res.body.code, 'invalid_message');
    assert.match(String(res.body.pointer), /^\/travel/);
    assert.equal(res.body.instance, res.headers['x-request-id']);
    assert.equal(await gw.ctx.store.outbound.get(n.notificationId as string), null);
    const refusals = await gw.ctx.store.audit.query({ action: 'input.refused' }, { limit: 10 });
    assert.equal(refusals.items.length, 1);
    assert.equal(refusals.items[0]!.outcome, 'invalid_message');
    assert.equal(refusals.items[0]!.actor, 'submitter');
  });

  it('refuses a TravelUpdate body on the notifications endpoint', async () => {
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(example('travel-update-amend.json'))
      .expect(400);
    assert.equal(res.body.code, 'unsupported_message_type');
  });

  describe('idempotency', () => {
    it('same Idempotency-Key and same body → the first answer again, one record, one job', async () => {
      const n = example('travel-notification.json');
      delete n.notificationId;
      const first = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .set('Idempotency-Key', 'k-1')
        .send(n)
        .expect(202);
      const second = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .set('Idempotency-Key', 'k-1')
        .send(n)
        .expect(202);
      assert.equal(second.body.id, first.body.id);
      assert.equal(second.body.statusUrl, first.body.statusUrl);
      const all = await gw.ctx.store.outbound.list({}, { limit: 10 });
      assert.equal(all.items.length, 1);
      assert.equal(
        (await gw.ctx.store.audit.query({ action: 'notification.accepted' }, { limit: 10 })).items.length,
        1,
      );
    });

    it('same Idempotency-Key with another body → 409 idempotency_conflict, nothing new stored', async () => {
      const n = example('travel-notification.json');
      delete n.notificationId;
      await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .set('Idempotency-Key', 'k-2')
        .send(n)
        .expect(202);
      (n.travel as Record<string, unknown>).purpose = 'Business';
      const res = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .set('Idempotency-Key', 'k-2')
        .send(n)
        .expect(409);
      assert.equal(res.body.code, 'idempotency_conflict');
      assert.equal((await gw.ctx.store.outbound.list({}, { limit: 10 })).items.length, 1);
    });

    it('a client-supplied notificationId is an idempotency id too', async () => {
      const n = example('travel-notification.json');
      const a = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .send(n)
        .expect(202);
      const b = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .send(n)
        .expect(202);
      assert.equal(b.body.id, a.body.id);
      (n.travel as Record<string, unknown>).purpose = 'Business';
      const c = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .send(n)
        .expect(409);
      assert.equal(c.body.code, 'idempotency_conflict');
      // another submitter cannot take over or probe the id either
      const d = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter2'))
        .send(example('travel-notification.json'))
        .expect(409);
      assert.equal(d.body.code, 'idempotency_conflict');
    });

    it('refuses a malformed Idempotency-Key', async () => {
      const res = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .set('Idempotency-Key', 'has spaces in it')
        .send(example('travel-notification.json'))
        .expect(400);
      assert.equal(res.body.code, 'invalid_request');
    });
  });

  it('a destination without a gateway is stored as no_channel (202), not queued, and visible to the PoC', async () => {
    const n = example('travel-notification.json');
    n.destination = 'PHL';
    (n.travel as Record<string, unknown>).destinationCountries = ['TUR', 'PHL'];
    for (const a of (n.travel as Record<string, unknown>).accommodation as Record<string, unknown>[]) a.country = 'PHL';
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(n)
      .expect(202);
    assert.equal(res.body.status, 'no_channel');
    assert.equal(await gw.queue.queue.getJob(res.body.id as string), undefined, 'no delivery job');
    const view = await request(gw.url)
      .get('/api/v1/notifications?state=no_channel')
      .set('Authorization', bearer('poc'))
      .expect(200);
    assert.deepEqual(
      view.body.items.map((i: { id: string }) => i.id),
      [res.body.id],
    );
    // the PoC reads it to pass it on by hand: purpose required, logged as a consultation
    const noPurpose = await request(gw.url)
      .get(`/api/v1/notifications/${res.body.id as string}/message`)
      .set('Authorization', bearer('poc'))
      .expect(400);
    assert.equal(noPurpose.body.code, 'purpose_required');
    const msg = await request(gw.url)
      .get(`/api/v1/notifications/${res.body.id as string}/message?purpose=manual%20handling`)
      .set('Authorization', bearer('poc'))
      .expect(200);
    assert.equal(msg.body.message.destination, 'PHL');
    assert.equal(msg.body.state, 'no_channel');
    const reads = await gw.ctx.store.audit.query(
      { action: 'personal_data.read', messageId: res.body.id as string },
      { limit: 5 },
    );
    assert.equal(reads.items.length, 1);
    assert.equal((reads.items[0]!.detail as { purpose: string }).purpose, 'manual handling');
    await request(gw.url)
      .get(`/api/v1/notifications/${res.body.id as string}/message?purpose=x`)
      .set('Authorization', bearer('auditor'))
      .expect(403);
    const metrics = await request(gw.metricsUrl).get('/metrics').expect(200);
    assert.match(metrics.text, /tnx_deliveries_total\{partner="PHL",outcome="no_channel"\} 1/);
    assert.match(metrics.text, /tnx_submissions_total\{type="TravelNotification"\} 1/);
  });

  it('a partner listed with endpoint null is no_channel too', async () => {
    await gw.close();
    const jwks = await generateKeySet('KHM', systemClock);
    gw = await bootstrap({
      extraPartners: [
        {
          state: 'KHM',
          name: 'Cambodia',
          endpoint: null,
          jwks: { keys: jwks.keys.map((k) => ({ ...toPublicJwk(k) })) },
          pointOfContact: { unit: 'Desk', email: 'desk@khm.test.example', phone: '+855 23 000 000', hours: '24/7' },
        },
      ],
    });
    const n = example('travel-notification.json');
    n.destination = 'KHM';
    (n.travel as Record<string, unknown>).destinationCountries = ['TUR', 'KHM'];
    for (const a of (n.travel as Record<string, unknown>).accommodation as Record<string, unknown>[]) a.country = 'KHM';
    const res = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(n)
      .expect(202);
    assert.equal(res.body.status, 'no_channel');
    assert.equal((await gw.ctx.store.outbound.get(res.body.id as string))?.state, 'no_channel');
    assert.deepEqual(await auditActions(res.body.id as string), [
      'notification.accepted',
      'notification.no_channel',
      'personal_data.created',
    ]);
  });
});
