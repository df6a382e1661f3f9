/** Delivery attempts: stored (the notification's delivery view lists them) and audited, one per HTTP try. */
import type { GatewayContext } from '../../ports/context.js';
import type { DeliveryAttempt, OutboundRecord } from '../../ports/store/index.js';

export async function recordAttempt(
  ctx: GatewayContext,
  rec: OutboundRecord,
  a: Pick<DeliveryAttempt, 'startedAt' | 'durationMs' | 'httpStatus' | 'error' | 'outcome' | 'mayHaveReached'>,
): Promise<void> {
  const attempt: DeliveryAttempt = {
    messageId: rec.id,
    attempt: Math.max(1, rec.attempts),
    ...a,
    error: a.error === null ? null : a.error.slice(0, 256),
  };
  await ctx.store.outbound.addAttempt(attempt, (t) => [
    {
      action: 'delivery.attempt',
      actor: 'system',
      at: t.startedAt,
      messageId: t.messageId,
      partner: rec.partner,
      outcome: t.outcome,
      detail: {
        attempt: t.attempt,
        httpStatus: t.httpStatus,
        error: t.error,
        durationMs: t.durationMs,
        mayHaveReached: t.mayHaveReached,
      },
    },
  ]);
}
