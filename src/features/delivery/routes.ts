/**
 * The delivery audit view of what we sent (compliance staff, submitters for their own, PoCs), the
 * message itself for our point of contact's manual handling of `no_channel` destinations, and the
 * administrator's resend of a failed delivery.
 */
import type { OutboundRecord } from '../../ports/store/index.js';
import { OUTBOUND_STATES } from '../../ports/store/index.js';
import { purposeOf } from '../inbox/read.js';
import { CURSOR, ID, STATE_CODE, PURPOSE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { defineRoute, type Route } from '../route.js';
import { resendDelivery } from './resend.js';
import { getNotificationView, listNotificationViews, readOutboundMessage } from '../submission/notification-view.js';

const MESSAGE_TYPES: readonly OutboundRecord['messageType'][] = [
  'TravelNotification',
  'TravelUpdate',
  'FollowUpReport',
];

export const deliveryRoutes: readonly Route[] = [
  defineRoute({
    name: 'listNotifications',
    method: 'GET',
    path: '/api/v1/notifications',
    part: 'core',
    roles: ROLES_BY_CONCERN.deliveryView,
    query: {
      partner: { type: 'string', pattern: STATE_CODE, what: 'an ISO 3166-1 alpha-3 code' },
      state: { type: 'enum', values: OUTBOUND_STATES, list: true },
      type: { type: 'enum', values: MESSAGE_TYPES },
      notificationId: { type: 'string', pattern: ID, what: 'an id' },
      from: { type: 'instant' },
      to: { type: 'instant' },
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
      cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
    },
    produces: ['json'],
    async handle({ principal, query }, { ctx }) {
      const page = await listNotificationViews(ctx, principal, query);
      return { body: page, next: page.next };
    },
  }),
  defineRoute({
    name: 'getNotification',
    method: 'GET',
    path: '/api/v1/notifications/:id',
    part: 'core',
    roles: ROLES_BY_CONCERN.deliveryView,
    params: { id: {} },
    query: {},
    produces: ['json'],
    async handle({ principal, params }, { ctx }) {
      return { body: await getNotificationView(ctx, principal, params.id) };
    },
  }),
  defineRoute({
    name: 'readNotificationMessage',
    method: 'GET',
    path: '/api/v1/notifications/:id/message',
    part: 'core',
    roles: ROLES_BY_CONCERN.manualHandling,
    params: { id: {} },
    query: { purpose: PURPOSE },
    produces: ['json'],
    async handle({ principal, params, query }, { ctx }) {
      const purpose = purposeOf(query.purpose);
      return { body: await readOutboundMessage(ctx, principal, params.id, purpose) };
    },
  }),
  defineRoute({
    name: 'resendNotification',
    method: 'POST',
    path: '/api/v1/notifications/:id/resend',
    part: 'core',
    roles: ROLES_BY_CONCERN.resend,
    params: { id: {} },
    query: {},
    produces: ['json'],
    async handle({ principal, params }, deps) {
      const r = await resendDelivery(deps, principal, params.id);
      return { status: 202, headers: { Location: r.statusUrl }, body: r };
    },
  }),
];
