/**
 * The delivery audit view of what we sent (compliance staff, submitters for their own, PoCs), and the
 * message itself for our point of contact's manual handling of `no_channel` destinations.
 */
import type { OutboundRecord } from '../../ports/store/index.js';
import { OUTBOUND_STATES } from '../../ports/store/index.js';
import { purposeOf } from '../inbox/read.js';
import { CURSOR, ID, STATE_CODE, PURPOSE, type QuerySchema } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { defineRoute, type Route } from '../route.js';
import { getNotificationView, listNotificationViews, readOutboundMessage } from '../submission/notification-view.js';

const MESSAGE_TYPES: readonly OutboundRecord['messageType'][] = [
  'TravelNotification',
  'TravelUpdate',
  'FollowUpReport',
];

/** Lead-time classes, and `pending` for what is not delivered yet (the console filters by it too). */
export const TIMELINESS_FILTER = ['on_time', 'late', 'after_departure', 'pending'] as const;

/** The delivery list's filters, shared by the API and the console's Deliveries page. */
export const NOTIFICATION_LIST_QUERY = {
  partner: { type: 'string', pattern: STATE_CODE, what: 'an ISO 3166-1 alpha-3 code' },
  state: { type: 'enum', values: OUTBOUND_STATES, list: true },
  type: { type: 'enum', values: MESSAGE_TYPES },
  notificationId: { type: 'string', pattern: ID, what: 'an id' },
  timeliness: { type: 'enum', values: TIMELINESS_FILTER },
  from: { type: 'instant' },
  to: { type: 'instant' },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
} as const satisfies QuerySchema;

export const deliveryRoutes: readonly Route[] = [
  defineRoute({
    name: 'listNotifications',
    method: 'GET',
    path: '/api/v1/notifications',
    part: 'core',
    roles: ROLES_BY_CONCERN.deliveryView,
    query: NOTIFICATION_LIST_QUERY,
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
];
