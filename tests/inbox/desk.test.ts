/** The point-of-contact desk: unread first, soonest departure first, per origin state. */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Principal } from '../../src/core/principal.js';
import { deskOrder, inboxDesk } from '../../src/features/inbox/desk.js';
import { bearer, bootstrap, inboundNotification, partnerSealer, type TestGateway } from '../gateway/bootstrap.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const item = (id: string, read: boolean, departureAt: string | null, receivedAt = '2026-12-01T00:00:00.000Z') => ({
  id,
  read,
  departureAt,
  receivedAt,
});

describe('inbox: the point-of-contact desk', () => {
  it('orders unread first; then departures ahead soonest first, under way latest first, none newest first', () => {
    const order = deskOrder(
      [
        item('read-soon', true, '2026-12-08T00:00:00.000Z'),
        item('none-old', false, null, '2026-12-01T00:00:00.000Z'),
        item('gone-long-ago', false, '2026-11-01T00:00:00.000Z'),
        item('later', false, '2026-12-20T00:00:00.000Z'),
        item('none-new', false, null, '2026-12-05T00:00:00.000Z'),
        item('soonest', false, '2026-12-07T13:00:00.000Z'),
        item('just-left', false, '2026-12-07T11:00:00.000Z'),
        item('read-none', true, null),
      ],
      NOW,
    ).map((i) => i.id);
    assert.deepEqual(order, [
      'soonest',
      'later',
      'just-left',
      'gone-long-ago',
      'none-new',
      'none-old',
      'read-soon',
      'read-none',
    ]);
  });

  describe('on a gateway with messages from two states', () => {
    let gw: TestGateway;
    const poc: Principal = { id: 'poc', role: 'poc' };
    let thaNotification: string;
    before(async () => {
      gw = await bootstrap();
      const tha = await partnerSealer('THA');
      const gbr = await partnerSealer('GBR');
      const t = inboundNotification('THA');
      thaNotification = t.notificationId;
      for (const [sealer, n] of [
        [tha, t],
        [tha, inboundNotification('THA')],
        [gbr, inboundNotification('GBR')],
      ] as const) {
        await request(gw.url)
          .post('/tnx/v1/messages')
          .set('Content-Type', 'application/jose')
          .send((await sealer.seal(n)).jwe)
          .expect(200);
      }
    });
    after(async () => {
      await gw.close();
    });

    it('marks a message read once it was consulted (from the audit trail), and moves it after the unread', async () => {
      const before = await inboxDesk(gw.ctx, poc);
      assert.equal(before.items.length, 3);
      assert.ok(before.items.every((i) => !i.read));
      assert.deepEqual(before.origins, [
        { iss: 'THA', total: 2, unread: 2 },
        { iss: 'GBR', total: 1, unread: 1 },
      ]);
      const target = before.items.find((i) => i.notificationId === thaNotification)!;
      await request(gw.url)
        .get(`/api/v1/inbox/${target.id}?purpose=desk%20check`)
        .set('Authorization', bearer('poc'))
        .expect(200);

      const after = await inboxDesk(gw.ctx, poc);
      assert.equal(after.items.at(-1)!.id, target.id, 'the read message comes last');
      assert.equal(after.items.at(-1)!.read, true);
      assert.equal(after.items.at(-1)!.lastReadBy, 'poc');
      assert.ok(after.items.at(-1)!.lastReadAt);
      assert.deepEqual(
        after.origins.map((o) => [o.iss, o.unread]),
        [
          ['GBR', 1],
          ['THA', 1],
        ],
      );
      assert.equal(after.more, false);
    });

    it('filters by origin state, bounds the window and says when more exist', async () => {
      const gbr = await inboxDesk(gw.ctx, poc, { iss: 'GBR' });
      assert.deepEqual(
        gbr.items.map((i) => i.iss),
        ['GBR'],
      );
      const small = await inboxDesk(gw.ctx, poc, { window: 2 });
      assert.equal(small.items.length, 2);
      assert.equal(small.more, true);
      const queried = await gw.ctx.store.audit.query({ action: 'audit.queried', actor: 'poc' }, { limit: 50 });
      assert.ok(queried.items.some((e) => (e.detail as { view?: string }).view === 'inbox_desk'));
    });
  });
});
