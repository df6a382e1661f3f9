/**
 * Refuse a path whose percent-escapes do not decode (`/api/v1/registrants/x%FF`) before the router
 * tries to decode it: the router's own failure would be an unexpected 500 whose message quotes the raw
 * path into the error log. The refusal names the route the path would have reached (for the access log
 * and the refusal counts), never the path itself.
 */
import type { NextFunction, Request, Response } from 'express';
import { TnxError } from '../../core/errors.js';
import { stateOf } from '../state.js';

export interface NamedPath {
  name: string;
  path: string;
}

function matcher(path: string): RegExp {
  const source = path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function checkPath(routes: readonly NamedPath[]) {
  const table = routes.map((r) => ({ name: r.name, re: matcher(r.path) }));
  return function checkPathStep(req: Request, res: Response, next: NextFunction): void {
    if (!req.path.includes('%') || decodes(req.path)) {
      next();
      return;
    }
    stateOf(res).route = table.find((r) => r.re.test(req.path))?.name ?? 'unmatched';
    next(new TnxError('malformed_path', 'the path has a percent-escape that is not valid UTF-8'));
  };
}
