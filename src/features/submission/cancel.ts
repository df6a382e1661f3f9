/**
 * A TravelUpdate `cancel` for a notification that has not been delivered stops its delivery: the
 * record moves to `cancelled` (a conditional transition, so it cannot race a worker that has just
 * started an attempt) and its queued job is removed.
 *
 * Whether the cancel itself must still travel: only when the partner may hold the notification —
 * it was delivered, an attempt is in flight, or an earlier attempt may have reached it: its request was
 * written to an open connection (a timeout can hide a success). A notification never attempted, or
 * whose every attempt was refused before a byte left (ECONNREFUSED, DNS, TLS handshake), needs no
 * cancel on the other side: the partner would receive a cancel for a notification it never had.
 */
import type { Principal } from '../../core/principal.js';
import type { TravelUpdate } from '../../domain/protocol/types.js';
import type { OutboundRecord, OutboundState } from '../../ports/store/index.js';
import { outboundEvent } from '../outbound-events.js';
import type { SubmitDeps } from './deps.js';

const STOPPABLE: readonly OutboundState[] = ['accepted', 'queued', 'retrying'];

export type CancelOutcome = 'stopped' | 'send';

export async function cancelForUpdate(
  deps: SubmitDeps,
  update: TravelUpdate,
  principal: Principal,
): Promise<CancelOutcome> {
  const { ctx, queue } = deps;
  for (let round = 0; round < 3; round += 1) {
    const ref = await ctx.store.outbound.get(update.notificationId);
    if (!ref) return 'send';
    if (ref.state === 'cancelled') return (await mayHaveReached(deps, ref)) ? 'send' : 'stopped';
    if (!STOPPABLE.includes(ref.state)) return 'send';
    const now = ctx.clock.now();
    const done = await ctx.store.outbound.transition(
      ref.id,
      STOPPABLE,
      'cancelled',
      { lastError: 'cancelled_by_update' },
      (r) => [outboundEvent('notification.cancelled', r, now, { updateId: update.updateId }, principal.id)],
    );
    if (!done) continue; // a worker moved it meanwhile: look again
    try {
      await queue.cancel(ref.id);
    } catch (err) {
      // The record is `cancelled`; a worker that still picks the job up finds it in a final state.
      ctx.log.warn({ id: ref.id, err }, 'could not remove the delivery job');
    }
    ctx.metrics.deliveries.inc({ partner: done.partner, outcome: 'cancelled' });
    return (await mayHaveReached(deps, done)) ? 'send' : 'stopped';
  }
  return 'send';
}

async function mayHaveReached(deps: SubmitDeps, rec: OutboundRecord): Promise<boolean> {
  if (rec.attempts === 0) return false;
  const attempts = await deps.ctx.store.outbound.listAttempts(rec.id);
  // An attempt counted on the record but not (yet) stored was cut short mid-flight: assume it reached.
  if (attempts.length < rec.attempts) return true;
  return attempts.some((a) => a.mayHaveReached);
}
