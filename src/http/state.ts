/**
 * Per-request state, kept in `res.locals.tnx` (typed here) rather than by monkey-patching `req`, so
 * every step reads the same shape: the request id, the authenticated principal, what the body, query
 * and Accept steps made of the request, and the handler's reply.
 */
import type { Response } from 'express';
import type { TnxError } from '../core/errors.js';
import type { Principal } from '../core/principal.js';
import type { Reply, RequestBody, ResponseKind } from '../features/route.js';

export type ParsedBody = RequestBody;

export interface RequestState {
  requestId: string;
  startedAt: number;
  /** Route table entry name, e.g. "submitNotification"; "unmatched" before routing. */
  route: string;
  /** The route table's path template (`/api/v1/notifications/:id`), never the raw path: a metric label. */
  routePath: string;
  principal?: Principal;
  body?: ParsedBody;
  /** The body as the route's decoder turned it into the handler's input. */
  decoded?: unknown;
  /** The query as the route's schema typed it. */
  query?: unknown;
  /** The negotiated response kind. */
  accept?: ResponseKind;
  reply?: Reply;
  /** Set when a refusal was already audited by its handler (the inbox), so it is not audited twice. */
  audited?: boolean;
  error?: TnxError;
}

export function stateOf(res: Response): RequestState {
  const s = (res.locals as { tnx?: RequestState }).tnx;
  if (!s) throw new Error('request state missing: requestContext middleware must run first');
  return s;
}

export function principalOf(res: Response): Principal {
  const p = stateOf(res).principal;
  if (!p) throw new Error('principal missing: authenticate must run before this step');
  return p;
}

export function bodyOf(res: Response): ParsedBody {
  const b = stateOf(res).body;
  if (!b) throw new Error('body missing: parseBody must run before this step');
  return b;
}
