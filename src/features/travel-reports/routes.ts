/**
 * Travel reports of registrants (role `registry`): recorded, read with a purpose, changed and
 * cancelled; each turns into notifications and updates through the submission path. Served with the
 * registry.
 */
import { PURPOSE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, defineRoute, type Route } from '../route.js';
import { checkDeadline } from './deadline-check.js';
import {
  cancelTravelReport,
  changeTravelReport,
  createTravelReport,
  readTravelReport,
} from './travel-report-service.js';

const roles = ROLES_BY_CONCERN.registry;
const json = { kinds: ['json'], limit: 'api', decode: bodyValue } as const;

export const travelReportRoutes: readonly Route[] = [
  defineRoute({
    name: 'checkTravelDeadline',
    method: 'GET',
    path: '/api/v1/travel-deadline',
    part: 'registry',
    roles,
    query: {
      reportedAt: { type: 'instant', required: true },
      departureAt: { type: 'instant', required: true },
      emergency: { type: 'enum', values: ['true', 'false'] },
    },
    produces: ['json'],
    handle({ query }, deps) {
      const { reportedAt, departureAt } = query;
      return Promise.resolve({
        body: checkDeadline(deps, { reportedAt, departureAt, emergency: query.emergency === 'true' }),
      });
    },
  }),
  defineRoute({
    name: 'createTravelReport',
    method: 'POST',
    path: '/api/v1/registrants/:id/travel-reports',
    part: 'registry',
    roles,
    params: { id: {} },
    query: {},
    body: json,
    produces: ['json'],
    async handle({ principal, params, body }, deps) {
      return { status: 201, body: await createTravelReport(deps, principal, params.id, body) };
    },
  }),
  defineRoute({
    name: 'readTravelReport',
    method: 'GET',
    path: '/api/v1/travel-reports/:id',
    part: 'registry',
    roles,
    params: { id: {} },
    query: { purpose: PURPOSE },
    produces: ['json'],
    async handle({ principal, params, query }, deps) {
      return { body: await readTravelReport(deps, principal, params.id, query.purpose) };
    },
  }),
  defineRoute({
    name: 'changeTravelReport',
    method: 'PUT',
    path: '/api/v1/travel-reports/:id',
    part: 'registry',
    roles,
    params: { id: {} },
    query: {},
    body: json,
    produces: ['json'],
    async handle({ principal, params, body }, deps) {
      return { body: await changeTravelReport(deps, principal, params.id, body) };
    },
  }),
  defineRoute({
    name: 'cancelTravelReport',
    method: 'POST',
    path: '/api/v1/travel-reports/:id/cancel',
    part: 'registry',
    roles,
    params: { id: {} },
    query: {},
    body: json,
    produces: ['json'],
    async handle({ principal, params, body }, deps) {
      return { body: await cancelTravelReport(deps, principal, params.id, body) };
    },
  }),
];
