/**
 * First middleware of every request: a request id (echoed as X-Request-Id and used as the problem
 * `instance`), a child logger, and one access-log line plus a metric when the response ends. The log
 * line names the route and status only — never the query string (it may carry a purpose text) or body.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../../core/metrics.js';
import { requestId } from '../../core/logger.js';
import type { RequestState } from '../state.js';

/** `hstsMaxAgeSeconds` > 0: HTTPS responses tell browsers and clients to keep to HTTPS (RFC 6797). */
export function requestContext(log: Logger, metrics: Metrics, hstsMaxAgeSeconds = 0) {
  return function requestContextStep(req: Request, res: Response, next: NextFunction): void {
    const state: RequestState = {
      requestId: requestId(req.headers['x-request-id']),
      startedAt: performance.now(),
      route: 'unmatched',
      // Paths no route matched share one label: a scanner's random paths must not grow the metric.
      routePath: 'unmatched',
    };
    (res.locals as { tnx?: RequestState }).tnx = state;
    res.setHeader('X-Request-Id', state.requestId);
    // Responses of the local API carry personal data or audit records: never cache them.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (hstsMaxAgeSeconds > 0 && req.secure) res.setHeader('Strict-Transport-Security', `max-age=${hstsMaxAgeSeconds}`);
    res.on('finish', () => {
      const elapsed = performance.now() - state.startedAt;
      const ms = Math.round(elapsed * 10) / 10;
      metrics.httpRequestSeconds.observe(
        { route: state.routePath, method: req.method, status: String(res.statusCode) },
        elapsed / 1000,
      );
      const fields = {
        reqId: state.requestId,
        route: state.route,
        method: req.method,
        status: res.statusCode,
        ms,
        actor: state.principal?.id,
        code: state.error?.code,
      };
      if (res.statusCode >= 500) log.error(fields, 'request failed');
      else log.info(fields, 'request');
    });
    next();
  };
}
