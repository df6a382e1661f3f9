/** The inbox of our points of contact: what partner states sent us, and reporting back on it. */
import { CURSOR, ID, STATE_CODE, PURPOSE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, defineRoute, type Route } from '../route.js';
import { acceptedReply } from '../submission/routes.js';
import { idempotencyKeyOf } from '../submission/submit.js';
import { createFollowUp } from './follow-up.js';
import { listInbox, readInboxMessage } from './read.js';

export const inboxRoutes: readonly Route[] = [
  defineRoute({
    name: 'listInbox',
    method: 'GET',
    path: '/api/v1/inbox',
    part: 'core',
    roles: ROLES_BY_CONCERN.inbox,
    query: {
      iss: { type: 'string', pattern: STATE_CODE, what: 'an ISO 3166-1 alpha-3 code' },
      type: { type: 'enum', values: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] },
      notificationId: { type: 'string', pattern: ID, what: 'an id' },
      from: { type: 'date-or-instant' },
      to: { type: 'date-or-instant' },
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
      cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
    },
    produces: ['json'],
    async handle({ query }, { ctx }) {
      return { body: await listInbox(ctx, query) };
    },
  }),
  defineRoute({
    name: 'readInbox',
    method: 'GET',
    path: '/api/v1/inbox/:id',
    part: 'core',
    roles: ROLES_BY_CONCERN.inbox,
    params: { id: {} },
    query: { purpose: PURPOSE },
    produces: ['json'],
    async handle({ principal, params, query }, { ctx }) {
      return { body: await readInboxMessage(ctx, principal, params.id, query.purpose) };
    },
  }),
  defineRoute({
    name: 'postFollowUp',
    method: 'POST',
    path: '/api/v1/inbox/:id/follow-ups',
    part: 'core',
    roles: ROLES_BY_CONCERN.inbox,
    params: { id: {} },
    query: {},
    body: { kinds: ['json'], limit: 'api', decode: bodyValue },
    headers: ['idempotency-key'],
    produces: ['json'],
    async handle({ principal, params, body, headers }, deps) {
      const key = idempotencyKeyOf(headers['idempotency-key']);
      return acceptedReply(await createFollowUp(deps, principal, params.id, body, key));
    },
  }),
];
