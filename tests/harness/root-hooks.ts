/** Mocha root hooks: shared services are stopped once, after the whole run. */
import { stopRedis } from './redis.js';
import { removeTempDirs } from './tmp.js';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopRedis();
    removeTempDirs();
  },
};
