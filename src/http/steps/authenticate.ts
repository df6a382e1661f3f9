/** Authentication and role checks: the first steps of every protected route. */
import type { NextFunction, Request, Response } from 'express';
import { requireRoleOf, type Role } from '../../core/principal.js';
import type { Authenticator } from '../auth/authenticator.js';
import { stateOf } from '../state.js';

export function authenticate(auth: Authenticator) {
  return async function authenticateStep(req: Request, res: Response, next: NextFunction): Promise<void> {
    stateOf(res).principal = await auth.authenticate(req.headers.authorization);
    next();
  };
}

export function requireRole(roles: readonly Role[]) {
  return function requireRoleStep(_req: Request, res: Response, next: NextFunction): void {
    const p = stateOf(res).principal;
    if (!p) throw new Error('requireRole without authenticate');
    requireRoleOf(p, roles);
    next();
  };
}
