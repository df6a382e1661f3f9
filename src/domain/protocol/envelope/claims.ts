/**
 * The time window of a TNX/1 envelope's `iat` (claim shapes are validated by
 * src/domain/protocol/validate.ts against protocol/schemas/claims.schema.json).
 *
 * iat may run ahead of our clock by at most the skew, and lag it by at most the message age (which
 * covers the sender's whole retry budget) plus the skew. Outside that window: stale_message, so a
 * captured envelope cannot be replayed after the de-duplication record of its jti has expired.
 */
import { TnxError } from '../../../core/errors.js';
import type { Clock } from '../../../core/clock.js';

export function checkIat(iat: number, ctx: { clock: Clock; clockSkewSeconds: number; maxMessageAgeSeconds: number }): void {
  const now = Math.floor(ctx.clock.now() / 1000);
  if (iat > now + ctx.clockSkewSeconds) throw new TnxError('stale_message', 'iat is in the future beyond the allowed clock skew', { pointer: '/iat' });
  if (iat < now - ctx.maxMessageAgeSeconds - ctx.clockSkewSeconds) throw new TnxError('stale_message', 'iat is older than the accepted message age', { pointer: '/iat' });
}
