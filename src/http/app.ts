/**
 * The express app, built from the one route table (./route-table.ts), mounted one way. Order of every
 * request: requestContext → the route's compiled steps (./compile-route.ts) → errorHandler.
 * A path no route knows is `not_found`; a known path with another method is `method_not_allowed` with
 * an Allow header. Everything that goes wrong leaves as application/problem+json (./problem.ts).
 */
import express, { type Express, type RequestHandler } from 'express';
import { TnxError } from '../core/errors.js';
import type { RegistryKeys } from '../domain/registry/registry-keys.js';
import { nationalDeps } from '../features/registry/deps.js';
import type { Parts } from '../features/route.js';
import type { ScreeningDeps } from '../features/screening/screening-deps.js';
import type { SubmitDeps } from '../features/submission/deps.js';
import { createAuthenticator } from './auth/authenticator.js';
import { compileRoute } from './compile-route.js';
import { coreChecks } from './handlers/health.js';
import type { HttpDeps, ReadinessCheck } from './handlers/deps.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestContext } from './middleware/request-context.js';
import { isHttpRoute, ROUTES, type TableRoute } from './route-table.js';
import { ClientCertVerifier } from './tls.js';
import type { GatewayContext } from '../ports/context.js';
import type { OutboundQueue } from '../ports/queue.js';
import type { InboundRecord } from '../ports/store/index.js';
import type { RefusalLimiter } from '../ports/refusal-limiter.js';
import { RefusalCounter } from '../features/audit-trail/refusal-counter.js';
import { checkPath } from './steps/check-path.js';
import { mountConsole } from './console/router.js';
import type { SessionStore } from '../ports/session-store.js';
import { memoryRefusalLimiter, refuseOverBudget } from './steps/limit-refusals.js';

function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return function methodNotAllowedStep(): void {
    throw new TnxError('method_not_allowed', `allowed: ${allowed.join(', ')}`, { detail: { allowed } });
  };
}

function notFound(): RequestHandler {
  return function notFoundStep(): void {
    throw new TnxError('not_found', 'no such endpoint');
  };
}

export interface AppOptions {
  ctx: GatewayContext;
  queue: OutboundQueue;
  readiness?: readonly ReadinessCheck[];
  queueDepth?: () => Promise<number>;
  enqueueTimeoutMs?: number;
  onReceived?: (record: InboundRecord) => void;
  /** Registry keys: the registry and travel-report routes are served (the national workflow). */
  registryKeys?: RegistryKeys;
  /** Manifest screening running in this process: its routes are served. */
  screening?: ScreeningDeps;
  /**
   * Further routes (embedding, tests), compiled exactly like the table's: named, authenticated,
   * role-checked, problem+json on error. They must not reuse a method and path of the table.
   */
  extraRoutes?: readonly TableRoute[];
  /** The refusal budget per address; the runtime passes the Redis-backed one (default: in memory). */
  refusalLimiter?: RefusalLimiter;
  /** Counts unauthenticated refusals into `request.refused` events; the owner closes it at shutdown. */
  refusalCounter?: RefusalCounter;
  /** Console sessions (required when config.console is set); the owner closes the store. */
  sessions?: SessionStore;
}

export function buildDeps(options: AppOptions): HttpDeps {
  const { ctx } = options;
  const mtls = ctx.config.http.tls?.requireClientCert === true;
  return {
    ctx,
    queue: options.queue,
    auth: createAuthenticator(ctx.config.auth, ctx.clock),
    readiness: options.readiness ?? [],
    clientCerts: mtls ? new ClientCertVerifier(ctx.config.directory.partners, ctx.clock) : null,
    ...(options.queueDepth ? { queueDepth: options.queueDepth } : {}),
    ...(options.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: options.enqueueTimeoutMs } : {}),
    ...(options.onReceived ? { onReceived: options.onReceived } : {}),
  };
}

/** What the features' handlers are given, per part of TNX that runs in this process. */
export function partsOf(options: AppOptions): Partial<Parts> {
  const core: SubmitDeps = {
    ctx: options.ctx,
    queue: options.queue,
    ...(options.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: options.enqueueTimeoutMs } : {}),
  };
  return {
    core,
    ...(options.registryKeys ? { registry: nationalDeps(core, options.registryKeys) } : {}),
    ...(options.screening ? { screening: options.screening } : {}),
  };
}

/** The routes this process serves: the table's, less those of parts that do not run here. */
export function servedRoutes(options: AppOptions): TableRoute[] {
  const parts = partsOf(options);
  return [...ROUTES, ...(options.extraRoutes ?? [])].filter((r) => isHttpRoute(r) || parts[r.part] !== undefined);
}

export function createApp(options: AppOptions): Express {
  const deps = buildDeps(options);
  const parts = partsOf(options);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(requestContext(deps.ctx.log, deps.ctx.metrics, deps.ctx.config.http.hstsMaxAgeSeconds));
  const { http } = deps.ctx.config;
  const limiter = options.refusalLimiter ?? memoryRefusalLimiter(http.refusalLimit, http.refusalWindowSeconds);
  const refusals =
    options.refusalCounter ??
    new RefusalCounter(
      { events: deps.ctx.events, clock: deps.ctx.clock, log: deps.ctx.log },
      http.refusalWindowSeconds * 1000,
    );
  app.use(refuseOverBudget(limiter, deps.ctx.log));
  if (deps.ctx.config.console) {
    if (!options.sessions) throw new Error('config.console is set but no session store was given');
    const { ctx } = deps;
    mountConsole(app, { config: ctx.config, sessions: options.sessions, parts, log: ctx.log, clock: ctx.clock });
  }
  app.use(checkPath(servedRoutes(options)));

  const seen = new Set<string>();
  const methods = new Map<string, string[]>();
  for (const route of [...ROUTES, ...(options.extraRoutes ?? [])]) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
    const steps = compileRoute(route, deps, parts);
    if (!steps) continue;
    const m = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    app[m](route.path, ...steps);
    const list = methods.get(route.path) ?? [];
    list.push(route.method, ...(route.method === 'GET' ? ['HEAD'] : []));
    methods.set(route.path, list);
  }
  for (const [path, allowed] of methods) app.all(path, methodNotAllowed([...allowed].sort()));
  app.use(notFound());
  app.use(errorHandler({ log: deps.ctx.log, events: deps.ctx.events, clock: deps.ctx.clock, limiter, refusals }));
  return app;
}

export { coreChecks };
