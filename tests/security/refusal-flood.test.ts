/**
 * Anonymous floods: refused unauthenticated requests cost the sender its budget per address (429 with
 * Retry-After, counted in Redis so every process sees it) and cost the audit trail a handful of rows
 * per window, not one per request.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { Agent, request } from 'undici';
import { redisRefusalLimiter } from '../../src/adapters/rate-limit/redis-refusal-limiter.js';
import { createApp } from '../../src/http/app.js';
import { listen } from '../../src/http/server.js';
import { until } from '../harness/poll.js';
import { bootstrap, type TestGateway } from '../gateway/bootstrap.js';

async function send(
  agent: Agent,
  url: string,
  i: number,
): Promise<{ status: number; retryAfter: string | undefined; code: unknown }> {
  const res =
    i % 2 === 0
      ? await request(`${url}/api/v1/notifications/x`, {
          dispatcher: agent,
          headers: { authorization: `Bearer wrong-${i}` },
        })
      : await request(`${url}/tnx/v1/messages`, {
          dispatcher: agent,
          method: 'POST',
          headers: { 'content-type': 'application/jose' },
          body: `garbage.${i}`,
        });
  const body = (await res.body.json()) as { code?: unknown };
  const ra = res.headers['retry-after'];
  return { status: res.statusCode, retryAfter: Array.isArray(ra) ? ra[0] : ra, code: body.code };
}

describe('security: refused anonymous traffic', function () {
  this.timeout(120_000);
  let gw: TestGateway;
  const agent = new Agent({ connections: 16 });

  before(async () => {
    gw = await bootstrap({ config: { http: { host: '127.0.0.1', port: 0, refusalLimit: 50 } } });
  });
  after(async () => {
    await agent.close();
    await gw.close();
  });

  it('2,000 refused requests add at most a handful of audit rows, and the flood gets 429 + Retry-After', async () => {
    const before = await gw.ctx.store.audit.count();
    const results: Awaited<ReturnType<typeof send>>[] = [];
    for (let i = 0; i < 2000; i += 20) {
      results.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => send(agent, gw.url, i + j)))));
    }
    await gw.refusals.flush();
    const added = (await gw.ctx.store.audit.count()) - before;
    assert.ok(added <= 6, `audit rows added: ${added}`);

    const limited = results.filter((r) => r.status === 429);
    assert.ok(limited.length >= 1900, `429 answers: ${limited.length}`);
    for (const r of limited) {
      assert.equal(r.code, 'rate_limited');
      assert.ok(Number(r.retryAfter) >= 1 && Number(r.retryAfter) <= 60, `Retry-After ${r.retryAfter}`);
    }
    const counted = await gw.ctx.store.audit.query({ action: 'request.refused' }, { limit: 20 });
    const total = counted.items.reduce((n, e) => n + Number(e.detail?.count ?? 0), 0);
    assert.equal(total, 2000, 'every refusal is counted, none lost');
  });

  it('the budget is kept in Redis: another process on the same Redis refuses the address after one refusal of its own', async () => {
    // A second app with its own Redis connection, as a second `tnx serve --http-only` would have.
    const limiter = redisRefusalLimiter({
      url: gw.config.redis.url,
      prefix: gw.config.redis.prefix,
      points: 50,
      windowSeconds: 60,
    });
    const app = createApp({ ctx: gw.ctx, queue: gw.queue, refusalLimiter: limiter });
    const other = await listen(app, gw.config);
    try {
      // Its own memory has seen nothing from this address: only the count in Redis can refuse it (once
      // the new connection is up; until then the in-memory fallback serves).
      // The count is read from Redis when this process charges a refusal (never per request, which
      // would cost every caller a Redis round trip): its first anonymous refusal finds the budget spent.
      const statuses: number[] = [];
      await until('the second process to answer 429', async () => {
        const res = await request(`${other.url}/api/v1/notifications`, { dispatcher: agent });
        await res.body.dump();
        statuses.push(res.statusCode);
        return res.statusCode === 429;
      });
      // One refusal may be counted by the in-memory fallback while the new connection comes up.
      assert.ok(statuses.filter((s) => s === 401).length <= 2, `at most two refusals first: ${statuses.join(',')}`);
    } finally {
      await other.close();
      await limiter.close();
    }
  });

  it('while Redis is unreachable the process counts in memory and still refuses', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const limiter = redisRefusalLimiter({
      url: `redis://127.0.0.1:${port}`,
      prefix: 'dead',
      points: 3,
      windowSeconds: 60,
    });
    try {
      for (let i = 0; i < 4; i++) await limiter.charge('203.0.113.9');
      assert.ok((await limiter.blockedFor('203.0.113.9')) >= 1);
      assert.equal(await limiter.blockedFor('203.0.113.10'), 0);
    } finally {
      await limiter.close();
    }
  });
});
