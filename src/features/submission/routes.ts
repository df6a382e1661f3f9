/** The submission API of national systems: a TravelNotification or a TravelUpdate, JSON or XML. */
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, routesOf, type Reply, type Route } from '../route.js';
import { idempotencyKeyOf, submitMessage, type OutboundType, type SubmitResult } from './submit.js';

/** 202 Accepted with the status URL, for everything that goes out through the submission path. */
export function acceptedReply(result: SubmitResult): Reply {
  return {
    status: 202,
    headers: { Location: result.statusUrl },
    body: { id: result.id, status: result.status, statusUrl: result.statusUrl },
  };
}

/** A TravelNotification or a TravelUpdate: one path each, one way in. */
export const submissionRoutes: readonly Route[] = routesOf('core', ROLES_BY_CONCERN.submit, (route) => {
  const submit = (name: string, path: string, expect: OutboundType): Route =>
    route(name, {
      method: 'POST',
      path,
      body: { kinds: ['json', 'xml'], limit: 'api', decode: bodyValue },
      headers: ['idempotency-key'],
      shed: true,
      async handle({ principal, body, headers }, deps) {
        const idempotencyKey = idempotencyKeyOf(headers['idempotency-key']);
        return acceptedReply(await submitMessage(deps, { principal, idempotencyKey, body, expect }));
      },
    });
  return [
    submit('submitNotification', '/api/v1/notifications', 'TravelNotification'),
    submit('submitUpdate', '/api/v1/updates', 'TravelUpdate'),
  ];
});
