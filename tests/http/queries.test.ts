/** The delivery audit view and the audit trail query (JSON, CSV, filters, cursor pages), reads audited. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { csvCell } from '../../src/features/audit-trail/audit-query.js';
import { bearer, bootstrap, example, type TestGateway } from '../gateway/bootstrap.js';

describe('http: query endpoints', () => {
  let gw: TestGateway;
  let id: string;
  before(async () => {
    gw = await bootstrap();
    id = (
      await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .send(example('travel-notification.json'))
        .expect(202)
    ).body.id as string;
    // What the delivery worker records: two attempts and a receipt.
    const t0 = Date.parse('2026-12-01T10:00:00.000Z');
    await gw.ctx.store.outbound.transition(id, ['queued'], 'delivering');
    await gw.ctx.store.outbound.addAttempt({
      messageId: id,
      attempt: 1,
      startedAt: t0,
      durationMs: 12,
      httpStatus: null,
      error: 'ECONNREFUSED',
      outcome: 'retry',
      mayHaveReached: false,
    });
    await gw.ctx.store.outbound.addAttempt({
      messageId: id,
      attempt: 2,
      startedAt: t0 + 60_000,
      durationMs: 34,
      httpStatus: 200,
      error: null,
      outcome: 'delivered',
      mayHaveReached: true,
    });
    const departure = Date.parse('2026-12-10T23:05:00-05:00');
    await gw.ctx.store.outbound.transition(id, ['delivering'], 'delivered', {
      attempts: 2,
      deliveredAt: t0 + 60_050,
      receiptJws: 'eyJ.x.y',
      receiptDigest: 'ZGlnZXN0',
      leadTimeSeconds: Math.round((departure - (t0 + 60_050)) / 1000),
      timeliness: 'on_time',
    });
    // and a second submitter's notification
    const other = example('travel-notification.json');
    delete other.notificationId;
    await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter2'))
      .send(other)
      .expect(202);
  });
  after(async () => {
    await gw.close();
  });

  describe('GET /api/v1/notifications/{id}', () => {
    it('shows submission, each attempt, the receipt, departure, lead time, timeliness and state', async () => {
      const res = await request(gw.url)
        .get(`/api/v1/notifications/${id}`)
        .set('Authorization', bearer('auditor'))
        .expect(200);
      const v = res.body;
      assert.equal(v.id, id);
      assert.equal(v.state, 'delivered');
      assert.equal(v.partner, 'THA');
      assert.equal(v.departureAt, '2026-12-11T04:05:00.000Z');
      assert.match(v.submittedAt as string, /^\d{4}-\d{2}-\d{2}T.*Z$/);
      assert.deepEqual(v.attempts, [
        {
          attempt: 1,
          at: '2026-12-01T10:00:00.000Z',
          durationMs: 12,
          httpStatus: null,
          error: 'ECONNREFUSED',
          outcome: 'retry',
          mayHaveReached: false,
        },
        {
          attempt: 2,
          at: '2026-12-01T10:01:00.000Z',
          durationMs: 34,
          httpStatus: 200,
          error: null,
          outcome: 'delivered',
          mayHaveReached: true,
        },
      ]);
      assert.deepEqual(v.receipt, { receivedAt: '2026-12-01T10:01:00.050Z', digest: 'ZGlnZXN0' });
      assert.equal(v.timeliness, 'on_time');
      assert.equal(v.leadTimeHours, Math.round((v.leadTimeSeconds / 3600) * 100) / 100);
      assert.ok(v.leadTimeHours > 230 && v.leadTimeHours < 240);
      assert.equal(v.person, undefined, 'no personal data in the view');
      assert.doesNotMatch(JSON.stringify(v), /Kuznetsov/);
    });

    it('is audited as audit.queried with the reader', async () => {
      await request(gw.url).get(`/api/v1/notifications/${id}`).set('Authorization', bearer('admin')).expect(200);
      const page = await gw.ctx.store.audit.query(
        { action: 'audit.queried', actor: 'admin', messageId: id },
        { limit: 10 },
      );
      assert.equal(page.items.length, 1);
    });

    it('a submitter sees its own notifications only; others are not_found', async () => {
      await request(gw.url).get(`/api/v1/notifications/${id}`).set('Authorization', bearer('submitter')).expect(200);
      const res = await request(gw.url)
        .get(`/api/v1/notifications/${id}`)
        .set('Authorization', bearer('submitter2'))
        .expect(404);
      assert.equal(res.body.code, 'not_found');
      const list = await request(gw.url)
        .get('/api/v1/notifications')
        .set('Authorization', bearer('submitter2'))
        .expect(200);
      assert.equal(list.body.items.length, 1);
      assert.notEqual(list.body.items[0].id, id);
    });
  });

  describe('GET /api/v1/notifications', () => {
    it('filters by state and partner, pages by cursor', async () => {
      const delivered = await request(gw.url)
        .get('/api/v1/notifications?state=delivered&partner=THA')
        .set('Authorization', bearer('auditor'))
        .expect(200);
      assert.deepEqual(
        delivered.body.items.map((i: { id: string }) => i.id),
        [id],
      );
      const p1 = await request(gw.url)
        .get('/api/v1/notifications?limit=1')
        .set('Authorization', bearer('auditor'))
        .expect(200);
      assert.equal(p1.body.items.length, 1);
      assert.ok(p1.body.next);
      assert.match(String(p1.headers.link), /rel="next"/);
      const p2 = await request(gw.url)
        .get(`/api/v1/notifications?limit=1&cursor=${encodeURIComponent(p1.body.next as string)}`)
        .set('Authorization', bearer('auditor'))
        .expect(200);
      assert.equal(p2.body.items.length, 1);
      assert.notEqual(p2.body.items[0].id, p1.body.items[0].id);
      assert.equal(p2.body.next, null);
    });

    it('refuses unknown parameters and bad values', async () => {
      for (const q of ['partnr=THA', 'state=lost', 'limit=0', 'limit=abc', 'from=yesterday', 'partner=th']) {
        const res = await request(gw.url)
          .get(`/api/v1/notifications?${q}`)
          .set('Authorization', bearer('auditor'))
          .expect(400);
        assert.equal(res.body.code, 'invalid_request', q);
      }
    });
  });

  describe('GET /api/v1/audit', () => {
    it('filters by messageId, action, actor, partner and time range', async () => {
      const res = await request(gw.url)
        .get(`/api/v1/audit?messageId=${id}&action=notification.accepted`)
        .set('Authorization', bearer('auditor'))
        .expect(200);
      assert.equal(res.body.items.length, 1);
      const e = res.body.items[0];
      assert.equal(e.action, 'notification.accepted');
      assert.equal(e.actor, 'submitter');
      assert.equal(e.partner, 'THA');
      assert.match(e.hash as string, /^[0-9a-f]{64}$/);
      const byActor = await request(gw.url)
        .get('/api/v1/audit?actor=submitter2')
        .set('Authorization', bearer('auditor'))
        .expect(200);
      assert.ok(byActor.body.items.length >= 1);
      assert.ok(byActor.body.items.every((i: { actor: string }) => i.actor === 'submitter2'));
      const future = await request(gw.url)
        .get('/api/v1/audit?from=2099-01-01T00:00:00Z')
        .set('Authorization', bearer('auditor'))
        .expect(200);
      assert.equal(future.body.items.length, 0);
    });

    it('pages by cursor without gaps or repeats', async () => {
      const all = await request(gw.url)
        .get('/api/v1/audit?limit=1000&action=notification.accepted')
        .set('Authorization', bearer('admin'))
        .expect(200);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `/api/v1/audit?limit=1&action=notification.accepted${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await request(gw.url).get(q).set('Authorization', bearer('admin')).expect(200);
        seen.push(...page.body.items.map((i: { seq: number }) => i.seq));
        cursor = page.body.next as string | null;
      } while (cursor);
      assert.deepEqual(
        seen,
        all.body.items.map((i: { seq: number }) => i.seq),
      );
      assert.equal(seen.length, 2);
    });

    it('answers CSV with Accept: text/csv, one row per event, formula cells neutralised', async () => {
      const res = await request(gw.url)
        .get(`/api/v1/audit?messageId=${id}`)
        .set('Authorization', bearer('auditor'))
        .set('Accept', 'text/csv')
        .expect(200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      const rows = res.text.trim().split('\r\n');
      assert.equal(rows[0], 'seq,id,at,action,actor,messageId,partner,outcome,detail,prevHash,hash');
      const json = await request(gw.url)
        .get(`/api/v1/audit?messageId=${id}`)
        .set('Authorization', bearer('auditor'))
        .expect(200);
      assert.equal(rows.length - 1, json.body.items.length);
      assert.ok(rows.some((r) => r.includes(',notification.accepted,submitter,')));
      assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
      assert.equal(csvCell('-1+2'), "'-1+2");
      assert.equal(csvCell({ a: 1 }), '"{""a"":1}"');
    });

    it('refuses other formats with 406', async () => {
      const res = await request(gw.url)
        .get('/api/v1/audit')
        .set('Authorization', bearer('auditor'))
        .set('Accept', 'application/xml')
        .expect(406);
      assert.equal(res.body.code, 'not_acceptable');
    });

    it('audits each query, with the filter', async () => {
      await request(gw.url).get('/api/v1/audit?partner=THA').set('Authorization', bearer('auditor')).expect(200);
      const page = await gw.ctx.store.audit.query({ action: 'audit.queried', actor: 'auditor' }, { limit: 100 });
      assert.ok(
        page.items.some(
          (e) =>
            (e.detail as { view?: string; filter?: { partner?: string } }).view === 'audit' &&
            (e.detail as { filter: { partner?: string } }).filter.partner === 'THA',
        ),
      );
    });
  });
});
