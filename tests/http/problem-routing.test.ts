/** problem+json for every error, unknown routes, wrong methods, and errors that must not leak. */
import { until } from '../harness/poll.js';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import request from 'supertest';
import { TnxError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { PROBLEM_MEDIA_TYPE, toProblem } from '../../src/http/problem.js';
import { bearer, bootstrap, example, type TestGateway } from '../gateway/bootstrap.js';

describe('http: problem documents and routing', () => {
  describe('toProblem()', () => {
    it('keeps code, title, detail and pointer of an exposed TnxError, instance = request id', () => {
      const p = toProblem(
        new TnxError('invalid_message', 'departureAt must equal legs[0]', { pointer: '/travel/departureAt' }),
        'req-1',
      );
      assert.equal(p.status, 422);
      assert.deepEqual(p.body, {
        type: 'urn:tnx:problem:invalid_message',
        title: 'Message does not conform to its schema',
        status: 422,
        code: 'invalid_message',
        detail: 'departureAt must equal legs[0]',
        pointer: '/travel/departureAt',
        instance: 'req-1',
        retry: false,
      });
      assert.equal(p.unexpected, false);
    });

    it('turns anything else into a generic internal_error 500 without its message', () => {
      const p = toProblem(new Error('SQLITE_CONSTRAINT: person.name = "Oleg Kuznetsov"'), 'req-2');
      assert.equal(p.status, 500);
      assert.equal(p.body.code, 'internal_error');
      assert.equal(p.unexpected, true);
      assert.doesNotMatch(JSON.stringify(p.body), /Oleg|SQLITE/);
    });

    it('hides the message of a TnxError that is not exposed', () => {
      const p = toProblem(new TnxError('store_unavailable', 'disk /var/lib full while writing Kuznetsov'), 'req-3');
      assert.equal(p.status, 503);
      assert.equal(p.body.code, 'store_unavailable');
      assert.equal(p.body.detail, undefined);
      assert.doesNotMatch(JSON.stringify(p.body), /Kuznetsov/);
    });
  });

  describe('over HTTP', () => {
    let gw: TestGateway;
    const lines: string[] = [];
    before(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(chunk.toString());
          cb();
        },
      });
      gw = await bootstrap({ log: createLogger({ level: 'debug' }, sink) });
    });
    after(async () => {
      await gw.close();
    });

    it('unknown routes → 404 not_found as problem+json', async () => {
      for (const path of ['/', '/api/v1/nope', '/tnx/v2/messages', '/api/v1/notifications/a/b']) {
        const res = await request(gw.url).get(path).expect(404);
        assert.equal(res.headers['content-type'], `${PROBLEM_MEDIA_TYPE}; charset=utf-8`);
        assert.equal(res.body.code, 'not_found');
        assert.equal(res.body.instance, res.headers['x-request-id']);
      }
    });

    it('a known path with another method → 405 method_not_allowed with Allow', async () => {
      const res = await request(gw.url).delete('/api/v1/notifications').expect(405);
      assert.equal(res.body.code, 'method_not_allowed');
      assert.equal(res.headers.allow, 'GET, HEAD, POST');
      const r2 = await request(gw.url).get('/tnx/v1/messages').expect(405);
      assert.equal(r2.headers.allow, 'POST');
      const r3 = await request(gw.url).put('/healthz').expect(405);
      assert.equal(r3.headers.allow, 'GET, HEAD');
    });

    it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
      const a = await request(gw.url).get('/nope').set('X-Request-Id', 'partner-req-12345678');
      assert.equal(a.headers['x-request-id'], 'partner-req-12345678');
      const b = await request(gw.url).get('/nope').set('X-Request-Id', '<script>');
      assert.match(String(b.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });

    it('logs no personal data: request lines name route and status, never body values', async () => {
      const n = example('travel-notification.json');
      await request(gw.url).post('/api/v1/notifications').set('Authorization', bearer('submitter')).send(n).expect(202);
      const bad = { ...n, origin: 'GBR', notificationId: undefined };
      await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .send(bad)
        .expect(422);
      // The refused request's own log line is the observation: once it is written, everything is.
      await until('the log line of the refused request', () =>
        lines.some((l) => l.includes('"route":"submitNotification"') && l.includes('422')),
      );
      const all = lines.join('');
      for (const pd of ['Kuznetsov', 'Oleg', 'P91827364', '1971-03', 'Кузнецов', 'secret-submitter'])
        assert.ok(!all.includes(pd), `log leaks ${pd}`);
    });

    it('a store failure becomes a generic 503 problem; the cause goes to the log only', async () => {
      const other = await bootstrap({ log: createLogger({ level: 'silent' }) });
      try {
        await other.ctx.store.close();
        const res = await request(other.url).get('/api/v1/notifications').set('Authorization', bearer('auditor'));
        assert.ok(res.status >= 500, `got ${res.status}`);
        assert.ok(['store_unavailable', 'internal_error'].includes(res.body.code as string));
        assert.equal(res.body.detail, undefined);
        assert.equal(res.body.instance, res.headers['x-request-id']);
        // and the gateway still answers
        await request(other.url).get('/healthz').expect(200);
      } finally {
        await other.server.close();
        await other.queue.close();
      }
    });
  });
});

describe('http: extra routes from other parts', () => {
  it('mounts them with the same authentication, roles and problem documents', async () => {
    const { createApp } = await import('../../src/http/app.js');
    const { listen } = await import('../../src/http/server.js');
    const gw = await bootstrap();
    const app = createApp({
      ctx: gw.ctx,
      queue: gw.queue,
      extraRoutes: [
        {
          name: 'registryPing',
          method: 'GET',
          path: '/api/v1/registry/ping',
          part: 'core',
          roles: ['registry'],
          query: {},
          produces: ['json'],
          handle: async () => ({ body: { ok: true } }),
        },
      ],
    });
    const srv = await listen(app, gw.config);
    try {
      await request(srv.url).get('/api/v1/registry/ping').expect(401);
      const forbidden = await request(srv.url)
        .get('/api/v1/registry/ping')
        .set('Authorization', bearer('poc'))
        .expect(403);
      assert.equal(forbidden.body.code, 'forbidden');
      const ok = await request(srv.url)
        .get('/api/v1/registry/ping')
        .set('Authorization', bearer('registry'))
        .expect(200);
      assert.deepEqual(ok.body, { ok: true });
      assert.throws(() =>
        createApp({
          ctx: gw.ctx,
          queue: gw.queue,
          extraRoutes: [{ name: 'dup', method: 'GET', path: '/healthz', roles: null, steps: () => [] }],
        }),
      );
    } finally {
      await srv.close();
      await gw.close();
    }
  });
});
