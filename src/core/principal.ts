/**
 * Who is calling: the authenticated principal every service takes, whether the caller came through a
 * bearer token, an OAuth access token or (later) a console session. Services check roles with
 * `requireRoleOf`, so a rule holds the same whichever door the request came through.
 */
import { TnxError } from './errors.js';

export type Role = 'submitter' | 'poc' | 'auditor' | 'admin' | 'registry' | 'screening';
export const ROLES: readonly Role[] = ['submitter', 'poc', 'auditor', 'admin', 'registry', 'screening'];

export interface Principal {
  /** Token id from config: the `actor` of audit events. */
  readonly id: string;
  readonly role: Role;
}

export function requireRoleOf(principal: Principal, roles: readonly Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new TnxError('forbidden', `this endpoint admits the roles: ${roles.join(', ')}`, {
      detail: { allowed: roles },
    });
  }
}
