/**
 * Console sessions in Redis: one string key per session, `<prefix>:session:<sha256(id)>`, with the
 * idle bound as its TTL, so an abandoned session disappears without a sweep and every process of the
 * gateway sees the same sessions. Keyed by a digest: a dump of Redis holds no usable cookie value.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SessionRecord, SessionStore } from '../../ports/session-store.js';
import { quitConnection } from '../queue-bullmq/connection.js';

export interface RedisSessionOptions {
  url: string;
  prefix: string;
}

export function redisSessionStore(options: RedisSessionOptions): SessionStore {
  // A page must not hang on a dead Redis: one retry per command, then the request fails (500).
  const client = new Redis(options.url, { maxRetriesPerRequest: 1, lazyConnect: false });
  client.on('error', () => {
    // Reconnects on its own; a request meanwhile fails and is logged where it fails.
  });
  const digest = (id: string) => createHash('sha256').update(id).digest('hex');
  const key = (id: string) => `${options.prefix}:session:${digest(id)}`;
  const onceKey = (id: string, token: string) => `${options.prefix}:once:${digest(id)}:${digest(token)}`;
  return {
    async get(id) {
      const text = await client.get(key(id));
      return text === null ? null : (JSON.parse(text) as SessionRecord);
    },
    async put(id, record, ttlSeconds) {
      await client.set(key(id), JSON.stringify(record), 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    },
    async delete(id) {
      await client.del(key(id));
    },
    async claimOnce(id, token, ttlSeconds) {
      const done = await client.set(onceKey(id, token), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX');
      return done === 'OK';
    },
    async releaseOnce(id, token) {
      await client.del(onceKey(id, token));
    },
    close: () => quitConnection(client),
  };
}
