/**
 * docs/audit-trail.md promises an event for every message sent, of every type, and one for the
 * configuration each process starts with. Two real gateways: a notification, a follow-up back and a
 * cancel after delivery, then each promised action is looked up in the sender's own trail.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { sampleCancel, sampleNotification } from '../../src/cli/demo/samples.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { federation, settled, start, type Member } from '../e2e/federation.js';

const HOUR = 3600_000;

describe('audit: every message sent and the configuration loaded are in the trail', function () {
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

  const eventsOf = async (gw: RunningGateway, action: string, messageId?: string) =>
    (await gw.ctx.store.audit.query({ action, ...(messageId ? { messageId } : {}) }, { limit: 10 })).items;

  it('config.loaded at start-up names the digest of the file the process read', async () => {
    const [ev] = await eventsOf(usa, 'config.loaded');
    assert.ok(ev, 'config.loaded written');
    const digest = createHash('sha256').update(readFileSync(usaM.setup.configPath)).digest('base64url');
    assert.equal((ev.detail as { configDigest: string }).configDigest, digest);
    assert.equal((ev.detail as { state: string }).state, 'USA');
  });

  it('a follow-up sent is followup.sent; a cancel sent is update.sent — each by the sender', async () => {
    const n = await request(usa.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${usaM.submitter}`)
      .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 72 * HOUR }))
      .expect(202);
    const id = n.body.id as string;
    assert.equal((await settled(usa, id)).state, 'delivered');
    assert.equal((await eventsOf(usa, 'notification.delivered', id)).length, 1);

    const rec = (await usa.ctx.store.outbound.get(id))!;
    const inbound = (await gbr.ctx.store.inbound.getByJti('USA', rec.jti!))!;
    const fu = await request(gbr.url!)
      .post(`/api/v1/inbox/${inbound.id}/follow-ups`)
      .set('Authorization', `Bearer ${gbrM.poc}`)
      .send({ action: 'entry_denied' })
      .expect(202);
    const fuId = fu.body.id as string;
    assert.equal((await settled(gbr, fuId)).state, 'delivered');
    const [fuSent] = await eventsOf(gbr, 'followup.sent', fuId);
    assert.ok(fuSent, 'followup.sent written by GBR');
    assert.equal(fuSent.partner, 'USA');

    const u = await request(usa.url!)
      .post('/api/v1/updates')
      .set('Authorization', `Bearer ${usaM.submitter}`)
      .send(sampleCancel({ origin: 'USA', destination: 'GBR', notificationId: id }))
      .expect(202);
    const uId = u.body.id as string;
    assert.equal((await settled(usa, uId)).state, 'delivered');
    const [upSent] = await eventsOf(usa, 'update.sent', uId);
    assert.ok(upSent, 'update.sent written by USA');
    assert.equal(upSent.partner, 'GBR');
    assert.equal((upSent.detail as { notificationId: string }).notificationId, id);
  });
});
