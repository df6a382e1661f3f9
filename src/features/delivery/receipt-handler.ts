/**
 * The sending side of receipts: verify the partner's receipt with the partner's pinned
 * signing keys (never a key named by the token), check that it names exactly the message id and the
 * digest of the bytes WE sent, then store it as proof of delivery and time it against departure.
 * A receipt that does not verify (receipt_invalid) or does not match (receipt_mismatch) is a permanent
 * failure (./failure-classes.ts): retrying cannot make a forged or misdirected receipt valid.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import { digestOf } from '../../domain/protocol/envelope/headers.js';
import { verifyReceipt } from '../../domain/protocol/envelope/receipt.js';
import type { Receipt } from '../../domain/protocol/types.js';
import type { OutboundRecord } from '../../ports/store/index.js';
import type { DeliveryOutcome as Outcome } from '../../ports/queue.js';
import { outboundEvent as event } from '../outbound-events.js';
import { classifyLeadTime } from './timeliness.js';

/** Verify the body of a 200 answer against what `rec` carried (its jti and the digest of its JWE). */
export function checkReceipt(ctx: GatewayContext, rec: OutboundRecord, body: string): Promise<Receipt> {
  return verifyReceipt(
    body.trim(),
    { partner: rec.partner, messageId: rec.jti!, digest: digestOf(rec.jwe!) },
    { directory: ctx.directory, state: ctx.config.state },
  );
}

export async function recordDelivery(
  ctx: GatewayContext,
  rec: OutboundRecord,
  receiptJws: string,
  receipt: { receivedAt: string; digest: string },
): Promise<Outcome> {
  const receivedAt = Date.parse(receipt.receivedAt);
  const lead = classifyLeadTime(rec.departureAt, receivedAt, ctx.config.delivery.onTimeThresholdHours);
  const now = ctx.clock.now();
  const patch = {
    receiptJws,
    receiptDigest: receipt.digest,
    deliveredAt: receivedAt,
    leadTimeSeconds: lead.leadTimeSeconds,
    timeliness: lead.timeliness,
    lastError: null,
  };
  const done = await ctx.store.outbound.transition(rec.id, ['delivering'], 'delivered', patch, (r) => [
    event('notification.delivered', r, now, {
      attempt: r.attempts,
      timeliness: lead.timeliness,
      leadTimeSeconds: lead.leadTimeSeconds,
      receiptDigest: receipt.digest,
    }),
    // Updates and follow-ups have their own entity in the trail (docs/audit-trail.md): the delivered
    // transition above is about the record, this one says which protocol message left.
    ...sentEvent(r, now),
    // The transfer of personal data to another state is a disclosure (LED 2016/680 Art 25(1)).
    event('personal_data.disclosed', r, now, {
      recipientState: r.partner,
      purpose: 'TNX/1 travel notice to the destination state',
    }),
  ]);
  if (!done) {
    // Someone moved the record while the partner was answering (a cancel racing the attempt); the
    // partner holds the message, which the log must say for the point of contact to follow up.
    const cur = await ctx.store.outbound.get(rec.id);
    ctx.log.warn(
      { messageId: rec.id, partner: rec.partner, deliveryState: cur?.state },
      'receipt arrived for a record no longer in delivering',
    );
    return { next: 'done', state: cur?.state ?? 'missing' };
  }
  ctx.metrics.deliveries.inc({ partner: done.partner, outcome: 'delivered' });
  ctx.metrics.submitToReceiptSeconds.observe({ partner: done.partner }, Math.max(0, now - rec.createdAt) / 1000);
  if (lead.leadTimeSeconds !== null)
    ctx.metrics.leadTimeSeconds.observe({ partner: done.partner }, lead.leadTimeSeconds);
  return { next: 'done', state: 'delivered' };
}

function sentEvent(r: OutboundRecord, now: number): DomainEvent[] {
  if (r.messageType === 'TravelUpdate') return [event('update.sent', r, now)];
  if (r.messageType === 'FollowUpReport') return [event('followup.sent', r, now)];
  return [];
}
