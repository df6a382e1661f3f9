/**
 * The express app, built from the one route table (./routes.ts). Order of every request:
 * requestContext → route name → authenticate → requireRole → the route's steps → errorHandler.
 * A path no route knows is `not_found`; a known path with another method is `method_not_allowed` with
 * an Allow header. Everything that goes wrong leaves as application/problem+json (./problem.ts).
 */
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { TnxError } from '../core/errors.js';
import { TokenAuthenticator } from './auth.js';
import { coreChecks } from './handlers/health.js';
import type { HttpDeps, ReadinessCheck } from './handlers/deps.js';
import { authenticate, requireRole } from './middleware/authenticate.js';
import { errorHandler } from './middleware/error-handler.js';
import { requestContext } from './middleware/request-context.js';
import { routeTable, type Route } from './routes.js';
import { stateOf } from './state.js';
import { ClientCertVerifier } from './tls.js';
import type { GatewayContext } from '../ports/context.js';
import type { OutboundQueue } from '../ports/queue.js';
import type { InboundRecord } from '../ports/store/index.js';

function named(route: Route): RequestHandler {
  return function routeStep(_req: Request, res: Response, next: NextFunction): void {
    stateOf(res).route = route.name;
    next();
  };
}

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
  /**
   * Routes of other TNX parts (registry, screening), built from the same deps and mounted through the
   * same machinery: named, authenticated, role-checked, problem+json on error. They must not reuse a
   * path of the built-in table.
   */
  extraRoutes?: (deps: HttpDeps) => Route[];
}

export function buildDeps(options: AppOptions): HttpDeps {
  const { ctx } = options;
  const mtls = ctx.config.http.tls?.requireClientCert === true;
  return {
    ctx,
    queue: options.queue,
    auth: new TokenAuthenticator(ctx.config.auth.tokens),
    readiness: options.readiness ?? [],
    clientCerts: mtls ? new ClientCertVerifier(ctx.config.directory.partners, ctx.clock) : null,
    ...(options.queueDepth ? { queueDepth: options.queueDepth } : {}),
    ...(options.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: options.enqueueTimeoutMs } : {}),
    ...(options.onReceived ? { onReceived: options.onReceived } : {}),
  };
}

export function createApp(options: AppOptions): Express {
  const deps = buildDeps(options);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(requestContext(deps.ctx.log, deps.ctx.metrics));

  const routes = [...routeTable(deps), ...(options.extraRoutes?.(deps) ?? [])];
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
  }
  const methods = new Map<string, string[]>();
  for (const route of routes) {
    const guard = route.roles === null ? [] : [authenticate(deps.auth), requireRole(route.roles)];
    const m = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    app[m](route.path, named(route), ...guard, ...route.steps);
    const list = methods.get(route.path) ?? [];
    list.push(route.method, ...(route.method === 'GET' ? ['HEAD'] : []));
    methods.set(route.path, list);
  }
  for (const [path, allowed] of methods) app.all(path, methodNotAllowed([...allowed].sort()));
  app.use(notFound());
  app.use(errorHandler({ log: deps.ctx.log, events: deps.ctx.events, clock: deps.ctx.clock }));
  return app;
}

export { coreChecks };
