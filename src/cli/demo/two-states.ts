/**
 * Configuration files for a small federation on one machine: each state gets a config file in `dir`
 * with its own loopback port, its own SQLite file, its own Redis key prefix, the dev keys of keys/dev
 * and an inline directory in which every other state of the set points at its loopback inbox. The
 * demo, the end-to-end tests and the benchmark all start gateways from files written here, so they
 * exercise the same loader (src/config/load.ts) as `tnx serve`.
 *
 * Partner data (name, point of contact, public keys) comes from config/directory.<state>.json; only
 * the endpoint is rewritten. Bearer tokens are generated per run and only their hashes are written.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiToken, PartnerInput, PartnerLimits, Role, TnxConfigInput } from '../../config/schema.js';
import { sha256Hex } from '../../http/auth.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const CONFIG_DIR = join(REPO_ROOT, 'config');

/** The demo states: those with a config/<state>.json and dev keys. */
export type DemoState = 'USA' | 'GBR' | 'FRA' | 'THA';

/** One token per role the demo and tests use; `secret` is printed (dev only), `sha256` is configured. */
export interface DemoToken {
  id: string;
  role: Role;
  secret: string;
}

export const DEMO_TOKEN_ROLES: readonly { id: string; role: Role }[] = [
  { id: 'national-system', role: 'submitter' },
  { id: 'poc-desk', role: 'poc' },
  { id: 'auditor', role: 'auditor' },
  { id: 'admin', role: 'admin' },
];

export function newTokens(state: string): DemoToken[] {
  return DEMO_TOKEN_ROLES.map(({ id, role }) => ({
    id,
    role,
    secret: `${state.toLowerCase()}-${role}-${randomBytes(18).toString('base64url')}`,
  }));
}

export function tokenFor(tokens: readonly DemoToken[], role: Role): string {
  const t = tokens.find((x) => x.role === role);
  if (!t) throw new RangeError(`no ${role} token`);
  return t.secret;
}

export interface StateSetup {
  state: DemoState;
  port: number;
  tokens: DemoToken[];
  configPath: string;
  sqlitePath: string;
  redisPrefix: string;
  /** Base URL this state will listen on (http, loopback). */
  url: string;
  /** Base URL of its metrics listener, when its port was given (else the bound one is logged). */
  metricsUrl: string | null;
}

export interface WriteOptions {
  dir: string;
  redisUrl: string;
  /** Port per state (from freePort()). */
  ports: Partial<Record<DemoState, number>>;
  /** Metrics listener port per state; default 0 (any free port: several gateways share one host). */
  metricsPorts?: Partial<Record<DemoState, number>>;
  /** Redis key prefix per state; default `tnx-<state>-<random>`. */
  prefixes?: Partial<Record<DemoState, string>>;
  /** Merged over each state's config (delivery tuning, log level, roles …). */
  overrides?: Partial<TnxConfigInput>;
  /** Extra partners in every state's directory (e.g. a state that runs no gateway). */
  extraPartners?: PartnerInput[];
  /** Per-partner delivery limits for every partner (default: the schema's, 8 in flight, 200/s). */
  partnerLimits?: PartnerLimits;
  /** Follow this signed network directory instead of writing local partner lists. */
  network?: { url: string; name: string; trustAnchorsPath: string; intervalSeconds: number };
  /** Turn the console on against this OpenID provider (each state's own origin is its public base URL). */
  console?: { issuer: string; clientId: string; clientSecret: string; roleClaim: string; roles: Record<string, Role> };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Write `<dir>/<state>.json` for every state in `ports`; returns what callers need to reach them. */
export function writeStateConfigs(options: WriteOptions): Record<string, StateSetup> {
  const states = Object.keys(options.ports) as DemoState[];
  const url = (s: DemoState): string => `http://127.0.0.1:${options.ports[s]!}`;
  const out: Record<string, StateSetup> = {};
  for (const state of states) {
    const lower = state.toLowerCase();
    const base = readJson<TnxConfigInput & { directoryPath?: string }>(join(CONFIG_DIR, `${lower}.json`));
    const dirFile = readJson<{ partners: PartnerInput[] }>(join(CONFIG_DIR, `directory.${lower}.json`));
    const partners = dirFile.partners
      .filter((p) => p.state !== undefined && p.state !== state && states.includes(p.state as DemoState))
      .map((p) => ({
        ...p,
        endpoint: `${url(p.state as DemoState)}/tnx/v1/messages`,
        jwksPath: resolve(CONFIG_DIR, p.jwksPath!),
        ...(options.partnerLimits ? { limits: options.partnerLimits } : {}),
      }));
    const tokens = newTokens(state);
    const sqlitePath = join(options.dir, `${lower}.sqlite`);
    const redisPrefix = options.prefixes?.[state] ?? `tnx-${lower}-${randomBytes(4).toString('hex')}`;
    const { directoryPath: _dropped, ...rest } = base;
    void _dropped;
    const config: TnxConfigInput = {
      ...rest,
      keys: { privateJwksPath: resolve(CONFIG_DIR, base.keys.privateJwksPath) },
      http: { host: '127.0.0.1', port: options.ports[state]! },
      metrics: { host: '127.0.0.1', port: options.metricsPorts?.[state] ?? 0 },
      redis: { url: options.redisUrl, prefix: redisPrefix },
      store: { kind: 'sqlite', sqlitePath },
      directory: options.network
        ? { network: { ...options.network, statePath: join(options.dir, `${lower}.directory.jws`) } }
        : { partners: [...partners, ...(options.extraPartners ?? [])] },
      auth: { tokens: tokens.map((t): ApiToken => ({ id: t.id, role: t.role, sha256: sha256Hex(t.secret) })) },
      ...(options.console ? { console: { ...options.console, publicBaseUrl: url(state) } } : {}),
      ...(options.overrides ?? {}),
    };
    const configPath = join(options.dir, `${lower}.json`);
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    const metricsPort = options.metricsPorts?.[state];
    out[state] = {
      state,
      port: options.ports[state]!,
      tokens,
      configPath,
      sqlitePath,
      redisPrefix,
      url: url(state),
      metricsUrl: metricsPort ? `http://127.0.0.1:${metricsPort}` : null,
    };
  }
  return out;
}
