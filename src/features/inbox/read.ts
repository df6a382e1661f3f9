/**
 * What points of contact see of the inbox. The list shows references only (who sent what about which
 * notification, when, departing when); opening one message shows the personal data and is therefore
 * a logged consultation (LED 2016/680 Art 25(1)): the PoC must state a purpose, and the
 * `personal_data.read` event is durable before the data leaves the gateway.
 */
import { isoTime, isoTimeOrNull } from '../../core/clock.js';
import type { GatewayContext } from '../../ports/context.js';
import { TnxError } from '../../core/errors.js';
import { ID } from '../query-schema.js';
import type { Principal } from '../../core/principal.js';
import type { InboundFilter, InboundRecord } from '../../ports/store/index.js';
import { messageIdOf } from './receive.js';

export interface InboxItem {
  id: string;
  iss: string;
  jti: string;
  messageType: InboundRecord['messageType'];
  messageId: string;
  notificationId: string;
  receivedAt: string;
  departureAt: string | null;
}

function toItem(r: InboundRecord): InboxItem {
  return {
    id: r.id,
    iss: r.iss,
    jti: r.jti,
    messageType: r.messageType,
    messageId: messageIdOf(r.message),
    notificationId: r.notificationId,
    receivedAt: isoTime(r.receivedAt),
    departureAt: isoTimeOrNull(r.departureAt),
  };
}

/** What the inbox list can be filtered by (GET /api/v1/inbox, checked by its query schema). */
export interface InboxQuery {
  iss?: string;
  type?: InboundRecord['messageType'];
  notificationId?: string;
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

export async function listInbox(
  ctx: GatewayContext,
  q: InboxQuery,
): Promise<{ items: InboxItem[]; next: string | null }> {
  const filter: InboundFilter = {};
  if (q.iss) filter.iss = q.iss;
  if (q.type) filter.messageType = q.type;
  if (q.notificationId) filter.notificationId = q.notificationId;
  if (q.from !== undefined) filter.from = q.from;
  if (q.to !== undefined) filter.to = q.to;
  const page = await ctx.store.inbound.list(filter, { limit: q.limit, cursor: q.cursor ?? null });
  return { items: page.items.map(toItem), next: page.next };
}

/** Purpose text: required, short, printable — it is stored in the audit trail for years. */
export function purposeOf(purpose: string | undefined): string {
  const p = purpose?.trim();
  if (!p)
    throw new TnxError('purpose_required', 'give the purpose of this consultation as ?purpose=…', {
      pointer: 'query/purpose',
    });
  if (p.length > 200 || /[\u0000-\u001f\u007f]/.test(p)) {
    throw new TnxError('invalid_request', 'purpose must be at most 200 printable characters', {
      pointer: 'query/purpose',
    });
  }
  return p;
}

export async function readInboxMessage(
  ctx: GatewayContext,
  principal: Principal,
  id: string,
  purposeGiven: string | undefined,
): Promise<InboxItem & { message: InboundRecord['message'] }> {
  const purpose = purposeOf(purposeGiven);
  const r = ID.test(id) ? await ctx.store.inbound.get(id) : null;
  if (!r) throw new TnxError('not_found', 'no such inbox message');
  await ctx.events.publish({
    action: 'personal_data.read',
    actor: principal.id,
    at: ctx.clock.now(),
    messageId: messageIdOf(r.message),
    partner: r.iss,
    outcome: 'disclosed',
    detail: { purpose, inboundId: r.id, messageType: r.messageType },
  });
  return { ...toItem(r), message: r.message };
}
