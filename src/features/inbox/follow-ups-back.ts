/**
 * What a destination reported back about one of our notifications: the FollowUpReports it sent us
 * naming that notification (the receiver already checked the sender was its destination). References,
 * the action and its time only; the free-text note stays in the inbox, behind a stated purpose.
 */
import { isoTime } from '../../core/clock.js';
import type { GatewayContext } from '../../ports/context.js';

export interface FollowUpBack {
  /** Inbox id of the follow-up (GET /api/v1/inbox/{id}). */
  id: string;
  from: string;
  followUpId: string;
  receivedAt: string;
  action: string;
  actionAt: string;
}

/** Enough for any one notification; a destination sends one report per action it took. */
const MAX_FOLLOW_UPS = 100;

export async function followUpsBack(ctx: GatewayContext, notificationId: string): Promise<FollowUpBack[]> {
  const page = await ctx.store.inbound.list(
    { notificationId, messageType: 'FollowUpReport' },
    { limit: MAX_FOLLOW_UPS },
  );
  const out: FollowUpBack[] = [];
  for (const r of page.items) {
    if (r.message.type !== 'FollowUpReport') continue;
    out.push({
      id: r.id,
      from: r.iss,
      followUpId: r.message.followUpId,
      receivedAt: isoTime(r.receivedAt),
      action: r.message.action,
      actionAt: r.message.actionAt,
    });
  }
  return out.reverse();
}
