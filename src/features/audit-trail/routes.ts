/** The audit trail for compliance staff: filtered, cursor-paginated, JSON or CSV. */
import { CURSOR, ID, STATE_CODE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { defineRoute, type Route } from '../route.js';
import { auditCsv, queryAudit } from './audit-query.js';

export const auditTrailRoutes: readonly Route[] = [
  defineRoute({
    name: 'queryAudit',
    method: 'GET',
    path: '/api/v1/audit',
    part: 'core',
    roles: ROLES_BY_CONCERN.audit,
    query: {
      messageId: { type: 'string', pattern: ID, what: 'an id' },
      partner: { type: 'string', pattern: STATE_CODE, what: 'an ISO 3166-1 alpha-3 code' },
      action: {
        type: 'string',
        pattern: /^[a-z_]{1,40}\.[a-z_]{1,40}$/,
        what: 'an action name like notification.delivered',
      },
      actor: { type: 'string', pattern: /^[A-Za-z0-9._:@-]{1,128}$/, what: 'a token id, "system" or a state code' },
      from: { type: 'date-or-instant' },
      to: { type: 'date-or-instant' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
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
];
