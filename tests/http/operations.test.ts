/** /healthz, /readyz, /metrics (on its own listener) and the public JWKS. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { bearer, bootstrap, example, type TestGateway } from '../gateway/bootstrap.js';

describe('http: operations endpoints', () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await bootstrap();
  });
  afterEach(async () => {
    await gw.close();
  });

  it('GET /healthz answers 200 without a token', async () => {
    const res = await request(gw.url).get('/healthz').expect(200);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('GET /readyz checks store, keys and Redis', async () => {
    const res = await request(gw.url).get('/readyz').expect(200);
    assert.deepEqual(res.body, { status: 'ready', checks: { store: 'ok', keys: 'ok', redis: 'ok' } });
  });

  it('GET /readyz answers 503 naming the failed check when the store is gone', async () => {
    await gw.ctx.store.close();
    const res = await request(gw.url).get('/readyz').expect(503);
    assert.equal(res.body.code, 'service_unavailable');
    assert.deepEqual(res.body.checks, { store: 'failed', keys: 'ok', redis: 'ok' });
  });

  it('GET /metrics (metrics listener) exposes the TNX metrics in Prometheus text format, counting what happened', async () => {
    await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(example('travel-notification.json'))
      .expect(202);
    const res = await request(gw.metricsUrl).get('/metrics').expect(200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    for (const name of [
      'tnx_submissions_total',
      'tnx_deliveries_total',
      'tnx_delivery_attempt_seconds',
      'tnx_queue_depth',
      'tnx_queue_waiting',
      'tnx_queue_oldest_waiting_seconds',
      'tnx_lead_time_seconds',
      'tnx_submit_to_receipt_seconds',
      'http_request_duration_seconds',
      'tnx_inbound_total',
      'tnx_alerts_total',
    ]) {
      assert.match(res.text, new RegExp(`# TYPE ${name} `), name);
    }
    assert.match(res.text, /tnx_submissions_total\{type="TravelNotification"\} 1/);
    assert.match(res.text, /tnx_queue_depth 1/, 'queue depth sampled from the real queue');
    assert.match(res.text, /^tnx_queue_waiting 1$/m, 'the job waits for a worker');
    const oldest = Number(/^tnx_queue_oldest_waiting_seconds (\S+)$/m.exec(res.text)?.[1]);
    assert.ok(oldest > 0 && oldest < 60, `oldest waiting job age ${oldest} s`);
    // The route's template, never the raw path; the duration in seconds.
    assert.match(
      res.text,
      /^http_request_duration_seconds_count\{route="\/api\/v1\/notifications",method="POST",status="202"\} 1$/m,
    );
    assert.doesNotMatch(res.text, /tnx_process_|tnx_lead_time_hours/);
  });

  it('GET /.well-known/jwks.json serves our public keys only', async () => {
    const res = await request(gw.url).get('/.well-known/jwks.json').expect(200);
    assert.match(String(res.headers['content-type']), /^application\/jwk-set\+json/);
    const keys = res.body.keys as Record<string, unknown>[];
    assert.ok(keys.length >= 2);
    for (const k of keys)
      for (const p of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(k[p], undefined, `private member ${p}`);
    assert.deepEqual(
      keys.map((k) => k.kid).sort(),
      gw.ctx.keys
        .publicJwks()
        .keys.map((k) => k.kid)
        .sort(),
    );
  });
});
