/**
 * The delivery audit view of what we sent (compliance staff, submitters for their own, PoCs), the
 * message itself for our point of contact's manual handling of `no_channel` destinations, and the
 * administrator's resend of a failed delivery.
 */
import type { OutboundRecord } from '../../ports/store/index.js';
import { OUTBOUND_STATES, TIMELINESS_FILTERS } from '../../ports/store/index.js';
import { purposeOf } from '../inbox/read.js';
import { ID_FILTER, PURPOSE, STATE_FILTER, pagedPeriod, type QuerySchema } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { BY_ID, routesOf, type Route } from '../route.js';
import { resendDelivery } from './resend.js';
import { getNotificationView, listNotificationViews, readOutboundMessage } from '../submission/notification-view.js';

const MESSAGE_TYPES: readonly OutboundRecord['messageType'][] = [
  'TravelNotification',
  'TravelUpdate',
  'FollowUpReport',
];

/** Lead-time classes, and `pending` for what is not delivered yet (the console filters by it too). */
export const TIMELINESS_FILTER = TIMELINESS_FILTERS;

/** The delivery list's filters, shared by the API and the console's Deliveries page. */
export const NOTIFICATION_LIST_QUERY = {
  partner: STATE_FILTER,
  state: { type: 'enum', values: OUTBOUND_STATES, list: true },
  type: { type: 'enum', values: MESSAGE_TYPES },
  notificationId: ID_FILTER,
  timeliness: { type: 'enum', values: TIMELINESS_FILTERS },
  ...pagedPeriod(500, 50),
} as const satisfies QuerySchema;

export const deliveryRoutes: readonly Route[] = routesOf('core', ROLES_BY_CONCERN.deliveryView, (route) => [
  route('listNotifications', {
    method: 'GET',
    path: '/api/v1/notifications',
    query: NOTIFICATION_LIST_QUERY,
    async handle({ principal, query }, { ctx }) {
      const page = await listNotificationViews(ctx, principal, query);
      return { body: page, next: page.next };
    },
  }),
  route('getNotification', {
    method: 'GET',
    path: '/api/v1/notifications/:id',
    params: BY_ID,
    async handle({ principal, params }, { ctx }) {
      return { body: await getNotificationView(ctx, principal, params.id) };
    },
  }),
  route('readNotificationMessage', {
    method: 'GET',
    path: '/api/v1/notifications/:id/message',
    roles: ROLES_BY_CONCERN.manualHandling,
    params: BY_ID,
    query: { purpose: PURPOSE },
    async handle({ principal, params, query }, { ctx }) {
      const purpose = purposeOf(query.purpose);
      return { body: await readOutboundMessage(ctx, principal, params.id, purpose) };
    },
  }),
  route('resendNotification', {
    method: 'POST',
    path: '/api/v1/notifications/:id/resend',
    roles: ROLES_BY_CONCERN.resend,
    params: BY_ID,
    async handle({ principal, params }, deps) {
      const r = await resendDelivery(deps, principal, params.id);
      return { status: 202, headers: { Location: r.statusUrl }, body: r };
    },
  }),
]);
