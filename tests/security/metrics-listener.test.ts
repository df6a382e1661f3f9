/**
 * /metrics names partners, volumes per sender and the Node version: it is served on a listener of its
 * own (config.metrics), never on the partner inbox and API port. A real gateway started by
 * startGateway from a config file, as `tnx serve` starts it.
 */
import assert from 'node:assert/strict';
import { buildConfig } from '../../src/config/load.js';
import type { TnxConfigInput } from '../../src/config/schema.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { federation, start } from '../e2e/federation.js';
import { CONFIG_DIR } from '../gateway/bootstrap.js';

describe('security: metrics on their own listener', function () {
  this.timeout(60_000);
  let usa: RunningGateway;

  before(async () => {
    const members = await federation(['USA']);
    usa = await start(members.USA, { roles: { http: true, workers: false } });
  });
  after(() => usa?.close());

  it('the partner and API port answers 404 not_found on /metrics, with nothing of the metrics', async () => {
    const res = await fetch(`${usa.url!}/metrics`);
    const text = await res.text();
    assert.equal(res.status, 404);
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/);
    assert.equal((JSON.parse(text) as { code: string }).code, 'not_found');
    assert.ok(!text.includes('tnx_'), 'no metric leaks through the API port');
  });

  it('the metrics listener answers 200 with the Prometheus text, on another port of the loopback', async () => {
    assert.ok(usa.metricsUrl, 'the metrics listener runs where HTTP is served');
    const api = new URL(usa.url!);
    const metrics = new URL(usa.metricsUrl);
    assert.notEqual(metrics.port, api.port);
    assert.equal(metrics.hostname, '127.0.0.1');
    await fetch(`${usa.url!}/healthz`);
    const res = await fetch(`${usa.metricsUrl}/metrics`);
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
    assert.match(text, /^# TYPE tnx_\w+ (counter|gauge|histogram)$/m);
    assert.match(text, /http_request_duration_seconds_count\{route="\/healthz",method="GET",status="200"\} 1/);
  });

  it('the metrics listener answers liveness too: GET /healthz 200, as on the API port', async () => {
    const res = await fetch(`${usa.metricsUrl!}/healthz`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok' });
    const head = await fetch(`${usa.metricsUrl!}/healthz`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  it('the metrics listener serves nothing else: the API and inbox are 404 there, other methods 405', async () => {
    for (const path of ['/readyz', '/api/v1/notifications', '/tnx/v1/messages', '/metrics/x', '/healthz/x']) {
      const res = await fetch(`${usa.metricsUrl!}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { code: string }).code, 'not_found');
    }
    for (const path of ['/metrics', '/healthz']) {
      const post = await fetch(`${usa.metricsUrl!}${path}`, { method: 'POST', body: 'x' });
      assert.equal(post.status, 405, path);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
      await post.body?.cancel();
    }
  });

  it('a configuration that puts the metrics on the HTTP port is refused at start-up', () => {
    const input = {
      state: 'USA',
      pointOfContact: { unit: 'Desk', email: 'desk@usa.test.example', phone: '+1 202 555 0199', hours: '24/7' },
      keys: { privateJwksPath: '../keys/dev/usa.private.jwks.json' },
      http: { port: 8443 },
      metrics: { port: 8443 },
      auth: { tokens: [] },
    } as unknown as TnxConfigInput;
    assert.throws(
      () => buildConfig(input, { baseDir: CONFIG_DIR }),
      (err: { code?: string; pointer?: string }) =>
        err.code === 'config_invalid' && err.pointer === 'config/metrics/port',
    );
  });
});
