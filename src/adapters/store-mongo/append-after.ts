/**
 * MongoDB's way of writing a change's audit events (port.ts AuditWith): appended to the chain right
 * after the change, in the same call. Not one transaction: the adapter avoids multi-document
 * transactions so that a standalone server works (as its audit chain does, ./audit-repo.ts), so a
 * crash between the two loses those events (docs/audit-trail.md "Known limits"). The events pass the
 * same checks as on SQLite (auditEventsFor).
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
