/** The directory of partner states: read by admins, points of contact and auditors; changed by admins. */
import { ROLES_BY_CONCERN } from '../roles.js';
import { JSON_BODY, routesOf, type Route } from '../route.js';
import { changePartner, describeDirectory, describeNetworkDirectory } from './directory-service.js';

export const directoryRoutes: readonly Route[] = routesOf('core', ROLES_BY_CONCERN.directoryChange, (route) => [
  route('readDirectory', {
    method: 'GET',
    path: '/api/v1/directory',
    roles: ROLES_BY_CONCERN.directoryRead,
    async handle(_input, { ctx }) {
      return { body: describeDirectory(ctx) };
    },
  }),
  route('readNetworkDirectory', {
    method: 'GET',
    path: '/api/v1/directory/network',
    async handle(_input, { ctx }) {
      return { body: describeNetworkDirectory(ctx) };
    },
  }),
  route('changeDirectoryPartner', {
    method: 'PATCH',
    path: '/api/v1/directory/:state',
    params: { state: {} },
    body: JSON_BODY,
    async handle({ principal, params, body }, { ctx }) {
      return { body: await changePartner(ctx, principal, params.state, body) };
    },
  }),
]);
