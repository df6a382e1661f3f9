/** The submission API of national systems: a TravelNotification or a TravelUpdate, JSON or XML. */
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, defineRoute, type Reply, type Route } from '../route.js';
import { idempotencyKeyOf, submitMessage, type OutboundType, type SubmitResult } from './submit.js';

/** 202 Accepted with the status URL, for everything that goes out through the submission path. */
export function acceptedReply(result: SubmitResult): Reply {
  return {
    status: 202,
    headers: { Location: result.statusUrl },
    body: { id: result.id, status: result.status, statusUrl: result.statusUrl },
  };
}

function submitRoute(name: string, path: string, expect: OutboundType): Route {
  return defineRoute({
    name,
    method: 'POST',
    path,
    part: 'core',
    roles: ROLES_BY_CONCERN.submit,
    query: {},
    body: { kinds: ['json', 'xml'], limit: 'api', decode: bodyValue },
    headers: ['idempotency-key'],
    produces: ['json'],
    shed: true,
    async handle({ principal, body, headers }, deps) {
      const idempotencyKey = idempotencyKeyOf(headers['idempotency-key']);
      return acceptedReply(await submitMessage(deps, { principal, idempotencyKey, body, expect }));
    },
  });
}

export const submissionRoutes: readonly Route[] = [
  submitRoute('submitNotification', '/api/v1/notifications', 'TravelNotification'),
  submitRoute('submitUpdate', '/api/v1/updates', 'TravelUpdate'),
];
