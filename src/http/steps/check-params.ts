/** Path parameter step: a value its pattern refuses names nothing that exists, so it is `not_found`. */
import type { NextFunction, Request, Response } from 'express';
import { TnxError } from '../../core/errors.js';
import type { ParamsSchema } from '../../features/route.js';

export function checkParams(schema: ParamsSchema) {
  const checks = Object.entries(schema).flatMap(([name, p]) => (p.pattern ? [[name, p.pattern] as const] : []));
  return function checkParamsStep(req: Request, _res: Response, next: NextFunction): void {
    for (const [name, pattern] of checks) {
      if (!pattern.test(String(req.params[name] ?? ''))) throw new TnxError('not_found', `no such ${name}`);
    }
    next();
  };
}
