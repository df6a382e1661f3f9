/**
 * Points of contact: the directory as the API shows it, and admin changes to a partner's
 * point of contact, endpoint or accepted types. A change is validated with the same schema as the
 * configuration, applied to the running Directory, written to the directory file when the
 * configuration names one (atomically: temp file + rename, so a crash never leaves half a file) and
 * audited as `config.changed`. Keys are not changed here: they follow key rotation and a restart.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { GatewayContext } from '../../ports/context.js';
import { partnerSchema, type Partner } from '../../config/schema.js';
import { TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { StateCode } from '../../domain/protocol/types.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: false, strict: false }));
type Change = Pick<Partial<Partner>, 'pointOfContact' | 'endpoint' | 'accepts'>;
const validateChange = ajv.compile({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    pointOfContact: partnerSchema.properties.pointOfContact,
    endpoint: partnerSchema.properties.endpoint,
    accepts: { ...partnerSchema.properties.accepts, default: undefined },
  },
});

export interface DirectoryKeyView {
  kid: string;
  use: string;
  alg: string;
  created: string | null;
  retired: string | null;
  valid: boolean;
}

export interface DirectoryEntryView {
  state: StateCode;
  name: string;
  endpoint: string | null;
  pointOfContact: Partner['pointOfContact'];
  accepts: string[];
  keys: DirectoryKeyView[];
}

function keysOf(p: Partner): DirectoryKeyView[] {
  return (p.jwks?.keys ?? []).map((k) => {
    const created = typeof k.tnx_created === 'string' ? k.tnx_created : null;
    const retired = typeof k.tnx_retired === 'string' ? k.tnx_retired : null;
    return { kid: String(k.kid), use: String(k.use), alg: String(k.alg), created, retired, valid: retired === null };
  });
}

export function describeDirectory(ctx: GatewayContext): {
  state: StateCode;
  pointOfContact: Partner['pointOfContact'];
  partners: DirectoryEntryView[];
} {
  const partners = ctx.directory.list().map((p) => ({
    state: p.state,
    name: p.name,
    endpoint: p.endpoint,
    pointOfContact: p.pointOfContact,
    accepts: [...p.accepts],
    keys: keysOf(p),
  }));
  partners.sort((a, b) => (a.state < b.state ? -1 : 1));
  return { state: ctx.config.state, pointOfContact: ctx.config.pointOfContact, partners };
}

/** Write the change into the directory file, keeping every other member as it was. */
function persist(path: string, state: StateCode, change: Change): void {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { partners: Record<string, unknown>[] };
  const entry = raw.partners.find((p) => p.state === state);
  if (!entry) throw new TnxError('conflict', 'the partner is not in the directory file any more');
  Object.assign(entry, change);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

export async function changePartner(
  ctx: GatewayContext,
  principal: Principal,
  state: string,
  body: unknown,
): Promise<DirectoryEntryView> {
  if (!/^[A-Z]{3}$/.test(state))
    throw new TnxError('invalid_request', 'state must be an ISO 3166-1 alpha-3 code', { pointer: 'path/state' });
  // The coordinator's signed directory is the one source of truth: a local edit would be overwritten
  // at the next refresh, or worse, silently differ from what every other gateway uses.
  if (ctx.network)
    throw new TnxError(
      'conflict',
      'partners come from the signed network directory; ask the coordinator to change the entry',
    );
  const before = ctx.directory.partner(state);
  if (!before) throw new TnxError('not_found', 'no such partner in the directory');
  const change = structuredClone(body) as Change;
  if (!validateChange(change)) {
    const e = validateChange.errors?.[0];
    const pointer = e?.instancePath || '';
    throw new TnxError('invalid_request', `${pointer || 'body'} ${e?.message ?? 'is invalid'}`, { pointer });
  }
  if (ctx.config.directoryPath) persist(ctx.config.directoryPath, state, change);
  const after = ctx.directory.updatePartner(state, change);
  await ctx.events.publish({
    action: 'config.changed',
    actor: principal.id,
    at: ctx.clock.now(),
    partner: state,
    outcome: 'directory_partner_changed',
    detail: { fields: Object.keys(change).sort(), persisted: ctx.config.directoryPath !== undefined },
  });
  return {
    state,
    name: after.name,
    endpoint: after.endpoint,
    pointOfContact: after.pointOfContact,
    accepts: [...after.accepts],
    keys: keysOf(after),
  };
}

/** The network directory followed: the follower's status and the verified document (admin). */
export function describeNetworkDirectory(ctx: GatewayContext): { status: unknown; document: unknown } {
  if (!ctx.network) throw new TnxError('not_found', 'this gateway does not follow a network directory');
  return { status: ctx.network.status(), document: ctx.network.current() };
}
