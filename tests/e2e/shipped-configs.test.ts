/**
 * The configurations shipped in config/ work out of the box: a gateway started from config/usa.json
 * (Redis and the SQLite file pointed elsewhere by the documented environment overrides) answers each
 * role the demo shows with its dev token from README.md, "First run".
 */
import { join } from 'node:path';
import request from 'supertest';
import { loadConfigFile } from '../../src/config/load.js';
import { REPO_ROOT } from '../../src/cli/demo/two-states.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { createLogger } from '../../src/core/logger.js';
import { startGateway, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';

describe('e2e: the shipped configurations', function () {
  this.timeout(60_000);
  let gw: RunningGateway | null = null;
  after(() => gw?.close());

  it('config/usa.json serves every demo role with its dev token, and refuses a wrong one', async () => {
    const env = { REDIS_URL: await redisUrl(), TNX_SQLITE_PATH: join(tempDir('shipped'), 'usa.sqlite') };
    const config = loadConfigFile(join(REPO_ROOT, 'config/usa.json'), env);
    gw = await startGateway(
      { ...config, redis: { ...config.redis, prefix: uniquePrefix('shipped') } },
      { port: 0, log: createLogger({ level: 'silent' }) },
    );
    const as = (role: string) => `Bearer dev-usa-${role}`;
    const notice = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 86_400_000 });
    await request(gw.url!).post('/api/v1/notifications').set('Authorization', as('submitter')).send(notice).expect(202);
    await request(gw.url!).get('/api/v1/inbox').set('Authorization', as('poc')).expect(200);
    await request(gw.url!).get('/api/v1/audit').set('Authorization', as('auditor')).expect(200);
    await request(gw.url!).get('/api/v1/directory').set('Authorization', as('admin')).expect(200);
    await request(gw.url!).get('/api/v1/audit').set('Authorization', as('submitter')).expect(403);
    await request(gw.url!).get('/api/v1/inbox').set('Authorization', 'Bearer dev-gbr-poc').expect(401);
  });
});
