/**
 * Who looked at the trail, at delivery records or at the gateway's clients is part of the trail: every
 * such read writes one `audit.queried` event, named by the view it served, with ids and counts only
 * (never the personal data it showed).
 */
import type { Principal } from '../../core/principal.js';
import type { GatewayContext } from '../../ports/context.js';

export interface QueryScope {
  /** The one message the view was about, if any. */
  messageId?: string | null;
  /** The partner state the view was filtered to, if any. */
  partner?: string | null;
  /** `failed` when the view answered that something did not hold (a range that failed to verify). */
  outcome?: 'ok' | 'failed';
}

export function recordQuery(
  ctx: Pick<GatewayContext, 'events' | 'clock'>,
  principal: Principal,
  detail: { view: string } & Record<string, unknown>,
  scope: QueryScope = {},
): Promise<void> {
  return ctx.events.publish({
    action: 'audit.queried',
    actor: principal.id,
    at: ctx.clock.now(),
    messageId: scope.messageId ?? null,
    partner: scope.partner ?? null,
    outcome: scope.outcome ?? 'ok',
    detail,
  });
}
