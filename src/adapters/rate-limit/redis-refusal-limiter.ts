/**
 * The refusal budget in Redis (rate-limiter-flexible), so it holds across every process sharing the
 * gateway's Redis. While Redis is unreachable each process falls back to its own in-memory count
 * (the library's insurance limiter): an attacker then gets at most one budget per process, never an
 * unlimited one, and the gateway never waits on a dead Redis to refuse a request.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import type { RefusalLimiter } from '../../ports/refusal-limiter.js';
import { quitConnection } from '../queue-bullmq/connection.js';

export interface RefusalLimiterOptions {
  url: string;
  prefix: string;
  points: number;
  windowSeconds: number;
}

export function secondsLeft(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints <= points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

export function redisRefusalLimiter(options: RefusalLimiterOptions): RefusalLimiter {
  // No offline queue and no retries per command: a refusal must never wait for Redis to come back.
  const client = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: false });
  client.on('error', () => {
    // Reconnects on its own; meanwhile the insurance limiter counts.
  });
  const limiter = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: `${options.prefix}:refusals`,
    points: options.points,
    duration: options.windowSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ points: options.points, duration: options.windowSeconds }),
  });
  // Addresses known to be over budget, until when (epoch ms). Every request asks `blockedFor`, so it
  // must not cost a Redis round trip: the count lives in Redis and is read back only when a refusal is
  // charged. Another process learns of a spent budget at its own first refusal of that address, so the
  // budget holds across processes within one request per process.
  const blockedUntil = new Map<string, number>();
  return {
    async blockedFor(key) {
      const until = blockedUntil.get(key);
      if (until === undefined) return 0;
      const left = until - Date.now();
      if (left > 0) return Math.max(1, Math.ceil(left / 1000));
      blockedUntil.delete(key);
      return 0;
    },
    async charge(key) {
      const res = await limiter.penalty(key, 1);
      if (secondsLeft(res, options.points) === 0) return;
      if (blockedUntil.size >= 100_000) {
        const now = Date.now();
        for (const [k, t] of blockedUntil) if (t <= now) blockedUntil.delete(k);
      }
      blockedUntil.set(key, Date.now() + res.msBeforeNext);
    },
    close: () => quitConnection(client),
  };
}
