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
  return {
    async blockedFor(key) {
      return secondsLeft(await limiter.get(key), options.points);
    },
    async charge(key) {
      await limiter.penalty(key, 1);
    },
    close: () => quitConnection(client),
  };
}
