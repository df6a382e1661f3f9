/**
 * The registry API for registry staff (role `registry`): registrants, searched by blind index, read
 * with a purpose, changed, ended and erased. Served where the registry is configured.
 */
import { PURPOSE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, defineRoute, type BodyLine, type RequestBody, type Route } from '../route.js';
import { importRegistrants } from './registry-import.js';
import {
  createRegistrant,
  endRegistration,
  eraseRegistrant,
  readRegistrant,
  searchRegistrants,
  updateRegistrant,
} from './registry-service.js';

const roles = ROLES_BY_CONCERN.registry;
const json = { kinds: ['json'], limit: 'api', decode: bodyValue } as const;
// One registrant a line, each line at most http.bodyLimitBytes (what one create may send).
const ndjson = {
  kinds: ['ndjson'],
  limit: 'api',
  stream: true,
  decode: (b: RequestBody): AsyncIterable<BodyLine> => b.lines ?? (async function* () {})(),
} as const;
const criterion = { type: 'string', maxLength: 200 } as const;

export const registryRoutes: readonly Route[] = [
  defineRoute({
    name: 'createRegistrant',
    method: 'POST',
    path: '/api/v1/registrants',
    part: 'registry',
    roles,
    query: {},
    body: json,
    produces: ['json'],
    async handle({ principal, body }, deps) {
      const summary = await createRegistrant(deps, principal, body);
      return { status: summary.created ? 201 : 200, body: summary };
    },
  }),
  defineRoute({
    name: 'importRegistrants',
    method: 'POST',
    path: '/api/v1/registrants/import',
    part: 'registry',
    roles,
    query: {},
    body: ndjson,
    produces: ['json'],
    async handle({ principal, body }, deps) {
      return { body: await importRegistrants(deps, principal, body) };
    },
  }),
  defineRoute({
    name: 'searchRegistrants',
    method: 'GET',
    path: '/api/v1/registrants',
    part: 'registry',
    roles,
    query: { name: criterion, dateOfBirth: criterion, documentNumber: criterion, purpose: PURPOSE },
    produces: ['json'],
    async handle({ principal, query }, deps) {
      return { body: await searchRegistrants(deps, principal, query) };
    },
  }),
  defineRoute({
    name: 'readRegistrant',
    method: 'GET',
    path: '/api/v1/registrants/:id',
    part: 'registry',
    roles,
    params: { id: {} },
    query: { purpose: PURPOSE },
    produces: ['json'],
    async handle({ principal, params, query }, deps) {
      return { body: await readRegistrant(deps, principal, params.id, query.purpose) };
    },
  }),
  defineRoute({
    name: 'updateRegistrant',
    method: 'PUT',
    path: '/api/v1/registrants/:id',
    part: 'registry',
    roles,
    params: { id: {} },
    query: {},
    body: json,
    produces: ['json'],
    async handle({ principal, params, body }, deps) {
      return { body: await updateRegistrant(deps, principal, params.id, body) };
    },
  }),
  defineRoute({
    name: 'eraseRegistrant',
    method: 'DELETE',
    path: '/api/v1/registrants/:id',
    part: 'registry',
    roles,
    params: { id: {} },
    query: {},
    produces: ['json'],
    async handle({ principal, params }, deps) {
      return { body: await eraseRegistrant(deps, principal, params.id) };
    },
  }),
  defineRoute({
    name: 'endRegistration',
    method: 'POST',
    path: '/api/v1/registrants/:id/end',
    part: 'registry',
    roles,
    params: { id: {} },
    query: {},
    body: json,
    produces: ['json'],
    async handle({ principal, params, body }, deps) {
      return { body: await endRegistration(deps, principal, params.id, body) };
    },
  }),
];
