/** The inbox of our points of contact: what partner states sent us, and reporting back on it. */
import { ID_FILTER, PURPOSE, STATE_FILTER, pagedPeriod } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { BY_ID, JSON_BODY, routesOf, type Route } from '../route.js';
import { acceptedReply } from '../submission/routes.js';
import { idempotencyKeyOf } from '../submission/submit.js';
import { createFollowUp } from './follow-up.js';
import { listInbox, readInboxMessage } from './read.js';

export const inboxRoutes: readonly Route[] = routesOf('core', ROLES_BY_CONCERN.inbox, (route) => [
  route('listInbox', {
    method: 'GET',
    path: '/api/v1/inbox',
    query: {
      iss: STATE_FILTER,
      type: { type: 'enum', values: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] },
      notificationId: ID_FILTER,
      ...pagedPeriod(500, 50),
    },
    async handle({ query }, { ctx }) {
      return { body: await listInbox(ctx, query) };
    },
  }),
  route('readInbox', {
    method: 'GET',
    path: '/api/v1/inbox/:id',
    params: BY_ID,
    query: { purpose: PURPOSE },
    async handle({ principal, params, query }, { ctx }) {
      return { body: await readInboxMessage(ctx, principal, params.id, query.purpose) };
    },
  }),
  route('postFollowUp', {
    method: 'POST',
    path: '/api/v1/inbox/:id/follow-ups',
    params: BY_ID,
    body: JSON_BODY,
    headers: ['idempotency-key'],
    async handle({ principal, params, body, headers }, deps) {
      const key = idempotencyKeyOf(headers['idempotency-key']);
      return acceptedReply(await createFollowUp(deps, principal, params.id, body, key));
    },
  }),
]);
