/** Query step: the route's query schema is the only reader of the query string (src/features/query-schema.ts). */
import type { NextFunction, Request, Response } from 'express';
import { readQuery, type QuerySchema } from '../../features/query-schema.js';
import { stateOf } from '../state.js';

export function parseQuery(schema: QuerySchema) {
  return function parseQueryStep(req: Request, res: Response, next: NextFunction): void {
    stateOf(res).query = readQuery(schema, req.query);
    next();
  };
}
