/**
 * An administrator resends a failed delivery. Two real gateways: GBR first runs with a directory that
 * does not know USA, so it refuses USA's notification (400 unknown_key: its directory holds no key of USA — a permanent failure); GBR is
 * then restarted with its real directory and the resend is delivered — the same sealed bytes, audited,
 * enqueued once however many times the request is repeated.
 */
import { strict as assert } from 'node:assert';
import request from 'supertest';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { tokenFor } from '../../src/cli/demo/two-states.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { federation, settled, start, type Member } from './federation.js';

const HOUR = 3600_000;

describe('e2e: resend a failed delivery', function () {
  this.timeout(60_000);
  let usaM: Member;
  let gbrM: Member;
  let usa: RunningGateway;
  let gbr: RunningGateway | null = null;
  let admin: string;

  before(async () => {
    const f = await federation(['USA', 'GBR'] as const);
    usaM = f.USA;
    gbrM = f.GBR;
    admin = tokenFor(usaM.setup.tokens, 'admin');
    usa = await start(usaM);
  });
  after(async () => {
    await usa?.close();
    await gbr?.close();
  });

  const submit = (destination: string, hours: number) =>
    request(usa.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${usaM.submitter}`)
      .send(sampleNotification({ origin: 'USA', destination, departureAt: Date.now() + hours * HOUR }))
      .expect(202);
  const resend = (id: string, token = admin) =>
    request(usa.url!).post(`/api/v1/notifications/${id}/resend`).set('Authorization', `Bearer ${token}`);
  const resentEvents = async (id: string) =>
    (await usa.ctx.store.audit.query({ action: 'notification.resent', messageId: id }, { limit: 10 })).items;

  /** A notification that GBR refused for good, with GBR back on its real directory afterwards. */
  async function failedAtGbr(hours: number): Promise<string> {
    const notKnowingUsa = {
      ...gbrM.config,
      directory: {
        ...gbrM.config.directory,
        partners: gbrM.config.directory.partners.filter((p) => p.state !== 'USA'),
      },
    };
    gbr = await start({ ...gbrM, config: notKnowingUsa });
    try {
      const id = (await submit('GBR', hours)).body.id as string;
      const rec = await settled(usa, id);
      assert.equal(rec.state, 'failed');
      assert.match(rec.lastError ?? '', /unknown_key/);
      return id;
    } finally {
      await gbr.close();
      gbr = null;
    }
  }

  it('sends the same sealed bytes again, audited with the administrator as actor, and is delivered', async () => {
    const id = await failedAtGbr(48);
    const before = (await usa.ctx.store.outbound.get(id))!;
    assert.ok(before.jwe && before.jti, 'sealed before the first attempt');
    gbr = await start(gbrM);

    const res = await resend(id).expect(202);
    assert.equal(res.body.id, id);
    assert.equal(res.body.resent, true);
    assert.equal(res.headers.location, `/api/v1/notifications/${id}`);

    const after = await settled(usa, id);
    assert.equal(after.state, 'delivered');
    assert.equal(after.jwe, before.jwe, 'no re-seal: the very same JWE');
    assert.equal(after.jti, before.jti);
    assert.equal(after.attempts, before.attempts + 1);
    const received = (await gbr.ctx.store.inbound.list({ iss: 'USA', notificationId: id }, { limit: 10 })).items;
    assert.equal(received.length, 1);
    assert.equal(received[0]!.jti, before.jti, 'GBR holds the message under the jti of the first seal');

    const [ev, ...more] = await resentEvents(id);
    assert.ok(ev, 'notification.resent written');
    assert.equal(more.length, 0);
    assert.equal(ev.actor, usaM.setup.tokens.find((t) => t.role === 'admin')!.id);
    assert.equal(ev.partner, 'GBR');
    assert.match(String((ev.detail as { lastError: string }).lastError), /unknown_key/);

    // Delivered now: a further resend is refused with its own code.
    const again = await resend(id).expect(409);
    assert.equal(again.body.code, 'not_resendable');
    await gbr.close();
    gbr = null;
  });

  it('repeated concurrently, one resend is made and the others say so; one delivery follows', async () => {
    const id = await failedAtGbr(49);
    const before = (await usa.ctx.store.outbound.get(id))!;
    gbr = await start(gbrM);

    const answers = await Promise.all([resend(id), resend(id), resend(id)]);
    for (const a of answers) assert.equal(a.status, 202);
    assert.deepEqual(answers.map((a) => a.body.resent as boolean).sort(), [false, false, true]);

    const after = await settled(usa, id);
    assert.equal(after.state, 'delivered');
    assert.equal(after.attempts, before.attempts + 1, 'one more attempt, not three');
    assert.equal((await resentEvents(id)).length, 1);
    const received = (await gbr.ctx.store.inbound.list({ iss: 'USA', notificationId: id }, { limit: 10 })).items;
    assert.equal(received.length, 1);
    await gbr.close();
    gbr = null;
  });

  it('refuses an unknown id, a message without a channel, and every role but admin', async () => {
    const missing = await resend('0190a0c0-0000-7000-8000-000000000000').expect(404);
    assert.equal(missing.body.code, 'not_found');
    const garbage = await resend('not-an-id').expect(404);
    assert.equal(garbage.body.code, 'not_found');

    const manual = (await submit('PHL', 50)).body as { id: string; status: string };
    assert.equal(manual.status, 'no_channel');
    const noChannel = await resend(manual.id).expect(409);
    assert.equal(noChannel.body.code, 'no_channel');
    assert.equal((await usa.ctx.store.outbound.get(manual.id))!.state, 'no_channel', 'nothing changed');
    assert.equal(await usa.queue.queue.getJob(manual.id), undefined, 'nothing enqueued');

    for (const role of ['poc', 'auditor', 'submitter'] as const) {
      const r = await resend(manual.id, tokenFor(usaM.setup.tokens, role)).expect(403);
      assert.equal(r.body.code, 'forbidden');
    }
    await resend(manual.id, 'not-a-token').expect(401);
    assert.equal((await resentEvents(manual.id)).length, 0);
  });
});
