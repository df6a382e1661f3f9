/**
 * THE route table. Each endpoint is an ordered list of small named steps — authenticate, requireRole,
 * parseBody, handle — so a stack trace reads like the protocol (node-oidc-provider
 * lib/helpers/initialize_app.js). `roles: null` marks the two wire endpoints and the probes, which
 * take no bearer token: the inbox is authenticated by the envelope's signature (and mTLS when
 * configured), the JWKS and probes are public.
 */
import type { RequestHandler } from 'express';
import type { Role } from '../config/schema.js';
import { getNotification, listNotifications, queryAuditTrail, readNotificationMessage } from './handlers/queries.js';
import { healthz, metrics, readyz } from './handlers/health.js';
import { listInboxMessages, postFollowUp, readInbox } from './handlers/inbox.js';
import { submit } from './handlers/submissions.js';
import { checkClientCertificate, receiveEnvelope, serveJwks } from './handlers/wire.js';
import type { HttpDeps } from './handlers/deps.js';
import { parseBody } from './middleware/parse-body.js';

export interface Route {
  /** Stable name: log field, metric label, audit detail. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express path pattern. */
  path: string;
  /** Roles admitted; null = no bearer token (wire and probe endpoints). */
  roles: readonly Role[] | null;
  steps: RequestHandler[];
}

/** Roles per concern, named once so the table and the tests read the same list. */
export const ROLE_SETS = {
  submit: ['submitter'],
  deliveryView: ['auditor', 'admin', 'submitter', 'poc'],
  audit: ['auditor', 'admin'],
  inbox: ['poc'],
  /** Our PoC reads an outbound message to pass it on by hand (no_channel destinations). */
  manualHandling: ['poc'],
} as const satisfies Record<string, readonly Role[]>;

export function routeTable(deps: HttpDeps): Route[] {
  const { config } = deps.ctx;
  const apiBody = { limit: config.http.bodyLimitBytes };
  return [
    // ---- TNX/1 wire ----------------------------------------------------------------------------------
    {
      name: 'receiveMessage',
      method: 'POST',
      path: '/tnx/v1/messages',
      roles: null,
      steps: [
        checkClientCertificate(deps),
        parseBody({ kinds: ['jose'], limit: config.protocol.maxMessageBytes }),
        receiveEnvelope(deps),
      ],
    },
    { name: 'jwks', method: 'GET', path: '/.well-known/jwks.json', roles: null, steps: [serveJwks(deps)] },

    // ---- submission API (national systems) ------------------------------------------------------------
    {
      name: 'submitNotification',
      method: 'POST',
      path: '/api/v1/notifications',
      roles: ROLE_SETS.submit,
      steps: [parseBody({ kinds: ['json', 'xml'], ...apiBody }), submit(deps, 'TravelNotification')],
    },
    {
      name: 'submitUpdate',
      method: 'POST',
      path: '/api/v1/updates',
      roles: ROLE_SETS.submit,
      steps: [parseBody({ kinds: ['json', 'xml'], ...apiBody }), submit(deps, 'TravelUpdate')],
    },

    // ---- delivery audit view and audit trail -----------------------------------------------------------
    {
      name: 'listNotifications',
      method: 'GET',
      path: '/api/v1/notifications',
      roles: ROLE_SETS.deliveryView,
      steps: [listNotifications(deps)],
    },
    {
      name: 'getNotification',
      method: 'GET',
      path: '/api/v1/notifications/:id',
      roles: ROLE_SETS.deliveryView,
      steps: [getNotification(deps)],
    },
    {
      name: 'readNotificationMessage',
      method: 'GET',
      path: '/api/v1/notifications/:id/message',
      roles: ROLE_SETS.manualHandling,
      steps: [readNotificationMessage(deps)],
    },
    {
      name: 'queryAudit',
      method: 'GET',
      path: '/api/v1/audit',
      roles: ROLE_SETS.audit,
      steps: [queryAuditTrail(deps)],
    },

    // ---- inbox (points of contact) ---------------------------------------------------------------------
    {
      name: 'listInbox',
      method: 'GET',
      path: '/api/v1/inbox',
      roles: ROLE_SETS.inbox,
      steps: [listInboxMessages(deps)],
    },
    { name: 'readInbox', method: 'GET', path: '/api/v1/inbox/:id', roles: ROLE_SETS.inbox, steps: [readInbox(deps)] },
    {
      name: 'postFollowUp',
      method: 'POST',
      path: '/api/v1/inbox/:id/follow-ups',
      roles: ROLE_SETS.inbox,
      steps: [parseBody({ kinds: ['json'], ...apiBody }), postFollowUp(deps)],
    },

    // ---- operations -------------------------------------------------------------------------------------
    { name: 'healthz', method: 'GET', path: '/healthz', roles: null, steps: [healthz()] },
    { name: 'readyz', method: 'GET', path: '/readyz', roles: null, steps: [readyz(deps)] },
    { name: 'metrics', method: 'GET', path: '/metrics', roles: null, steps: [metrics(deps)] },
  ];
}
