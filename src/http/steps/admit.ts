/**
 * Admission control at the door of a submission route (src/features/submission/admission.ts): the
 * first step after the route is named — before authentication and body parsing — so that a refusal
 * costs next to nothing and stores nothing. A refused request gets 503 `overloaded` with Retry-After at
 * once; an admitted one is counted until its response is finished or its connection closes.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from '../../core/metrics.js';
import { TnxError } from '../../core/errors.js';
import type { Admission } from '../../features/submission/admission.js';

export function admit(admission: Admission, metrics: Metrics, retryAfterSeconds: number) {
  return function admitStep(_req: Request, res: Response, next: NextFunction): void {
    const entry = admission.enter();
    if (!entry.ok) {
      metrics.overloaded.inc({ reason: entry.reason });
      res.setHeader('Retry-After', String(retryAfterSeconds));
      // The body is left unread: node discards it after the answer, so the connection stays usable.
      next(
        new TnxError(
          'overloaded',
          entry.reason === 'queue_lag' ? 'the delivery queue is too far behind' : 'too many submissions in progress',
        ),
      );
      return;
    }
    res.once('close', entry.leave);
    next();
  };
}
