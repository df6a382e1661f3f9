/** Redis connections for BullMQ: the only place the gateway opens one. */
import { Redis } from 'ioredis';
import { persistenceOf, type Persistence } from './redis-link.js';

/** A connection BullMQ queues and workers can share (blocking commands must never give up). */
export function bullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/** Close politely; a connection that cannot (Redis gone) is dropped. */
export async function quitConnection(connection: Redis): Promise<void> {
  await connection.quit().catch(() => connection.disconnect());
}

/**
 * One look at a Redis from outside a running gateway (`tnx config check`): its persistence, over a
 * connection that gives up after `timeoutMs` instead of reconnecting forever.
 */
export async function probeRedis(url: string, timeoutMs = 3_000): Promise<{ persistence: Persistence }> {
  const connection = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Failures surface from connect() and the commands; an unhandled 'error' event would print a stack.
  connection.on('error', () => undefined);
  try {
    await connection.connect();
    return { persistence: await persistenceOf(connection) };
  } finally {
    connection.disconnect();
  }
}
