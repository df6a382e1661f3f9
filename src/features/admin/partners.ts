/**
 * The administrator's view of the partners: each directory entry, its keys with their age, and the
 * health of its endpoint judged from our recent delivery attempts (src/domain/delivery/endpoint-health.ts).
 * The attempts are read from the audit trail's `delivery.attempt` events — one indexed query per
 * partner, newest first, bounded — so no second record of attempts is kept.
 */
import type { Principal } from '../../core/principal.js';
import { endpointHealth, type AttemptFact, type EndpointHealth } from '../../domain/delivery/endpoint-health.js';
import type { GatewayContext } from '../../ports/context.js';
import { describeDirectory, type DirectoryEntryView, type DirectoryKeyView } from '../directory/directory-service.js';
import { recordQuery } from '../audit-trail/queried.js';

const DAY_MS = 86_400_000;

export interface PartnerKeyView extends DirectoryKeyView {
  /** Whole days since the key's `tnx_created`; null when the key does not say. */
  ageDays: number | null;
}

export interface PartnerOverview extends Omit<DirectoryEntryView, 'keys'> {
  keys: PartnerKeyView[];
  health: EndpointHealth;
}

export interface PartnersQuery {
  /** How far back attempts count, hours; default 24. */
  windowHours?: number;
  /** Most attempts read per partner; default 100. */
  maxAttempts?: number;
}

export async function partnersOverview(
  ctx: GatewayContext,
  principal: Principal,
  q: PartnersQuery = {},
): Promise<{ state: string; since: number; partners: PartnerOverview[] }> {
  const now = ctx.clock.now();
  const since = now - (q.windowHours ?? 24) * 3_600_000;
  const dir = describeDirectory(ctx);
  const partners = await Promise.all(
    dir.partners.map(async (p) => ({
      ...p,
      keys: p.keys.map((k) => ({ ...k, ageDays: ageDays(k.created, now) })),
      health: endpointHealth(await recentAttempts(ctx, p.state, since, q.maxAttempts ?? 100), since),
    })),
  );
  await recordQuery(ctx, principal, { view: 'partners', count: partners.length });
  return { state: dir.state, since, partners };
}

async function recentAttempts(ctx: GatewayContext, partner: string, since: number, limit: number) {
  const page = await ctx.store.audit.query({ action: 'delivery.attempt', partner, from: since }, { limit });
  return page.items.map((e): AttemptFact => {
    const d = (e.detail ?? {}) as { httpStatus?: unknown; error?: unknown; durationMs?: unknown };
    return {
      at: e.at,
      outcome: e.outcome === 'delivered' || e.outcome === 'failed' ? e.outcome : 'retry',
      httpStatus: typeof d.httpStatus === 'number' ? d.httpStatus : null,
      error: typeof d.error === 'string' ? d.error : null,
      durationMs: typeof d.durationMs === 'number' ? d.durationMs : 0,
    };
  });
}

function ageDays(created: string | null, now: number): number | null {
  if (created === null) return null;
  const t = Date.parse(created);
  return Number.isNaN(t) ? null : Math.floor((now - t) / DAY_MS);
}
