/**
 * What points of contact see of the inbox. The list shows references only (who sent what about which
 * notification, when, departing when); opening one message shows the personal data and is therefore
 * a logged consultation (LED 2016/680 Art 25(1)): the PoC must state a purpose, and the
 * `personal_data.read` event is durable before the data leaves the gateway.
 */
import type { GatewayContext } from '../../ports/context.js';
import { TnxError } from '../../core/errors.js';
import { CURSOR, enumParam, ID, limitParam, patternParam, readQuery, STATE_CODE, timeParam } from '../query-params.js';
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
    receivedAt: new Date(r.receivedAt).toISOString(),
    departureAt: r.departureAt === null ? null : new Date(r.departureAt).toISOString(),
  };
}

export const INBOX_QUERY = ['iss', 'type', 'notificationId', 'from', 'to', 'limit', 'cursor'] as const;

export async function listInbox(
  ctx: GatewayContext,
  query: unknown,
): Promise<{ items: InboxItem[]; next: string | null }> {
  const q = readQuery(query, INBOX_QUERY);
  const filter: InboundFilter = {};
  const iss = patternParam(q.iss, 'iss', STATE_CODE, 'an ISO 3166-1 alpha-3 code');
  const type = enumParam(q.type, 'type', ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] as const);
  const nid = patternParam(q.notificationId, 'notificationId', ID, 'an id');
  const from = timeParam(q.from, 'from');
  const to = timeParam(q.to, 'to');
  if (iss) filter.iss = iss;
  if (type) filter.messageType = type;
  if (nid) filter.notificationId = nid;
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  const cursor = patternParam(q.cursor, 'cursor', CURSOR, 'a cursor from a previous page') ?? null;
  const page = await ctx.store.inbound.list(filter, { limit: limitParam(q.limit), cursor });
  return { items: page.items.map(toItem), next: page.next };
}

/** Purpose text: required, short, printable — it is stored in the audit trail for years. */
export function purposeOf(query: unknown): string {
  const q = readQuery(query, ['purpose']);
  const p = q.purpose?.trim();
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
  query: unknown,
): Promise<InboxItem & { message: InboundRecord['message'] }> {
  const purpose = purposeOf(query);
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
