/** Redis connections for BullMQ: the only place the gateway opens one. */
import { Redis } from 'ioredis';

/** A connection BullMQ queues and workers can share (blocking commands must never give up). */
export function bullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}

/** Close politely; a connection that cannot (Redis gone) is dropped. */
export async function quitConnection(connection: Redis): Promise<void> {
  await connection.quit().catch(() => connection.disconnect());
}
