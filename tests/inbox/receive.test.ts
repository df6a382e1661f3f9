/** The inbox over real HTTP with envelopes sealed by the real `seal` of a partner's keys. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { ManualClock } from '../../src/core/clock.js';
import type { FollowUpReport } from '../../src/domain/protocol/types.js';
import {
  bearer,
  bootstrap,
  example,
  inboundNotification,
  partnerSealer,
  type PartnerSealer,
  type TestGateway,
} from '../gateway/bootstrap.js';

const post = (url: string, jwe: string) =>
  request(url).post('/tnx/v1/messages').set('Content-Type', 'application/jose').send(jwe);

describe('inbox: POST /tnx/v1/messages', () => {
  let gw: TestGateway;
  let tha: PartnerSealer;
  before(async () => {
    tha = await partnerSealer('THA');
  });
  beforeEach(async () => {
    gw = await bootstrap();
  });
  afterEach(async () => {
    await gw.close();
  });

  it('opens, stores and answers a signed receipt (application/jwt) that the sender verifies', async () => {
    const n = inboundNotification('THA');
    const sealed = await tha.seal(n);
    const before = Date.now();
    const res = await post(gw.url, sealed.jwe).expect(200);
    assert.equal(res.headers['content-type'], 'application/jwt');
    const receipt = await tha.verifyReceipt(res.text, { messageId: sealed.jti, digest: sealed.digest });
    assert.equal(receipt.messageId, sealed.jti);
    assert.equal(receipt.digest, sealed.digest);
    assert.match(receipt.receivedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(Date.parse(receipt.receivedAt) >= before - 1000);

    const stored = await gw.ctx.store.inbound.getByJti('THA', sealed.jti);
    assert.ok(stored);
    assert.deepEqual(stored.message, n);
    assert.equal(stored.digest, sealed.digest);
    assert.equal(stored.receiptJws, res.text);
    const actions = (await gw.ctx.store.audit.query({ messageId: n.notificationId }, { limit: 10 })).items
      .map((e) => e.action)
      .sort();
    assert.deepEqual(actions, ['message.received', 'personal_data.created']);
    const metrics = await gw.ctx.metrics.text();
    assert.match(metrics, /tnx_inbound_total\{iss="THA",outcome="accepted"\} 1/);
  });

  it('a duplicate gets the byte-identical receipt and is stored once', async () => {
    const sealed = await tha.seal(inboundNotification('THA'));
    const first = await post(gw.url, sealed.jwe).expect(200);
    await new Promise((r) => setTimeout(r, 5)); // a new receipt would carry another time
    const second = await post(gw.url, sealed.jwe).expect(200);
    assert.equal(second.text, first.text);
    const page = await gw.ctx.store.inbound.list({ iss: 'THA' }, { limit: 10 });
    assert.equal(page.items.length, 1);
    const dup = await gw.ctx.store.audit.query({ action: 'message.duplicate' }, { limit: 10 });
    assert.equal(dup.items.length, 1);
    assert.equal(dup.items[0]!.actor, 'THA');
  });

  describe('refused envelopes → problem+json codes, audited, nothing stored', () => {
    async function expectRefused(jwe: string, status: number, code: string): Promise<void> {
      const res = await post(gw.url, jwe).expect(status);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.body.code, code);
      // A verified sender's refusal is audited one by one; one before any sender was verified is
      // counted into the window's request.refused event.
      await gw.refusals.flush();
      const one = await gw.ctx.store.audit.query({ action: 'message.refused' }, { limit: 50 });
      const counted = await gw.ctx.store.audit.query({ action: 'request.refused' }, { limit: 50 });
      assert.ok(
        one.items.some((e) => e.outcome === code) ||
          counted.items.some((e) => e.outcome === code && e.detail?.kind === 'message'),
        `refusal ${code} audited`,
      );
      assert.equal((await gw.ctx.store.inbound.list({}, { limit: 10 })).items.length, 0);
    }

    it('tampered ciphertext → envelope_rejected', async () => {
      const { jwe } = await tha.seal(inboundNotification('THA'));
      const parts = jwe.split('.');
      const ct = Buffer.from(parts[3]!, 'base64url');
      ct[0] = ct[0]! ^ 0x01;
      parts[3] = ct.toString('base64url');
      await expectRefused(parts.join('.'), 400, 'envelope_rejected');
    });

    it('not a JWE → malformed_envelope', async () => {
      await expectRefused('not.an.envelope', 400, 'malformed_envelope');
    });

    it('sealed for another gateway → unknown_key', async () => {
      const { jwe } = await tha.seal(inboundNotification('THA'));
      const header = JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
      header.kid = 'GBR-enc-unknown';
      const forged = [Buffer.from(JSON.stringify(header)).toString('base64url'), ...jwe.split('.').slice(1)].join('.');
      await expectRefused(forged, 400, 'unknown_key');
    });

    it('an old message (iat outside the window) → stale_message', async () => {
      const old = new ManualClock(Date.now() - 30 * 24 * 3600 * 1000);
      const { jwe } = await tha.seal(inboundNotification('THA'), old);
      await expectRefused(jwe, 400, 'stale_message');
    });

    it('a follow-up about a notification we never sent → unknown_reference (422)', async () => {
      const f = example<FollowUpReport>('follow-up-report.json');
      const { jwe } = await tha.seal(f);
      await expectRefused(jwe, 422, 'unknown_reference');
    });
  });

  it('a FollowUpReport is stored and recorded against our notification', async () => {
    const n = example('travel-notification.json');
    await request(gw.url).post('/api/v1/notifications').set('Authorization', bearer('submitter')).send(n).expect(202);
    const f = example<FollowUpReport>('follow-up-report.json');
    const { jwe } = await tha.seal(f);
    await post(gw.url, jwe).expect(200);
    const events = await gw.ctx.store.audit.query(
      { messageId: n.notificationId as string, action: 'followup.received' },
      { limit: 5 },
    );
    assert.equal(events.items.length, 1);
    assert.equal(events.items[0]!.outcome, 'entry_denied');
    const inbound = await gw.ctx.store.inbound.list({ notificationId: n.notificationId as string }, { limit: 5 });
    assert.equal(inbound.items[0]?.messageType, 'FollowUpReport');

    // another state cannot report on a notification that went to THA
    const fra = await partnerSealer('FRA');
    const wrong = await fra.seal({ ...f, followUpId: '0e4f4b8a-0d43-4c1e-9a43-4d9a7b2c1e00', origin: 'FRA' });
    const res = await post(gw.url, wrong.jwe).expect(422);
    assert.equal(res.body.code, 'unknown_reference');
  });
});
