/**
 * One purpose rule for every route that takes one (no control characters, bounded), and a point of
 * contact reads only the messages left for manual handling (`no_channel`).
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import {
  bearer,
  bootstrap,
  example,
  inboundNotification,
  partnerSealer,
  type TestGateway,
} from '../gateway/bootstrap.js';

describe('security: purposes and least privilege', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let outboundId: string;
  let inboundId: string;

  before(async () => {
    gw = await bootstrap();
    const sent = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(example('travel-notification.json'))
      .expect(202);
    outboundId = sent.body.id as string;
    assert.notEqual(sent.body.status, 'no_channel');
    const tha = await partnerSealer('THA');
    const { jwe } = await tha.seal(inboundNotification('THA'));
    await request(gw.url).post('/tnx/v1/messages').set('Content-Type', 'application/jose').send(jwe).expect(200);
    const inbox = await request(gw.url).get('/api/v1/inbox').set('Authorization', bearer('poc')).expect(200);
    inboundId = (inbox.body.items as { id: string }[])[0]!.id;
  });
  after(() => gw.close());

  for (const [label, bad] of [
    ['NUL', 'a%00b'],
    ['CR', 'a%0Db'],
    ['LF', 'a%0Ab'],
    ['DEL', 'a%7Fb'],
  ] as const) {
    it(`a purpose with ${label} is refused on every purpose route, and nothing is read`, async () => {
      const before = await gw.ctx.store.audit.query({ action: 'personal_data.read' }, { limit: 100 });
      for (const path of [`/api/v1/notifications/${outboundId}/message`, `/api/v1/inbox/${inboundId}`]) {
        const res = await request(gw.url).get(`${path}?purpose=${bad}`).set('Authorization', bearer('poc'));
        assert.equal(res.status, 400, path);
        assert.equal(res.body.code, 'invalid_request');
        assert.equal(res.body.pointer, 'query/purpose');
      }
      const after = await gw.ctx.store.audit.query({ action: 'personal_data.read' }, { limit: 100 });
      assert.equal(after.items.length, before.items.length);
    });
  }

  it('a poc cannot read the message of a notification on its delivery path (403), and the refusal is audited', async () => {
    const res = await request(gw.url)
      .get(`/api/v1/notifications/${outboundId}/message?purpose=curious`)
      .set('Authorization', bearer('poc'));
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'forbidden');
    assert.equal(res.body.message, undefined);
    const reads = await gw.ctx.store.audit.query({ action: 'personal_data.read', messageId: outboundId }, { limit: 5 });
    assert.equal(reads.items.length, 0, 'nothing was disclosed');
    const refused = await gw.ctx.store.audit.query({ action: 'input.refused', actor: 'poc' }, { limit: 10 });
    assert.ok(refused.items.some((e) => e.outcome === 'forbidden' && e.detail?.route === 'readNotificationMessage'));
  });
});
