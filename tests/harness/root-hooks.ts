/** Mocha root hooks: dist/ is fresh before any test starts `tnx`; shared services stop once, at the end. */
import { ensureDistBuilt } from './build-dist.js';
import { stopRedis } from './redis.js';
import { removeTempDirs } from './tmp.js';

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    // A full build takes tens of seconds on a loaded two-core machine.
    this.timeout(300_000);
    ensureDistBuilt();
  },
  async afterAll(): Promise<void> {
    await stopRedis();
    removeTempDirs();
  },
};
