/**
 * The final error middleware: every error of every route goes through toProblem() and leaves as
 * application/problem+json. Unexpected errors are logged with their cause at error level under the
 * request id; the caller sees only the generic document. Refusals of an authenticated caller are
 * audited one by one (`input.refused`, code only) unless the handler audited them itself; refusals of
 * unauthenticated requests are counted per window (`request.refused`) and charged to the address.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { EventBus } from '../../domain/audit/event-bus.js';
import { TnxError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import { bodyAbandoned } from '../body.js';
import { PROBLEM_MEDIA_TYPE, toProblem } from '../problem.js';
import type { RequestState } from '../state.js';
import type { RefusalCounter } from '../../features/audit-trail/refusal-counter.js';
import type { RefusalLimiter } from '../../ports/refusal-limiter.js';
import { chargeRefusal } from '../steps/limit-refusals.js';

export interface ErrorHandlerDeps {
  log: Logger;
  events: EventBus;
  clock: Clock;
  limiter: RefusalLimiter;
  refusals: RefusalCounter;
}

export function sendProblem(res: Response, err: unknown, log: Logger): void {
  const state = (res.locals as { tnx?: RequestState }).tnx;
  const reqId = state?.requestId ?? 'unknown';
  const problem = toProblem(err, reqId);
  if (state && err instanceof TnxError) state.error = err;
  if (problem.unexpected) log.error({ reqId, route: state?.route, err }, 'unexpected error');
  else if (err instanceof TnxError && err.cause !== undefined)
    log.debug({ reqId, code: err.code, err: err.cause }, 'refusal cause');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (problem.status === 405 && err instanceof TnxError && Array.isArray(err.detail?.allowed)) {
    res.setHeader('Allow', (err.detail.allowed as string[]).join(', '));
  }
  if (problem.status === 503 && err instanceof TnxError && typeof err.detail?.retryAfterSeconds === 'number') {
    res.setHeader('Retry-After', String(err.detail.retryAfterSeconds));
  }
  if (problem.status === 401) {
    // RFC 6750 §3: say how to authenticate; `invalid_token` only when a token was presented.
    const presented = res.req.headers.authorization !== undefined;
    res.setHeader('WWW-Authenticate', presented ? 'Bearer realm="tnx", error="invalid_token"' : 'Bearer realm="tnx"');
  }
  if (problem.status === 413) {
    // Do not reuse this connection. A body drained to its end lets the client read this answer; one
    // abandoned past the drain bound is not read further: the socket goes once the answer is written.
    res.setHeader('Connection', 'close');
    if (bodyAbandoned(res.req)) res.once('finish', () => res.req.socket.destroy());
  }
  res.status(problem.status).type(PROBLEM_MEDIA_TYPE).send(JSON.stringify(problem.body));
}

export function errorHandler(deps: ErrorHandlerDeps) {
  // Express recognises error middleware by its four parameters.
  return async function errorHandlerStep(
    err: unknown,
    req: Request,
    res: Response,
    _next: NextFunction,
  ): Promise<void> {
    const state = (res.locals as { tnx?: RequestState }).tnx;
    if (err instanceof TnxError && err.status < 500 && state && !state.audited) {
      const inbox = req.path.startsWith('/tnx/');
      const kind = inbox ? 'message' : req.path.startsWith('/api/') ? 'input' : 'other';
      if (!state.principal) {
        // Nobody vouches for this request: count it (one audit event per window) and charge its
        // address, so a flood costs the sender its budget and the trail a handful of rows.
        deps.refusals.add({ kind, route: state.route, code: err.code, status: err.status });
        if (err.code !== 'rate_limited') await chargeRefusal(deps.limiter, req, deps.log);
      } else if (kind !== 'other' && state.route !== 'unmatched') {
        // An authenticated caller's refusal is accountable: recorded one by one, code only.
        try {
          await deps.events.publish({
            action: inbox ? 'message.refused' : 'input.refused',
            actor: state.principal.id,
            at: deps.clock.now(),
            outcome: err.code,
            detail: { route: state.route, status: err.status },
          });
        } catch (auditErr) {
          deps.log.error({ reqId: state.requestId, err: auditErr }, 'could not audit a refusal');
        }
      }
    }
    sendProblem(res, err, deps.log);
  };
}
