/** Admission control: submissions beyond the bounds are shed at once; probes and stored data stay sound. */
import assert from 'node:assert/strict';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import request from 'supertest';
import { Admission } from '../../src/features/submission/admission.js';
import { until } from '../harness/poll.js';
import { bearer, bootstrap, example, type TestGateway } from '../gateway/bootstrap.js';

interface Held {
  req: ClientRequest;
  rest: Buffer;
  answer: Promise<{ status: number; body: string }>;
}

/** A submission whose body is only half sent: it stays in flight until `finish`. */
function holdSubmission(base: string, body: string): Held {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  let req!: ClientRequest;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = httpRequest(
      new URL('/api/v1/notifications', base),
      {
        method: 'POST',
        headers: {
          Authorization: bearer('submitter'),
          'Content-Type': 'application/json',
          'Content-Length': String(bytes.length),
        },
      },
      (res: IncomingMessage) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
  });
  req.write(bytes.subarray(0, half));
  return { req, rest: bytes.subarray(half), answer };
}

function notificationBody(): string {
  const n = example('travel-notification.json');
  delete n.notificationId;
  return JSON.stringify(n);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

describe('http: admission control of submissions (real gateway, real Redis)', function () {
  this.timeout(20_000);
  let gw: TestGateway | null = null;
  let admission: Admission | null = null;
  afterEach(async () => {
    await admission?.stop();
    await gw?.close();
    gw = null;
    admission = null;
  });

  it('past the in-flight bound: 503 overloaded with Retry-After at once, probes fast, nothing half-stored', async () => {
    admission = new Admission({ maxInFlight: 2, maxQueueReady: 1_000_000 });
    gw = await bootstrap({ admission, config: { http: { host: '127.0.0.1', port: 0, overloadRetryAfterSeconds: 3 } } });
    const held = [holdSubmission(gw.url, notificationBody()), holdSubmission(gw.url, notificationBody())];
    await until('two submissions in flight', () => admission!.inFlight === 2);

    const refused = await timed(() =>
      request(gw!.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .type('json')
        .send(notificationBody()),
    );
    assert.equal(refused.value.status, 503);
    assert.match(String(refused.value.headers['content-type']), /^application\/problem\+json/);
    assert.equal(refused.value.body.code, 'overloaded');
    assert.equal(refused.value.body.retry, true);
    assert.equal(refused.value.headers['retry-after'], '3');
    assert.ok(refused.ms < 500, `answered at once (${refused.ms.toFixed(1)} ms)`);

    // Probes are never counted: they answer while the bound is saturated.
    const probes: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const h = await timed(() => request(gw!.url).get('/healthz'));
      assert.equal(h.value.status, 200);
      probes.push(h.ms);
    }
    const ready = await request(gw.url).get('/readyz');
    assert.equal(ready.status, 200);
    probes.sort((a, b) => a - b);
    assert.ok(probes[5]! < 100, `/healthz median ${probes[5]!.toFixed(1)} ms while saturated`);

    for (const h of held) h.req.end(h.rest);
    const answers = await Promise.all(held.map((h) => h.answer));
    assert.deepEqual(
      answers.map((a) => a.status),
      [202, 202],
    );
    // The refused one left nothing behind: two records, two submissions counted, two jobs queued.
    const list = await request(gw.url).get('/api/v1/notifications').set('Authorization', bearer('auditor'));
    assert.equal(list.status, 200);
    assert.equal((list.body.items as unknown[]).length, 2);
    assert.equal(await gw.queue.ready(), 2);
    const metrics = await gw.ctx.metrics.text();
    assert.match(metrics, /tnx_submissions_total\{type="TravelNotification"\} 2/);
    assert.match(metrics, /tnx_http_overloaded_total\{reason="in_flight"\} 1/);

    // The bound is released as answers leave.
    assert.equal(admission.inFlight, 0);
    await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .type('json')
      .send(notificationBody())
      .expect(202);
  });

  it('when the oldest submission in flight is too old: 503 overloaded (latency), admitted again once it is answered', async () => {
    admission = new Admission({ maxInFlight: 100, maxQueueReady: 1_000_000, maxAgeMs: 50 });
    gw = await bootstrap({ admission });
    const g = gw;
    const post = () =>
      request(g.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .type('json')
        .send(notificationBody());
    const held = holdSubmission(g.url, notificationBody());
    await until('one submission in flight', () => admission!.inFlight === 1);
    // Polled, not slept: the refusal comes once the held one is older than 50 ms.
    const shed = await until('a submission shed for latency', async () => {
      const res = await post();
      return res.status === 503 ? res : null;
    });
    assert.equal(shed.body.code, 'overloaded');
    assert.match(await g.ctx.metrics.text(), /tnx_http_overloaded_total\{reason="latency"\} [1-9]/);
    held.req.end(held.rest);
    assert.equal((await held.answer).status, 202);
    assert.equal((await post()).status, 202);
  });

  it('past the queue-lag bound: 503 overloaded until the workers catch up; reads and probes unaffected', async () => {
    admission = new Admission({ maxInFlight: 100, maxQueueReady: 1 });
    gw = await bootstrap({ admission });
    const g = gw;
    admission.sample(() => g.queue.ready(), 50);
    const post = () =>
      request(g.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .type('json')
        .send(notificationBody());
    assert.equal((await post()).status, 202);
    assert.equal((await post()).status, 202);
    // No worker runs: two ready jobs exceed the bound once sampled.
    const shed = await until('a submission shed for queue lag', async () => {
      const res = await post();
      return res.status === 503 ? res : null;
    });
    assert.equal(shed.body.code, 'overloaded');
    assert.equal(shed.headers['retry-after'], '1');
    assert.match(await g.ctx.metrics.text(), /tnx_http_overloaded_total\{reason="queue_lag"\} [1-9]/);
    await request(g.url).get('/healthz').expect(200);
    await request(g.url).get('/api/v1/notifications').set('Authorization', bearer('auditor')).expect(200);

    // The workers catch up (here: the jobs are taken away); submissions are admitted again.
    await g.queue.queue.obliterate({ force: true });
    await until('submissions admitted again', async () => (await post()).status === 202);
  });
});
