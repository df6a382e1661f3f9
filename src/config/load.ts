/**
 * Load, validate and freeze the configuration once at start-up.
 *
 * Order: parse → validate against the schema (defaults filled) → resolve relative paths → load the
 * directory file and partner JWKS → cross-setting `check*()` steps → deep freeze.
 * Every failure is a `config_invalid` TnxError whose message names the setting's path.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { TnxError } from '../core/errors.js';
import { isLoopbackHost } from '../domain/directory/network.js';
import { loadTrustAnchors } from '../domain/directory/network-jws.js';
import { configSchema, directorySchema, type TnxConfig, type TnxConfigInput } from './schema.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const ajv = addFormats(new Ajv2020({ allErrors: false, useDefaults: true, strict: false }));
const validateConfig = ajv.compile(configSchema);
const validateDirectory = ajv.compile(directorySchema);

function configError(path: string, message: string, cause?: unknown): TnxError {
  return new TnxError('config_invalid', `config ${path}: ${message}`, { pointer: path, cause });
}

function describe(err: ErrorObject | undefined, root: string): TnxError {
  if (!err) return configError(root, 'invalid');
  const where = err.instancePath === '' ? root : `${root}${err.instancePath}`;
  const extra =
    err.keyword === 'additionalProperties'
      ? ` (unknown setting "${String((err.params as { additionalProperty: string }).additionalProperty)}")`
      : err.keyword === 'required'
        ? ` (missing "${String((err.params as { missingProperty: string }).missingProperty)}")`
        : '';
  return configError(where, `${err.message ?? 'invalid'}${extra}`);
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw configError(what, `cannot read file ${path}`, cause);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw configError(what, `file ${path} is not valid JSON`, cause);
  }
}

function resolveFrom(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

/** Load from a file path (relative paths inside are resolved against the file's folder). */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): TnxConfig {
  const abs = resolve(path);
  return buildConfig(readJson(abs, '(file)') as TnxConfigInput, { baseDir: dirname(abs), configPath: abs, env });
}

export interface BuildOptions {
  /** Folder relative paths are resolved against (default: process.cwd()). */
  baseDir?: string;
  configPath?: string;
  /** Environment overrides: REDIS_URL, MONGODB_URI, TNX_SQLITE_PATH. */
  env?: NodeJS.ProcessEnv;
}

/** Validate an in-memory configuration (used by tests and by `loadConfigFile`). */
export function buildConfig(input: TnxConfigInput, options: BuildOptions = {}): TnxConfig {
  const baseDir = options.baseDir ?? process.cwd();
  const env = options.env ?? {};
  const cfg = structuredClone(input) as unknown as TnxConfig & { $schema?: string };
  if (!validateConfig(cfg)) throw describe(validateConfig.errors?.[0], 'config');
  delete cfg.$schema;

  applyEnv(cfg, env);
  cfg.keys.privateJwksPath = resolveFrom(baseDir, cfg.keys.privateJwksPath);
  cfg.store.sqlitePath = cfg.store.sqlitePath === ':memory:' ? ':memory:' : resolveFrom(baseDir, cfg.store.sqlitePath);
  if (cfg.http.tls) {
    cfg.http.tls.certPath = resolveFrom(baseDir, cfg.http.tls.certPath);
    cfg.http.tls.keyPath = resolveFrom(baseDir, cfg.http.tls.keyPath);
    if (cfg.http.tls.caPath) cfg.http.tls.caPath = resolveFrom(baseDir, cfg.http.tls.caPath);
  }
  if (cfg.console?.privateKeyPath) cfg.console.privateKeyPath = resolveFrom(baseDir, cfg.console.privateKeyPath);
  if (cfg.registry) {
    cfg.registry.kekPath = resolveFrom(baseDir, cfg.registry.kekPath);
    cfg.registry.indexKeyPath = resolveFrom(baseDir, cfg.registry.indexKeyPath);
  }
  cfg.directory = loadDirectory(cfg, baseDir);
  if (options.configPath) cfg.configPath = options.configPath;

  checkDirectory(cfg);
  checkNetworkDirectory(cfg);
  checkTokens(cfg);
  checkConsole(cfg);
  checkStore(cfg);
  checkDelivery(cfg);
  return deepFreeze(cfg);
}

function applyEnv(cfg: TnxConfig, env: NodeJS.ProcessEnv): void {
  if (env.REDIS_URL) cfg.redis.url = env.REDIS_URL;
  if (env.MONGODB_URI && cfg.store.kind === 'mongodb' && !cfg.store.mongodbUri) cfg.store.mongodbUri = env.MONGODB_URI;
  if (env.TNX_SQLITE_PATH) cfg.store.sqlitePath = env.TNX_SQLITE_PATH;
}

function loadDirectory(cfg: TnxConfig, baseDir: string): TnxConfig['directory'] {
  let dir: TnxConfig['directory'];
  let dirBase = baseDir;
  if (cfg.directoryPath) {
    if (cfg.directory) throw configError('config/directory', 'give either directory or directoryPath, not both');
    cfg.directoryPath = resolveFrom(baseDir, cfg.directoryPath);
    dirBase = dirname(cfg.directoryPath);
    const raw = readJson(cfg.directoryPath, 'config/directoryPath');
    if (!validateDirectory(raw)) throw describe(validateDirectory.errors?.[0], 'directory');
    dir = raw;
  } else {
    dir = cfg.directory ?? { partners: [] };
  }
  if (dir.network) {
    dir.network.trustAnchorsPath = resolveFrom(dirBase, dir.network.trustAnchorsPath);
    // The copy lives with the gateway's other data unless told otherwise; a store with no local file
    // (":memory:", MongoDB) has no such place, and checkNetworkDirectory asks for the path.
    if (dir.network.statePath) dir.network.statePath = resolveFrom(dirBase, dir.network.statePath);
    else if (cfg.store.kind === 'sqlite' && cfg.store.sqlitePath !== ':memory:')
      dir.network.statePath = join(dirname(cfg.store.sqlitePath), 'network-directory.jws');
  }
  dir.partners.forEach((p, i) => {
    const at = `directory/partners/${i}`;
    if ((p.jwks === undefined) === (p.jwksPath === undefined)) {
      throw configError(at, 'exactly one of jwks or jwksPath is required');
    }
    if (p.jwksPath !== undefined) {
      p.jwksPath = resolveFrom(dirBase, p.jwksPath);
      const jwks = readJson(p.jwksPath, `${at}/jwksPath`) as { keys?: unknown };
      if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
        throw configError(`${at}/jwksPath`, 'file must hold a JWKS with at least one key');
      }
      p.jwks = jwks as { keys: Record<string, unknown>[] };
    }
    for (const [k, key] of (p.jwks?.keys ?? []).entries()) {
      if ('d' in key || 'p' in key || 'k' in key)
        throw configError(`${at}/jwks/keys/${k}`, 'partner JWKS must hold public keys only');
    }
    if (p.tls?.caPath) p.tls.caPath = resolveFrom(dirBase, p.tls.caPath);
    if (p.tls?.clientCaPath) p.tls.clientCaPath = resolveFrom(dirBase, p.tls.clientCaPath);
  });
  return dir;
}

/** Partner states are unique, none is our own state, and every kid is unique across the directory. */
function checkDirectory(cfg: TnxConfig): void {
  const seen = new Set<string>();
  const kids = new Map<string, string>();
  cfg.directory.partners.forEach((p, i) => {
    if (p.state === cfg.state) throw configError(`directory/partners/${i}/state`, 'own state cannot be a partner');
    if (seen.has(p.state)) throw configError(`directory/partners/${i}/state`, `duplicate partner ${p.state}`);
    seen.add(p.state);
    for (const key of p.jwks?.keys ?? []) {
      const kid = String(key.kid);
      const owner = kids.get(kid);
      if (owner) throw configError(`directory/partners/${i}/jwks`, `kid "${kid}" is also used by ${owner}`);
      kids.set(kid, p.state);
    }
  });
}

/**
 * Following a network directory: its URL keeps to https (http only on loopback), the trust anchors are
 * public signing keys, a state file has a place, and no local partner list competes with the signed one
 * — two sources would leave it unclear which endpoint or key is the real one after a change.
 */
function checkNetworkDirectory(cfg: TnxConfig): void {
  const net = cfg.directory.network;
  if (!net) return;
  if (cfg.directory.partners.length > 0)
    throw configError(
      'config/directory/partners',
      'must be empty when directory.network is set: partners come from the signed network directory (per-state limits go in directory.network.limits)',
    );
  const url = new URL(net.url);
  if (url.username || url.password)
    throw configError('config/directory/network/url', 'credentials in the URL are not allowed');
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))))
    throw configError('config/directory/network/url', 'must be https: (http: only on a loopback host)');
  if (!net.statePath)
    throw configError(
      'config/directory/network/statePath',
      'required when the store has no data directory (":memory:" or MongoDB)',
    );
  loadTrustAnchors(net.trustAnchorsPath);
}

function checkTokens(cfg: TnxConfig): void {
  const ids = new Set<string>();
  const hashes = new Set<string>();
  cfg.auth.tokens.forEach((t, i) => {
    if (ids.has(t.id)) throw configError(`config/auth/tokens/${i}/id`, `duplicate token id ${t.id}`);
    if (hashes.has(t.sha256)) throw configError(`config/auth/tokens/${i}/sha256`, 'two tokens share one secret');
    ids.add(t.id);
    hashes.add(t.sha256);
  });
}

/** The console needs exactly one way to authenticate to the provider and some role mapping. */
function checkConsole(cfg: TnxConfig): void {
  const c = cfg.console;
  if (!c) return;
  if ((c.clientSecret === undefined) === (c.privateKeyPath === undefined))
    throw configError('config/console', 'give either clientSecret or privateKeyPath');
  if (!c.roles && !cfg.auth.oauth) throw configError('config/console/roles', 'required when auth.oauth is not set');
  if (!c.scope.split(' ').includes('openid')) throw configError('config/console/scope', 'must include openid');
  if (c.absoluteTimeoutSeconds < c.idleTimeoutSeconds)
    throw configError('config/console/absoluteTimeoutSeconds', 'must be ≥ idleTimeoutSeconds');
  for (const [path, url] of [
    ['issuer', c.issuer],
    ['publicBaseUrl', c.publicBaseUrl],
  ] as const) {
    const u = new URL(url);
    if (u.protocol === 'http:' && !isLoopbackHost(u.hostname))
      throw configError(`config/console/${path}`, 'http: is allowed only on a loopback host');
  }
}

function checkStore(cfg: TnxConfig): void {
  if (cfg.store.kind === 'mongodb' && !cfg.store.mongodbUri) {
    throw configError('config/store/mongodbUri', 'required when store.kind is "mongodb" (or set MONGODB_URI)');
  }
}

function checkDelivery(cfg: TnxConfig): void {
  if (cfg.delivery.backoffCapMs < cfg.delivery.backoffBaseMs) {
    throw configError('config/delivery/backoffCapMs', 'must be ≥ backoffBaseMs');
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
