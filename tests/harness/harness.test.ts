import { strict as assert } from 'node:assert';
import { Redis } from 'ioredis';
import { redisUrl } from './redis.js';

describe('test harness', () => {
  it('starts a real redis-server that answers PING', async () => {
    const r = new Redis(await redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    assert.equal(await r.ping(), 'PONG');
    const info = await r.info('server');
    assert.match(info, /redis_version:/);
    r.disconnect();
  });
});
