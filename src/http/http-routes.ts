/**
 * The routes that need the wire itself, so they are written against express rather than as feature
 * data: the TNX/1 inbox (client certificate of the TLS socket, the exact bytes received, its own
 * refusal audit), our public keys, and the probes (metrics have their own listener:
 * ./metrics-server.ts). `roles: null`: they take no bearer token — the inbox is authenticated by the
 * envelope's signature (and mTLS when configured), the rest is public (the API's own description
 * included: integrators read it before they hold a token).
 * They sit in the one route table (./route-table.ts) with the features' routes.
 */
import type { RequestHandler } from 'express';
import type { Method } from '../features/route.js';
import type { Role } from '../core/principal.js';
import type { HttpDeps } from './handlers/deps.js';
import { serveApiDocs, serveOpenApi } from './handlers/api-docs.js';
import { healthz, readyz } from './handlers/health.js';
import { checkClientCertificate, receiveEnvelope, serveJwks, serveNetworkDirectory } from './handlers/wire.js';
import { parseBody } from './steps/parse-body.js';

export interface HttpRoute {
  name: string;
  method: Method;
  path: string;
  roles: readonly Role[] | null;
  /** The route's steps after naming (and, with roles, authenticate → requireRole). */
  steps(deps: HttpDeps): RequestHandler[];
}

export const httpRoutes: readonly HttpRoute[] = [
  {
    name: 'receiveMessage',
    method: 'POST',
    path: '/tnx/v1/messages',
    roles: null,
    steps: (deps) => [
      checkClientCertificate(deps),
      parseBody({ kinds: ['jose'], limit: deps.ctx.config.protocol.maxMessageBytes }),
      receiveEnvelope(deps),
    ],
  },
  { name: 'jwks', method: 'GET', path: '/.well-known/jwks.json', roles: null, steps: (deps) => [serveJwks(deps)] },
  {
    name: 'networkDirectory',
    method: 'GET',
    path: '/tnx/v1/directory',
    roles: null,
    steps: (deps) => [serveNetworkDirectory(deps)],
  },
];

export const probeRoutes: readonly HttpRoute[] = [
  { name: 'healthz', method: 'GET', path: '/healthz', roles: null, steps: () => [healthz()] },
  { name: 'readyz', method: 'GET', path: '/readyz', roles: null, steps: (deps) => [readyz(deps)] },
];

export const docRoutes: readonly HttpRoute[] = [
  { name: 'openApiDocument', method: 'GET', path: '/openapi.yaml', roles: null, steps: () => [serveOpenApi()] },
  { name: 'apiReference', method: 'GET', path: '/api/docs', roles: null, steps: () => [serveApiDocs()] },
];
