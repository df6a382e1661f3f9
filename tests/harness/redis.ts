/**
 * A real redis-server for the tests. When REDIS_URL is set it is used as is; otherwise the first
 * caller starts `redis-server` on a free loopback port (no persistence, its own temp dir; the logic
 * lives in src/runtime/redis-server.ts, shared with the demo) and the root hook stops it after the run.
 * When redis-server is missing, tests fail at once with one line that names the Debian package.
 */
import { freePort, startRedisServer, type LocalRedis } from '../../src/runtime/redis-server.js';

export { freePort };

let server: LocalRedis | null = null;
let started: Promise<string> | null = null;

async function start(): Promise<string> {
  server = await startRedisServer();
  return server.url;
}

/** URL of the test Redis: REDIS_URL, or a redis-server started for this run. */
export function redisUrl(): Promise<string> {
  if (process.env.REDIS_URL) return Promise.resolve(process.env.REDIS_URL);
  started ??= start();
  return started;
}

export async function stopRedis(): Promise<void> {
  const s = server;
  server = null;
  started = null;
  await s?.stop();
}

let counter = 0;
/** A key prefix / queue namespace unique to one test, so tests never see each other's keys. */
export function uniquePrefix(name = 't'): string {
  counter += 1;
  return `${name}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
