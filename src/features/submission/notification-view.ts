/**
 * The delivery audit view of outbound messages (GET /api/v1/notifications[/{id}]): when it was
 * submitted, each attempt (time, HTTP status or network error, duration), the receipt (time, digest),
 * departure, lead time and its classification, and the current state. References and outcomes only:
 * the view never includes the message itself, so reading it is not a read of personal data.
 */
import type { GatewayContext } from '../../ports/context.js';
import { TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import {
  OUTBOUND_STATES,
  type DeliveryAttempt,
  type OutboundFilter,
  type OutboundRecord,
  type OutboundState,
} from '../../ports/store/index.js';
import { CURSOR, enumParam, ID, limitParam, patternParam, readQuery, STATE_CODE, timeParam } from '../query-params.js';
import { statusUrl } from './submit.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export interface AttemptView {
  attempt: number;
  at: string;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  outcome: DeliveryAttempt['outcome'];
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
    submittedAt: new Date(r.createdAt).toISOString(),
    queuedAt: iso(r.queuedAt),
    departureAt: iso(r.departureAt),
    attemptCount: r.attempts,
    lastError: r.lastError,
    receipt:
      r.receiptJws || r.deliveredAt !== null ? { receivedAt: iso(r.deliveredAt), digest: r.receiptDigest } : null,
    leadTimeSeconds: r.leadTimeSeconds,
    leadTimeHours: r.leadTimeSeconds === null ? null : Math.round((r.leadTimeSeconds / 3600) * 100) / 100,
    timeliness: r.timeliness,
    statusUrl: statusUrl(r.id),
  };
  if (attempts) {
    view.attempts = attempts.map((a) => ({
      attempt: a.attempt,
      at: new Date(a.startedAt).toISOString(),
      durationMs: a.durationMs,
      httpStatus: a.httpStatus,
      error: a.error,
      outcome: a.outcome,
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
  await ctx.events.publish({
    action: 'audit.queried',
    actor: principal.id,
    at: ctx.clock.now(),
    messageId: r.id,
    partner: r.partner,
    outcome: 'ok',
    detail: { view: 'notification' },
  });
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

export const NOTIFICATION_QUERY = [
  'partner',
  'state',
  'type',
  'notificationId',
  'from',
  'to',
  'limit',
  'cursor',
] as const;

export async function listNotificationViews(
  ctx: GatewayContext,
  principal: Principal,
  query: unknown,
): Promise<{ items: NotificationView[]; next: string | null }> {
  const q = readQuery(query, NOTIFICATION_QUERY);
  const filter: OutboundFilter = {};
  const partner = patternParam(q.partner, 'partner', STATE_CODE, 'an ISO 3166-1 alpha-3 code');
  if (partner) filter.partner = partner;
  if (q.state !== undefined) {
    const states = q.state.split(',').map((s) => enumParam(s, 'state', OUTBOUND_STATES)!);
    filter.state = states;
  }
  const type = enumParam(q.type, 'type', ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] as const);
  if (type) filter.messageType = type;
  const nid = patternParam(q.notificationId, 'notificationId', ID, 'an id');
  if (nid) filter.notificationId = nid;
  const from = timeParam(q.from, 'from');
  const to = timeParam(q.to, 'to');
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  const cursor = patternParam(q.cursor, 'cursor', CURSOR, 'a cursor from a previous page') ?? null;
  // A submitter sees only what it submitted: filtered in the store query, so every page is full.
  if (principal.role === 'submitter') filter.submittedBy = principal.id;
  const page = await ctx.store.outbound.list(filter, { limit: limitParam(q.limit), cursor });
  const items = page.items.map((r) => toView(r));
  await ctx.events.publish({
    action: 'audit.queried',
    actor: principal.id,
    at: ctx.clock.now(),
    messageId: null,
    partner: partner ?? null,
    outcome: 'ok',
    detail: { view: 'notifications', filter: { ...filter }, count: items.length },
  });
  return { items, next: page.next };
}
