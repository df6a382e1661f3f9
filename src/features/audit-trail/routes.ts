/** The audit trail for compliance staff: filtered, cursor-paginated, JSON or CSV. */
import { ID_FILTER, STATE_FILTER, pagedPeriod } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { routesOf, type Route } from '../route.js';
import { auditCsv, queryAudit } from './audit-query.js';

export const auditTrailRoutes: readonly Route[] = routesOf('core', ROLES_BY_CONCERN.audit, (route) => [
  route('queryAudit', {
    method: 'GET',
    path: '/api/v1/audit',
    query: {
      messageId: ID_FILTER,
      partner: STATE_FILTER,
      action: {
        type: 'string',
        pattern: /^[a-z_]{1,40}\.[a-z_]{1,40}$/,
        what: 'an action name like notification.delivered',
      },
      actor: { type: 'string', pattern: /^[A-Za-z0-9._:@-]{1,128}$/, what: 'a token id, "system" or a state code' },
      ...pagedPeriod(1000, 100),
    },
    produces: ['json', 'csv'],
    async handle({ principal, query, accept }, { ctx }) {
      const page = await queryAudit(ctx, principal, query);
      if (accept === 'json') return { body: page, next: page.next };
      // A CSV body has no room for the cursor: it travels in a header as well as in the Link.
      const headers: Record<string, string> = page.next ? { 'X-Next-Cursor': page.next } : {};
      return { kind: 'csv', body: auditCsv(page.items), headers, next: page.next };
    },
  }),
]);
