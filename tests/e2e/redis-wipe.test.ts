/**
 * Redis restarted empty (no persistence) while records wait for a retry: the gateway must notice the
 * new server run at once, raise the queue_lost alert and re-enqueue, not leave the records untouched
 * until the periodic orphan sweep (set here to ten minutes, far beyond the test's wait).
 */
import { strict as assert } from 'node:assert';
import request from 'supertest';
import { loadConfigFile } from '../../src/config/load.js';
import { tokenFor, writeStateConfigs } from '../../src/cli/demo/two-states.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { createLogger } from '../../src/core/logger.js';
import { startGateway, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { startRedisServer, type LocalRedis } from '../../src/runtime/redis-server.js';
import { freePort } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { TEST_WORKER, until } from './federation.js';

const HOUR = 3600_000;
const quiet = createLogger({ level: 'silent' });

describe('e2e: Redis restarted empty under waiting retries', function () {
  this.timeout(60_000);
  let redis: LocalRedis | null = null;
  const gateways: RunningGateway[] = [];
  after(async () => {
    for (const g of gateways.reverse()) await g.close();
    await redis?.stop();
  });

  it('re-enqueues at once on the new run_id and raises queue_lost', async () => {
    redis = await startRedisServer({ stderr: 'ignore' });
    const setups = writeStateConfigs({
      dir: tempDir('tnx-wipe'),
      redisUrl: redis.url,
      ports: { USA: await freePort(), GBR: await freePort() },
      // Retries far apart: without the restart detection nothing would move within the test.
      // The partner circuit stays out of the way: this test is about the queue, not about a partner down.
      overrides: {
        delivery: { backoffBaseMs: 120_000, backoffCapMs: 300_000, circuitFailureThreshold: 10_000 },
        log: { level: 'silent' },
      },
    });
    const config = (s: 'USA' | 'GBR') => loadConfigFile(setups[s]!.configPath, { REDIS_URL: redis!.url });
    const timers = { log: quiet, outboxIntervalMs: 600_000, sweepIntervalMs: 600_000, worker: TEST_WORKER };
    const usa = await startGateway(config('USA'), timers);
    gateways.push(usa);

    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await request(usa.url!)
        .post('/api/v1/notifications')
        .set('Authorization', `Bearer ${tokenFor(setups.USA!.tokens, 'submitter')}`)
        .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 26 * HOUR }))
        .expect(202);
      ids.push(res.body.id as string);
    }
    // GBR is not running: each record fails once and waits minutes for its retry.
    await until(
      'all three waiting for a retry',
      async () => {
        const recs = await Promise.all(ids.map((id) => usa.ctx.store.outbound.get(id)));
        return recs.every((r) => r?.state === 'retrying') || null;
      },
      30_000,
    );

    // Wipe: kill -9 and an empty redis-server on the same port.
    const port = redis.port;
    process.kill(redis.pid, 'SIGKILL');
    await redis.stop();
    redis = await startRedisServer({ stderr: 'ignore', port });
    const gbr = await startGateway(config('GBR'), timers);
    gateways.push(gbr);

    await until(
      'delivery after the wipe',
      async () => {
        const recs = await Promise.all(ids.map((id) => usa.ctx.store.outbound.get(id)));
        return recs.every((r) => r?.state === 'delivered') || null;
      },
      30_000,
    );
    const alerts = await usa.ctx.metrics.alerts.get();
    assert.equal(alerts.values.find((v) => v.labels.kind === 'queue_lost')?.value, 1, 'one queue_lost alert');
  });
});
