/**
 * `startGateway` (what `tnx serve` runs) mounts the national routes and, with a `registry` section and
 * workers, schedules the retention job: checked on a real process-level gateway on port 0.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { buildConfig } from '../../src/config/load.js';
import { ROLES, type Role, type TnxConfigInput } from '../../src/config/schema.js';
import { bullConnection } from '../../src/adapters/queue-bullmq/connection.js';
import { startGateway, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { sha256Hex } from '../../src/http/auth.js';
import { RETENTION_SCHEDULER_ID } from '../../src/features/registry/retention-job.js';
import { createLogger } from '../../src/core/logger.js';
import { CONFIG_DIR, secretOf } from '../gateway/bootstrap.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';

describe('startGateway with the national workflow', function () {
  this.timeout(30_000);
  let gw: RunningGateway;
  after(async () => gw?.close());

  it('serves the registry, directory and statistics routes and schedules the retention job', async () => {
    const dir = tempDir('tnx-national-gw');
    const input = {
      state: 'USA',
      pointOfContact: { unit: 'Test desk', email: 'desk@usa.test.example', phone: '+1 202 555 0199', hours: '24/7' },
      keys: { privateJwksPath: resolve(CONFIG_DIR, '../keys/dev/usa.private.jwks.json') },
      http: { host: '127.0.0.1', port: 0 },
      metrics: { port: 0 },
      redis: { url: await redisUrl(), prefix: uniquePrefix('natgw') },
      store: { kind: 'sqlite', sqlitePath: join(dir, 'tnx.sqlite') },
      directoryPath: join(CONFIG_DIR, 'directory.usa.json'),
      registry: {
        kekPath: keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() })),
        indexKeyPath: keyFile(dir, 'index.key', secret()),
      },
      auth: { tokens: ROLES.map((id) => ({ id, role: id, sha256: sha256Hex(secretOf(id)) })) },
      log: { level: 'silent' },
    } as TnxConfigInput;
    const config = buildConfig(input, { baseDir: dir });
    gw = await startGateway(config, {
      port: 0,
      log: createLogger({ level: 'silent' }),
      sealer: false,
      queueName: uniquePrefix('q'),
    });
    const get = (path: string, role: string) =>
      fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${secretOf(role as Role)}` } });

    const search = await get('/api/v1/registrants?name=Petrov', 'registry');
    assert.equal(search.status, 400);
    assert.equal(((await search.json()) as { code: string }).code, 'purpose_required');
    assert.equal((await get('/api/v1/directory', 'poc')).status, 200);
    assert.equal((await get('/api/v1/stats?from=2026-01-01&to=2027-01-01', 'auditor')).status, 200);

    const connection = bullConnection(config.redis.url);
    const queue = new Queue('tnx-registry-retention', { connection, prefix: config.redis.prefix });
    const schedulers = await queue.getJobSchedulers();
    await queue.close();
    connection.disconnect();
    assert.deepEqual(
      schedulers.map((s) => s.key),
      [RETENTION_SCHEDULER_ID],
    );
  });
});
