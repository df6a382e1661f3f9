/**
 * Chain extension shared by both adapters: given the current head and the new inputs, the events to
 * store. The adapter's job is only to make "read head → insert these" atomic against other
 * appenders (SQLite: one BEGIN IMMEDIATE transaction; MongoDB: unique seq + head compare-and-set).
 */
import { uuid7 } from '../../core/uuid7.js';
import { tnxError } from '../../core/errors.js';
import { GENESIS_HASH, canonicalJson, chainHash } from '../../domain/audit/chain.js';
import { checkAuditEvent } from '../../domain/audit/check-event.js';
import { checkAuditFields } from './check-input.js';
import { MAX_APPEND_BATCH, type AuditEvent, type AuditEventInput, type AuditWith } from '../../ports/store/index.js';

/** Refuse a bad batch before any lock is taken; returns the inputs with absent fields as null. */
export function checkAuditBatch(events: AuditEventInput[]): Required<AuditEventInput>[] {
  if (!Array.isArray(events) || events.length > MAX_APPEND_BATCH) {
    throw tnxError('invalid_request', `append takes an array of at most ${MAX_APPEND_BATCH} events`, {
      pointer: 'events',
    });
  }
  return events.map((e, i) => {
    checkAuditFields(e, `events/${i}`);
    const detail = e.detail ?? null;
    if (detail !== null) canonicalJson(detail, `/events/${i}/detail`); // refuses non-JSON values now
    return {
      action: e.action,
      actor: e.actor,
      at: e.at,
      messageId: e.messageId ?? null,
      partner: e.partner ?? null,
      outcome: e.outcome ?? null,
      detail,
    };
  });
}

export function extendChain(
  head: { seq: number; hash: string } | null,
  inputs: Required<AuditEventInput>[],
  newId: () => string = uuid7,
): AuditEvent[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return inputs.map((input) => {
    seq += 1;
    const fields = { seq, id: newId(), ...input };
    const hash = chainHash(prevHash, fields);
    const ev: AuditEvent = { ...fields, prevHash, hash };
    prevHash = hash;
    return ev;
  });
}

/**
 * The events an `audit` argument gives for `record` (port.ts AuditWith), through the same checks a
 * published event passes (src/features/audit-trail/subscriber.ts) and the batch checks of an append.
 */
export function auditEventsFor<R>(audit: AuditWith<R>, record: R): Required<AuditEventInput>[] {
  const events = audit(record);
  for (const e of events) checkAuditEvent(e);
  return checkAuditBatch(events);
}
