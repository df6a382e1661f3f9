/**
 * Compiling a route of the table, once at start-up, into the ordered express steps that serve it
 * (node-oidc-provider lib/helpers/initialize_app.js; fastify lib/route.js):
 *
 *   route name → admit (submissions) → authenticate → requireRole → negotiate → parseBody → parseQuery → checkParams
 *   → handle → respond
 *
 * Each step is a small named function, so a stack trace reads like the protocol. Steps a route does
 * not need are left out: no negotiation where one kind is produced, no body step without a body spec.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TnxConfig } from '../config/schema.js';
import type { BodySpec, Parts, Route } from '../features/route.js';
import type { HttpDeps } from './handlers/deps.js';
import { isHttpRoute, type TableRoute } from './route-table.js';
import { stateOf } from './state.js';
import { authenticate, requireRole } from './steps/authenticate.js';
import { checkParams } from './steps/check-params.js';
import { handle, respond } from './steps/handle.js';
import { negotiate } from './steps/negotiate.js';
import { parseBody } from './steps/parse-body.js';
import { parseQuery } from './steps/parse-query.js';
import { streamBody } from './steps/stream-body.js';
import { admit } from './steps/admit.js';

function named(route: TableRoute): RequestHandler {
  return function routeStep(_req: Request, res: Response, next: NextFunction): void {
    const state = stateOf(res);
    state.route = route.name;
    state.routePath = route.path;
    next();
  };
}

function limitOf(spec: BodySpec<unknown>, config: TnxConfig): number {
  if (spec.limit === 'api') return config.http.bodyLimitBytes;
  if (spec.limit === 'message') return config.protocol.maxMessageBytes;
  return spec.limit;
}

/** The path's `:name` segments and the params schema name the same parameters, or start-up stops. */
function checkPathParams(route: Route): void {
  const inPath = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]).sort();
  const declared = Object.keys(route.params ?? {}).sort();
  if (inPath.join() !== declared.join())
    throw new Error(
      `route ${route.name}: path parameters (${inPath.join()}) differ from its params (${declared.join()})`,
    );
}

/** The steps of one route, or null when its part of TNX does not run in this process. */
export function compileRoute(route: TableRoute, deps: HttpDeps, parts: Partial<Parts>): RequestHandler[] | null {
  const guard = route.roles === null ? [] : [authenticate(deps.auth), requireRole(route.roles)];
  if (isHttpRoute(route)) return [named(route), ...guard, ...route.steps(deps)];
  const ctx = parts[route.part];
  if (!ctx) return null;
  checkPathParams(route);
  const { body } = route;
  const { http } = deps.ctx.config;
  return [
    named(route),
    ...(route.shed ? [admit(deps.admission, deps.ctx.metrics, http.overloadRetryAfterSeconds)] : []),
    ...guard,
    ...(route.produces.length > 1 ? [negotiate(route.produces)] : []),
    ...(body
      ? [
          body.stream
            ? streamBody({ kinds: body.kinds, lineLimit: limitOf(body, deps.ctx.config), decode: body.decode })
            : parseBody({ kinds: body.kinds, limit: limitOf(body, deps.ctx.config), decode: body.decode }),
        ]
      : []),
    parseQuery(route.query),
    ...(route.params ? [checkParams(route.params)] : []),
    handle(route, ctx),
    respond(),
  ];
}
