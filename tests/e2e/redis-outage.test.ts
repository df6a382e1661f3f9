/**
 * Redis going away under a real `tnx serve` process (docs/operations.md, "When Redis goes away"):
 * the outage is one structured warning, not a stack trace per reconnect; submissions are answered
 * from the store without waiting for the enqueue timeout; /readyz says the queue is unavailable;
 * and SIGTERM ends the process within its bound, non-zero because work was left to the outbox.
 */
import { strict as assert } from 'node:assert';
import request from 'supertest';
import { tokenFor, writeStateConfigs } from '../../src/cli/demo/two-states.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { startRedisServer, type LocalRedis } from '../../src/runtime/redis-server.js';
import { freePort } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { serveChild, until, type ServeChild } from './federation.js';

const HOUR = 3600_000;

/** The pino lines of a child's output (everything but the one `tnx serve:` line must be one). */
function logLines(text: string): { json: Record<string, unknown>[]; other: string[] } {
  const json: Record<string, unknown>[] = [];
  const other: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('tnx serve: ')) continue;
    try {
      json.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      other.push(line);
    }
  }
  return { json, other };
}

describe('e2e: tnx serve when Redis goes away', function () {
  this.timeout(60_000);
  let redis: LocalRedis | null = null;
  let gw: ServeChild | null = null;
  after(async () => {
    if (gw && gw.child.exitCode === null) gw.child.kill('SIGKILL');
    await redis?.stop();
  });

  it('one warning, 202 from the store, readyz degraded, bounded SIGTERM exit', async () => {
    redis = await startRedisServer({ stderr: 'ignore' });
    const port = await freePort();
    const setups = writeStateConfigs({
      dir: tempDir('tnx-outage'),
      redisUrl: redis.url,
      ports: { USA: port, GBR: await freePort() },
      overrides: {
        delivery: { backoffBaseMs: 50, backoffCapMs: 200, enqueueTimeoutMs: 10_000, shutdownTimeoutMs: 1_000 },
        shutdownTimeoutMs: 4_000,
        log: { level: 'info' },
      },
    });
    const usa = setups.USA!;
    gw = await serveChild(usa.configPath);
    const submitter = tokenFor(usa.tokens, 'submitter');
    await request(gw.url!).get('/readyz').expect(200);

    // kill -9: no goodbye from Redis; every connection of the gateway sees it at once.
    process.kill(redis.pid, 'SIGKILL');
    const lost = await until('the queue-unavailable warning', () =>
      logLines(gw!.output()).json.find((l) => l.msg === 'queue unavailable: Redis unreachable'),
    );
    assert.equal(lost.level, 40, 'a warning');

    // Known down: the submission does not wait the 10 s enqueue timeout — the outbox carries it.
    const sub = await request(gw.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${submitter}`)
      .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 26 * HOUR }))
      .expect(202);
    assert.equal(sub.body.status, 'accepted', 'left to the outbox recovery');

    const ready = await request(gw.url!).get('/readyz').expect(200);
    assert.equal(ready.body.status, 'degraded');
    assert.equal(ready.body.checks.redis, 'degraded: queue unavailable');

    // Let ioredis retry for a while (several reconnect attempts), still one warning and no raw lines.
    const reconnects = () => (gw!.output().match(/"msg":"queue unavailable: Redis unreachable"/g) ?? []).length;
    // Bounded observation: ioredis reconnects every few hundred ms; none of them may add a warning.
    await assert.rejects(until('a second queue-unavailable warning', () => reconnects() > 1, 3_000));
    const { other } = logLines(gw.output());
    assert.deepEqual(other, [], 'every line on stdout and stderr is pino JSON');
    assert.equal(reconnects(), 1, 'one warning per state change, not per reconnect attempt');

    gw.child.kill('SIGTERM');
    const code = await gw.exited;
    assert.notEqual(code, 0, 'work abandoned: non-zero exit');
    assert.equal(typeof code, 'number', 'it exited by itself, not by a signal');
    assert.ok(
      logLines(gw.output()).json.some((l) => l.msg === 'shutdown bound reached: exiting, the outbox recovers the rest'),
      gw.output().slice(-2000),
    );
  });
});
