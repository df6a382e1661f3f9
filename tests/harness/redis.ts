/**
 * A real redis-server for the tests. When REDIS_URL is set it is used as is; otherwise the first
 * caller starts `redis-server` on a free loopback port (no persistence, its own temp dir; the logic
 * lives in src/runtime/redis-server.ts, shared with the demo) and the root hook stops it after the run.
 * When redis-server is missing, tests fail at once with one line that names the Debian package.
 */
import { freePort, startRedisServer, type LocalRedis } from '../../src/runtime/redis-server.js';

export { freePort };

/**
 * The one server of the run, kept on globalThis: mocha loads the root hooks (which stop it) through
 * `require` and the test files through `import`, so this module can exist twice in one process, and a
 * module-level variable would leave the hooks' copy empty and the server running after the run.
 */
interface Shared {
  server: LocalRedis | null;
  started: Promise<string> | null;
}
const KEY = Symbol.for('tnx.tests.redis');
const shared: Shared =
  ((globalThis as Record<symbol, unknown>)[KEY] as Shared | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = { server: null, started: null } satisfies Shared);

async function start(): Promise<string> {
  shared.server = await startRedisServer();
  return shared.server.url;
}

/** URL of the test Redis: REDIS_URL, or a redis-server started for this run. */
export function redisUrl(): Promise<string> {
  if (process.env.REDIS_URL) return Promise.resolve(process.env.REDIS_URL);
  shared.started ??= start();
  return shared.started;
}

export async function stopRedis(): Promise<void> {
  const s = shared.server;
  shared.server = null;
  shared.started = null;
  await s?.stop();
}

let counter = 0;
/** A key prefix / queue namespace unique to one test, so tests never see each other's keys. */
export function uniquePrefix(name = 't'): string {
  counter += 1;
  return `${name}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
