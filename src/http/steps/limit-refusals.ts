/**
 * The refusal budget per client address (src/ports/refusal-limiter.ts), as two small steps:
 * `refuseOverBudget` first, so an address that has spent its budget gets a 429 with Retry-After before
 * any parsing, authentication or audit work; and `chargeRefusal`, called by the error handler for every
 * refusal of a request nobody authenticated (bad or missing token, garbage on the inbox, unknown paths).
 * Authenticated callers' refusals are not charged: they are accountable and audited one by one.
 */
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from 'pino';
import { TnxError } from '../../core/errors.js';
import type { RefusalLimiter } from '../../ports/refusal-limiter.js';

/** The client address: the socket's peer (the gateway trusts no X-Forwarded-For). */
export function clientOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function refuseOverBudget(limiter: RefusalLimiter, log: Logger) {
  return async function refuseOverBudgetStep(req: Request, res: Response, next: NextFunction): Promise<void> {
    let wait = 0;
    try {
      wait = await limiter.blockedFor(clientOf(req));
    } catch (err) {
      // Both Redis and the in-memory fallback failing is a bug; serve rather than refuse everyone.
      log.error({ err }, 'refusal limiter failed');
    }
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      next(new TnxError('rate_limited', 'too many refused requests from this address'));
      return;
    }
    next();
  };
}

export async function chargeRefusal(limiter: RefusalLimiter, req: Request, log: Logger): Promise<void> {
  try {
    await limiter.charge(clientOf(req));
  } catch (err) {
    log.error({ err }, 'refusal limiter failed');
  }
}

function secondsLeft(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints <= points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** One process's own count: for an app built without the runtime's Redis-backed limiter (tests, embedding). */
export function memoryRefusalLimiter(points: number, windowSeconds: number): RefusalLimiter {
  const limiter = new RateLimiterMemory({ points, duration: windowSeconds });
  return {
    blockedFor: async (key) => secondsLeft(await limiter.get(key), points),
    charge: async (key) => {
      await limiter.penalty(key, 1);
    },
    close: async () => {},
  };
}
