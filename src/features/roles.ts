/**
 * Who may call what: the one role map of the local API, per concern, named once so the route table,
 * the OpenAPI document (`x-tnx-roles`) and the tests read the same lists.
 */
import type { Role } from '../core/principal.js';

export const ROLES_BY_CONCERN = {
  submit: ['submitter'],
  deliveryView: ['auditor', 'admin', 'submitter', 'poc'],
  audit: ['auditor', 'admin'],
  inbox: ['poc'],
  /** Our PoC reads an outbound message to pass it on by hand (no_channel destinations). */
  manualHandling: ['poc'],
  /** Sending a failed delivery again. */
  resend: ['admin'],
  registry: ['registry'],
  directoryRead: ['admin', 'poc', 'auditor'],
  directoryChange: ['admin'],
  stats: ['auditor', 'admin'],
  screening: ['screening'],
  cases: ['screening', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
