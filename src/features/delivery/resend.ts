/**
 * Resend a delivery that failed for good: an administrator, once the cause is fixed on the partner's
 * side (a directory entry, a certificate, an endpoint that was down past the retry budget), sends the
 * message again.
 *
 * The SAME sealed bytes travel: the record keeps its JWE, so the partner's inbox de-duplicates by
 * `jti` if an earlier attempt did reach it, and the receipt still vouches for the digest we stored.
 * (A record that failed before it was ever sealed has no bytes yet; the worker seals it once, as for
 * any first attempt.)
 *
 * Steps, each safe to repeat: the conditional transition `failed` → `accepted` carries the
 * `notification.resent` event (one per resend, actor recorded), so two resends racing produce one
 * transition; the finished queue job that still holds the record's id is dropped, then the record is
 * handed over like a new submission. If the process dies in between, the outbox recovery and the
 * orphan sweep finish the hand-over. A resend of a record already on its way again changes nothing
 * and says so (`resent: false`).
 */
import { TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { OutboundRecord, OutboundState } from '../../ports/store/index.js';
import { outboundEvent } from '../outbound-events.js';
import { ID } from '../query-schema.js';
import type { SubmitDeps } from '../submission/deps.js';
import { handOver, statusUrl } from '../submission/submit.js';

/** States in which a delivery is (again) under way: a repeated resend is answered, not refused. */
const UNDER_WAY: readonly OutboundState[] = ['accepted', 'queued', 'delivering', 'retrying'];

export interface ResendResult {
  id: string;
  status: OutboundState;
  statusUrl: string;
  /** False when the record was already on its way (a repeated request): nothing was enqueued. */
  resent: boolean;
}

export async function resendDelivery(deps: SubmitDeps, principal: Principal, id: string): Promise<ResendResult> {
  const { ctx } = deps;
  const rec = ID.test(id) ? await ctx.store.outbound.get(id) : null;
  if (!rec) throw new TnxError('not_found', 'no such notification');
  if (UNDER_WAY.includes(rec.state)) return result(rec, false);
  if (rec.state === 'no_channel') throw noChannel();
  if (rec.state !== 'failed') throw new TnxError('not_resendable', 'only a failed delivery can be resent');
  const partner = ctx.directory.partner(rec.partner);
  if (!partner?.endpoint) throw noChannel();

  const now = ctx.clock.now();
  const moved = await ctx.store.outbound.transition(rec.id, ['failed'], 'accepted', {}, (r) => [
    outboundEvent(
      'notification.resent',
      r,
      now,
      { attemptsBefore: r.attempts, lastError: rec.lastError, sealed: r.jti !== null },
      principal.id,
    ),
  ]);
  if (!moved) {
    // Another resend won the race: answer with where the record stands now.
    const current = await ctx.store.outbound.get(rec.id);
    if (current && UNDER_WAY.includes(current.state)) return result(current, false);
    throw new TnxError('not_resendable', 'only a failed delivery can be resent');
  }
  try {
    // The failed job still holds the id, and an enqueue would be a no-op while it does.
    await deps.queue.discard(moved.id);
  } catch (err) {
    // The record is `accepted`: the outbox recovery enqueues it, and the orphan sweep replaces a
    // finished job that still holds the id.
    ctx.log.warn({ id: moved.id, err }, 'could not drop the finished delivery job before a resend');
    return result(moved, true);
  }
  return result(await handOver(deps, moved), true);
}

function noChannel(): TnxError {
  return new TnxError('no_channel', 'the destination has no delivery channel (manual handling)');
}

function result(r: OutboundRecord, resent: boolean): ResendResult {
  return { id: r.id, status: r.state, statusUrl: statusUrl(r.id), resent };
}
