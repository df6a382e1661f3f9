/** Domain events about outbound records: references and outcomes only (the audit subscriber checks). */
import type { AuditAction } from '../../domain/audit/actions.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import type { OutboundRecord } from '../../ports/store/index.js';

export function outboundEvent(
  action: AuditAction,
  record: OutboundRecord,
  actor: string,
  at: number,
  extra: Record<string, unknown> = {},
): DomainEvent {
  return {
    action,
    actor,
    at,
    messageId: record.id,
    partner: record.partner,
    outcome: record.state,
    detail: { messageType: record.messageType, notificationId: record.notificationId, ...extra },
  };
}
