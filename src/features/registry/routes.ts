/**
 * The registry API for registry staff (role `registry`): registrants, searched by blind index, read
 * with a purpose, changed, ended and erased, and loaded in bulk from NDJSON. Served where the registry
 * is configured.
 */
import { PURPOSE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { BY_ID, JSON_BODY, routesOf, type BodyLine, type RequestBody, type Route } from '../route.js';
import { importRegistrants } from './registry-import.js';
import {
  createRegistrant,
  endRegistration,
  eraseRegistrant,
  readRegistrant,
  searchRegistrants,
  updateRegistrant,
} from './registry-service.js';

// One registrant a line, each line at most http.bodyLimitBytes (what one create may send).
const ndjson = {
  kinds: ['ndjson'],
  limit: 'api',
  stream: true,
  decode: (b: RequestBody): AsyncIterable<BodyLine> => b.lines ?? (async function* () {})(),
} as const;
const criterion = { type: 'string', maxLength: 200 } as const;

export const registryRoutes: readonly Route[] = routesOf('registry', ROLES_BY_CONCERN.registry, (route) => [
  route('createRegistrant', {
    method: 'POST',
    path: '/api/v1/registrants',
    body: JSON_BODY,
    async handle({ principal, body }, deps) {
      // A retry with the same externalReference and content answers the registrant already created.
      const summary = await createRegistrant(deps, principal, body);
      return { status: summary.created ? 201 : 200, body: summary };
    },
  }),
  route('importRegistrants', {
    method: 'POST',
    path: '/api/v1/registrants/import',
    body: ndjson,
    handle: async ({ principal, body }, deps) => ({ body: await importRegistrants(deps, principal, body) }),
  }),
  route('searchRegistrants', {
    method: 'GET',
    path: '/api/v1/registrants',
    query: { name: criterion, dateOfBirth: criterion, documentNumber: criterion, purpose: PURPOSE },
    async handle({ principal, query }, deps) {
      return { body: await searchRegistrants(deps, principal, query) };
    },
  }),
  route('readRegistrant', {
    method: 'GET',
    path: '/api/v1/registrants/:id',
    params: BY_ID,
    query: { purpose: PURPOSE },
    handle: async ({ principal, params, query }, deps) => ({
      body: await readRegistrant(deps, principal, params.id, query.purpose),
    }),
  }),
  route('updateRegistrant', {
    method: 'PUT',
    path: '/api/v1/registrants/:id',
    params: BY_ID,
    body: JSON_BODY,
    handle: async ({ principal, params, body }, deps) => ({
      body: await updateRegistrant(deps, principal, params.id, body),
    }),
  }),
  route('eraseRegistrant', {
    method: 'DELETE',
    path: '/api/v1/registrants/:id',
    params: BY_ID,
    handle: async ({ principal, params }, deps) => ({ body: await eraseRegistrant(deps, principal, params.id) }),
  }),
  route('endRegistration', {
    method: 'POST',
    path: '/api/v1/registrants/:id/end',
    params: BY_ID,
    body: JSON_BODY,
    handle: async ({ principal, params, body }, deps) => ({
      body: await endRegistration(deps, principal, params.id, body),
    }),
  }),
]);
