/**
 * The one builder of domain events about an outbound record (submission, delivery, cancellation,
 * recovery): references and outcomes only, never the message's personal data — the audit subscriber
 * checks that (src/domain/audit/check-event.ts).
 */
import type { AuditAction } from '../domain/audit/actions.js';
import type { DomainEvent } from '../domain/audit/event-bus.js';
import type { OutboundRecord } from '../ports/store/index.js';

export function outboundEvent(
  action: AuditAction,
  record: OutboundRecord,
  at: number,
  extra: Record<string, unknown> = {},
  actor = 'system',
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
