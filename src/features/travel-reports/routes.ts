/**
 * Travel reports of registrants (role `registry`): recorded, read with a purpose, changed and
 * cancelled; each turns into notifications and updates through the submission path. Served with the
 * registry.
 */
import { PURPOSE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { BY_ID, JSON_BODY, routesOf, type Route } from '../route.js';
import { checkDeadline } from './deadline-check.js';
import {
  cancelTravelReport,
  changeTravelReport,
  createTravelReport,
  readTravelReport,
} from './travel-report-service.js';

export const travelReportRoutes: readonly Route[] = routesOf('registry', ROLES_BY_CONCERN.registry, (route) => [
  route('checkTravelDeadline', {
    method: 'GET',
    path: '/api/v1/travel-deadline',
    query: {
      reportedAt: { type: 'date-or-instant', required: true },
      departureAt: { type: 'date-or-instant', required: true },
      emergency: { type: 'enum', values: ['true', 'false'] },
    },
    handle({ query }, deps) {
      const { reportedAt, departureAt } = query;
      return Promise.resolve({
        body: checkDeadline(deps, { reportedAt, departureAt, emergency: query.emergency === 'true' }),
      });
    },
  }),
  route('createTravelReport', {
    method: 'POST',
    path: '/api/v1/registrants/:id/travel-reports',
    params: BY_ID,
    body: JSON_BODY,
    async handle({ principal, params, body }, deps) {
      return { status: 201, body: await createTravelReport(deps, principal, params.id, body) };
    },
  }),
  route('readTravelReport', {
    method: 'GET',
    path: '/api/v1/travel-reports/:id',
    params: BY_ID,
    query: { purpose: PURPOSE },
    handle: async ({ principal, params, query }, deps) => ({
      body: await readTravelReport(deps, principal, params.id, query.purpose),
    }),
  }),
  route('changeTravelReport', {
    method: 'PUT',
    path: '/api/v1/travel-reports/:id',
    params: BY_ID,
    body: JSON_BODY,
    handle: async ({ principal, params, body }, deps) => ({
      body: await changeTravelReport(deps, principal, params.id, body),
    }),
  }),
  route('cancelTravelReport', {
    method: 'POST',
    path: '/api/v1/travel-reports/:id/cancel',
    params: BY_ID,
    body: JSON_BODY,
    handle: async ({ principal, params, body }, deps) => ({
      body: await cancelTravelReport(deps, principal, params.id, body),
    }),
  }),
]);
