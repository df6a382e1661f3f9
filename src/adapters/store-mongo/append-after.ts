/**
 * MongoDB's way of writing a change's audit events (port.ts AuditWith): appended to the chain right
 * after the change, in the same call. On a replica set the call runs in one transaction
 * (./transactions.ts), so events the checks refuse (auditEventsFor, as on SQLite) or a crash take the
 * change with them; on a standalone server allowed for development the two are separate writes and a
 * crash between them loses the events.
 */
import { auditEventsFor } from '../store-common/audit-extend.js';
import type { AuditEventInput, AuditWith } from '../../ports/store/index.js';

export function appendAfter(append: (events: AuditEventInput[]) => Promise<unknown>) {
  return async <R>(record: R | null, audit: AuditWith<R> | undefined): Promise<R | null> => {
    if (record !== null && audit) {
      const events = auditEventsFor(audit, record);
      if (events.length > 0) await append(events);
    }
    return record;
  };
}
