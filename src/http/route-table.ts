/**
 * THE route table: every endpoint of the gateway, in one list, as data. The features' routes
 * (src/features/<feature>/routes.ts) say what they admit, accept and produce and how they answer;
 * the few wire and probe routes that need the raw request are written in ./http-routes.ts. ./app.ts
 * compiles each route once at start-up into its named steps. protocol/openapi.yaml documents exactly
 * these routes (tests/http/openapi-routes.test.ts checks both ways).
 */
import { auditTrailRoutes } from '../features/audit-trail/routes.js';
import { deliveryRoutes } from '../features/delivery/routes.js';
import { directoryRoutes } from '../features/directory/routes.js';
import { inboxRoutes } from '../features/inbox/routes.js';
import { registryRoutes } from '../features/registry/routes.js';
import type { Route } from '../features/route.js';
import { screeningRoutes } from '../features/screening/routes.js';
import { statisticsRoutes } from '../features/statistics/routes.js';
import { submissionRoutes } from '../features/submission/routes.js';
import { travelReportRoutes } from '../features/travel-reports/routes.js';
import { docRoutes, httpRoutes, probeRoutes, type HttpRoute } from './http-routes.js';

export type TableRoute = Route | HttpRoute;

export const ROUTES: readonly TableRoute[] = [
  // TNX/1 wire
  ...httpRoutes,
  // local API: national systems, compliance staff, points of contact
  ...submissionRoutes,
  ...deliveryRoutes,
  ...auditTrailRoutes,
  ...inboxRoutes,
  ...directoryRoutes,
  ...statisticsRoutes,
  // the national workflow and manifest screening, where the registry is configured
  ...registryRoutes,
  ...travelReportRoutes,
  ...screeningRoutes,
  // operations, and the API's own description
  ...probeRoutes,
  ...docRoutes,
];

export function isHttpRoute(route: TableRoute): route is HttpRoute {
  return 'steps' in route;
}
