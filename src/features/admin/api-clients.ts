/**
 * Who may call the local API: the static bearer tokens configured (their ids and roles — the hashes
 * stay in the configuration) and, when OAuth access tokens are accepted, the client ids the issuer's
 * tokens have been seen with. A caller's id is the `actor` of the audit events its requests cause
 * (`oauth:<client_id>` for access tokens), so "seen" and "last active" come from the latest audit
 * events — a bounded, newest-first read of the trail — and never from a second register.
 */
import type { Principal, Role } from '../../core/principal.js';
import type { GatewayContext } from '../../ports/context.js';
import { recordQuery } from '../audit-trail/queried.js';

export interface StaticClientView {
  id: string;
  role: Role;
  /** Time of its latest event within the scanned events, epoch ms; null when none. */
  lastActiveAt: number | null;
}

export interface OAuthClientView {
  clientId: string;
  lastActiveAt: number;
}

export interface ApiClientsView {
  tokens: StaticClientView[];
  oauth: {
    issuer: string;
    audience: string;
    roleClaim: string;
    clients: OAuthClientView[];
  } | null;
  /** How many of the latest audit events were read to find activity. */
  scannedEvents: number;
}

const OAUTH_PREFIX = 'oauth:';
const PAGE = 1000;

export async function apiClients(
  ctx: GatewayContext,
  principal: Principal,
  options: { scanEvents?: number } = {},
): Promise<ApiClientsView> {
  const budget = Math.max(PAGE, options.scanEvents ?? 5000);
  const lastSeen = new Map<string, number>();
  let scanned = 0;
  let cursor: string | null = null;
  do {
    const page = await ctx.store.audit.query({}, { limit: PAGE, cursor });
    for (const e of page.items) if (!lastSeen.has(e.actor)) lastSeen.set(e.actor, e.at);
    scanned += page.items.length;
    cursor = page.next;
  } while (cursor !== null && scanned < budget);

  const oauthSettings = ctx.config.auth.oauth;
  const clients = [...lastSeen.entries()]
    .filter(([actor]) => actor.startsWith(OAUTH_PREFIX))
    .map(([actor, at]) => ({ clientId: actor.slice(OAUTH_PREFIX.length), lastActiveAt: at }))
    .sort((a, b) => b.lastActiveAt - a.lastActiveAt);
  await recordQuery(ctx, principal, { view: 'api_clients', scanned });
  return {
    tokens: ctx.config.auth.tokens.map((t) => ({ id: t.id, role: t.role, lastActiveAt: lastSeen.get(t.id) ?? null })),
    oauth: oauthSettings
      ? {
          issuer: oauthSettings.issuer,
          audience: oauthSettings.audience,
          roleClaim: oauthSettings.roleClaim,
          clients,
        }
      : null,
    scannedEvents: scanned,
  };
}
