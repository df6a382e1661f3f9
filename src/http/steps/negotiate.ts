/**
 * Accept negotiation, for routes that offer several response kinds: no Accept header means the first
 * (JSON); anything the route cannot produce is 406 rather than a surprise format.
 */
import type { NextFunction, Request, Response } from 'express';
import { TnxError } from '../../core/errors.js';
import type { ResponseKind } from '../../features/route.js';
import { stateOf } from '../state.js';

export const RESPONSE_MEDIA_TYPES: Record<ResponseKind, string> = {
  json: 'application/json',
  csv: 'text/csv',
  xml: 'application/xml',
};

export function negotiate(produces: readonly ResponseKind[]) {
  const types = produces.map((k) => RESPONSE_MEDIA_TYPES[k]);
  return function negotiateStep(req: Request, res: Response, next: NextFunction): void {
    const chosen = req.headers.accept === undefined ? types[0] : req.accepts(types);
    const kind = produces.find((k) => RESPONSE_MEDIA_TYPES[k] === chosen);
    if (!kind)
      throw new TnxError('not_acceptable', `this endpoint produces ${types.join(' or ')}`, {
        detail: { allowed: types },
      });
    stateOf(res).accept = kind;
    next();
  };
}
