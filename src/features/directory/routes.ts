/** The directory of partner states: read by admins, points of contact and auditors; changed by admins. */
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, defineRoute, type Route } from '../route.js';
import { changePartner, describeDirectory, describeNetworkDirectory } from './directory-service.js';

export const directoryRoutes: readonly Route[] = [
  defineRoute({
    name: 'readDirectory',
    method: 'GET',
    path: '/api/v1/directory',
    part: 'core',
    roles: ROLES_BY_CONCERN.directoryRead,
    query: {},
    produces: ['json'],
    async handle(_input, { ctx }) {
      return { body: describeDirectory(ctx) };
    },
  }),
  defineRoute({
    name: 'readNetworkDirectory',
    method: 'GET',
    path: '/api/v1/directory/network',
    part: 'core',
    roles: ROLES_BY_CONCERN.directoryChange,
    query: {},
    produces: ['json'],
    async handle(_input, { ctx }) {
      return { body: describeNetworkDirectory(ctx) };
    },
  }),
  defineRoute({
    name: 'changeDirectoryPartner',
    method: 'PATCH',
    path: '/api/v1/directory/:state',
    part: 'core',
    roles: ROLES_BY_CONCERN.directoryChange,
    params: { state: {} },
    query: {},
    body: { kinds: ['json'], limit: 'api', decode: bodyValue },
    produces: ['json'],
    async handle({ principal, params, body }, { ctx }) {
      return { body: await changePartner(ctx, principal, params.state, body) };
    },
  }),
];
