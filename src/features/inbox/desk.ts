/**
 * The point-of-contact desk's view of the inbox: what still needs someone's eyes first. A message is
 * "read" once anyone at the desk consulted it — the `personal_data.read` event its opening wrote to
 * the audit trail (./read.ts), so the trail is the one record of who read what and nothing else has
 * to be kept in step with it. Within unread and read: the soonest departure still ahead first, then
 * travel already under way (most recent departure first), then messages without a departure
 * (follow-ups, cancels), newest first.
 *
 * The desk looks at the latest `window` messages received (by origin state when asked): older ones
 * are reached through the paged inbox list.
 */
import { isoTimeOrNull } from '../../core/clock.js';
import type { Principal } from '../../core/principal.js';
import type { StateCode } from '../../domain/protocol/types.js';
import type { GatewayContext } from '../../ports/context.js';
import { listInbox, type InboxItem } from './read.js';
import { recordQuery } from '../audit-trail/queried.js';

export interface DeskItem extends InboxItem {
  /** Someone consulted it (a personal_data.read is in the trail). */
  read: boolean;
  /** When it was last consulted, and by whom (actor id): null when unread. */
  lastReadAt: string | null;
  lastReadBy: string | null;
}

export interface DeskOrigin {
  iss: StateCode;
  total: number;
  unread: number;
}

export interface DeskView {
  items: DeskItem[];
  /** Per origin state within the window, most unread first. */
  origins: DeskOrigin[];
  /** More messages exist than the window holds. */
  more: boolean;
}

export interface DeskQuery {
  iss?: StateCode;
  /** How many of the latest messages to sort; default 200, at most 500. */
  window?: number;
}

const DEFAULT_WINDOW = 200;
const MAX_WINDOW = 500;

export async function inboxDesk(ctx: GatewayContext, principal: Principal, q: DeskQuery = {}): Promise<DeskView> {
  const window = Math.min(Math.max(1, q.window ?? DEFAULT_WINDOW), MAX_WINDOW);
  const page = await listInbox(ctx, { ...(q.iss ? { iss: q.iss } : {}), limit: window });
  const items = await Promise.all(page.items.map((item) => withReadState(ctx, item)));
  await recordQuery(ctx, principal, { view: 'inbox_desk', count: items.length }, { partner: q.iss ?? null });
  return { items: deskOrder(items, ctx.clock.now()), origins: originsOf(items), more: page.next !== null };
}

async function withReadState(ctx: GatewayContext, item: InboxItem): Promise<DeskItem> {
  const reads = await ctx.store.audit.query(
    { action: 'personal_data.read', messageId: item.messageId, partner: item.iss },
    { limit: 1 },
  );
  const last = reads.items[0];
  return {
    ...item,
    read: last !== undefined,
    lastReadAt: last ? isoTimeOrNull(last.at) : null,
    lastReadBy: last ? last.actor : null,
  };
}

/** Unread first; then departure still ahead (soonest first), under way (latest first), none (newest received first). */
export function deskOrder<T extends Pick<DeskItem, 'read' | 'departureAt' | 'receivedAt' | 'id'>>(
  items: readonly T[],
  now: number,
): T[] {
  const band = (t: T): number => {
    if (t.departureAt === null) return 2;
    return Date.parse(t.departureAt) >= now ? 0 : 1;
  };
  const key = (t: T): number => {
    const b = band(t);
    if (b === 0) return Date.parse(t.departureAt!);
    if (b === 1) return -Date.parse(t.departureAt!);
    return -Date.parse(t.receivedAt);
  };
  return [...items].sort(
    (a, b) =>
      Number(a.read) - Number(b.read) ||
      band(a) - band(b) ||
      key(a) - key(b) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function originsOf(items: readonly DeskItem[]): DeskOrigin[] {
  const by = new Map<StateCode, DeskOrigin>();
  for (const i of items) {
    const o = by.get(i.iss) ?? { iss: i.iss, total: 0, unread: 0 };
    o.total += 1;
    if (!i.read) o.unread += 1;
    by.set(i.iss, o);
  }
  return [...by.values()].sort((a, b) => b.unread - a.unread || (a.iss < b.iss ? -1 : 1));
}
