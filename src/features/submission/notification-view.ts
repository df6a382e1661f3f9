/**
 * The delivery audit view of outbound messages (GET /api/v1/notifications[/{id}]): when it was
 * submitted, each attempt (time, HTTP status or network error, duration), the receipt (time, digest),
 * departure, lead time and its classification, and the current state. References and outcomes only:
 * the view never includes the message itself, so reading it is not a read of personal data.
 */
import { isoTime, isoTimeOrNull } from '../../core/clock.js';
import type { GatewayContext } from '../../ports/context.js';
import { TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import {
  type DeliveryAttempt,
  type OutboundFilter,
  type OutboundRecord,
  type OutboundState,
  type TimelinessFilter,
} from '../../ports/store/index.js';
import { ID } from '../query-schema.js';
import { statusUrl } from './submit.js';
import { recordQuery } from '../audit-trail/queried.js';

export interface AttemptView {
  attempt: number;
  at: string;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  outcome: DeliveryAttempt['outcome'];
  mayHaveReached: boolean;
}

export interface NotificationView {
  id: string;
  messageType: OutboundRecord['messageType'];
  notificationId: string;
  partner: string;
  state: OutboundState;
  submittedBy: string;
  submittedAt: string;
  queuedAt: string | null;
  departureAt: string | null;
  attemptCount: number;
  lastError: string | null;
  receipt: { receivedAt: string | null; digest: string | null } | null;
  leadTimeSeconds: number | null;
  leadTimeHours: number | null;
  timeliness: OutboundRecord['timeliness'];
  statusUrl: string;
  attempts?: AttemptView[];
}

export function toView(r: OutboundRecord, attempts?: DeliveryAttempt[]): NotificationView {
  const view: NotificationView = {
    id: r.id,
    messageType: r.messageType,
    notificationId: r.notificationId,
    partner: r.partner,
    state: r.state,
    submittedBy: r.submittedBy,
    submittedAt: isoTime(r.createdAt),
    queuedAt: isoTimeOrNull(r.queuedAt),
    departureAt: isoTimeOrNull(r.departureAt),
    attemptCount: r.attempts,
    lastError: r.lastError,
    receipt:
      r.receiptJws || r.deliveredAt !== null
        ? { receivedAt: isoTimeOrNull(r.deliveredAt), digest: r.receiptDigest }
        : null,
    leadTimeSeconds: r.leadTimeSeconds,
    leadTimeHours: r.leadTimeSeconds === null ? null : Math.round((r.leadTimeSeconds / 3600) * 100) / 100,
    timeliness: r.timeliness,
    statusUrl: statusUrl(r.id),
  };
  if (attempts) {
    view.attempts = attempts.map((a) => ({
      attempt: a.attempt,
      at: isoTime(a.startedAt),
      durationMs: a.durationMs,
      httpStatus: a.httpStatus,
      error: a.error,
      outcome: a.outcome,
      mayHaveReached: a.mayHaveReached,
    }));
  }
  return view;
}

/** A submitter sees its own submissions only; auditors, admins and PoCs see all. */
function visibleTo(p: Principal, r: OutboundRecord): boolean {
  return p.role !== 'submitter' || r.submittedBy === p.id;
}

export async function getNotificationView(
  ctx: GatewayContext,
  principal: Principal,
  id: string,
): Promise<NotificationView> {
  const r = ID.test(id) ? await ctx.store.outbound.get(id) : null;
  // Someone else's record answers exactly like a missing one: no probing for ids.
  if (!r || !visibleTo(principal, r)) throw new TnxError('not_found', 'no such notification');
  const view = toView(r, await ctx.store.outbound.listAttempts(r.id));
  await recordQuery(ctx, principal, { view: 'notification' }, { messageId: r.id, partner: r.partner });
  return view;
}

/**
 * The message itself, for our point of contact's manual handling (a `no_channel` destination is told
 * by phone or e-mail): a consultation of personal data, so a purpose is required and
 * `personal_data.read` is durable before the data leaves.
 */
export async function readOutboundMessage(
  ctx: GatewayContext,
  principal: Principal,
  id: string,
  purpose: string,
): Promise<{ id: string; state: OutboundState; message: OutboundRecord['message'] }> {
  const r = ID.test(id) ? await ctx.store.outbound.get(id) : null;
  if (!r) throw new TnxError('not_found', 'no such notification');
  // Manual handling is for messages no channel can deliver; the rest are the delivery path's alone, so
  // a point of contact never reads the personal data of a notification on its way. The error handler
  // audits the refusal (`input.refused`, actor and route).
  if (r.state !== 'no_channel')
    throw new TnxError('forbidden', 'only messages without a delivery channel (no_channel) are read here');
  await ctx.events.publish({
    action: 'personal_data.read',
    actor: principal.id,
    at: ctx.clock.now(),
    messageId: r.id,
    partner: r.partner,
    outcome: 'disclosed',
    detail: { purpose, messageType: r.messageType, direction: 'outbound' },
  });
  return { id: r.id, state: r.state, message: r.message };
}

/** What the delivery view can be filtered by (GET /api/v1/notifications, checked by its query schema). */
export interface NotificationQuery {
  partner?: string;
  state?: OutboundState[];
  type?: OutboundRecord['messageType'];
  notificationId?: string;
  timeliness?: TimelinessFilter;
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

export async function listNotificationViews(
  ctx: GatewayContext,
  principal: Principal,
  q: NotificationQuery,
): Promise<{ items: NotificationView[]; next: string | null }> {
  const filter: OutboundFilter = {};
  if (q.partner) filter.partner = q.partner;
  if (q.state !== undefined) filter.state = q.state;
  if (q.type) filter.messageType = q.type;
  if (q.notificationId) filter.notificationId = q.notificationId;
  if (q.timeliness) filter.timeliness = q.timeliness;
  if (q.from !== undefined) filter.from = q.from;
  if (q.to !== undefined) filter.to = q.to;
  // A submitter sees only what it submitted: filtered in the store query, so every page is full.
  if (principal.role === 'submitter') filter.submittedBy = principal.id;
  const page = await ctx.store.outbound.list(filter, { limit: q.limit, cursor: q.cursor ?? null });
  const items = page.items.map((r) => toView(r));
  await recordQuery(
    ctx,
    principal,
    { view: 'notifications', filter: { ...filter }, count: items.length },
    { partner: q.partner ?? null },
  );
  return { items, next: page.next };
}
