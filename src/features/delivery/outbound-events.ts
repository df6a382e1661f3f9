/** Domain events about an outbound message in delivery: references and outcomes only. */
import type { AuditAction } from '../../domain/audit/actions.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import type { OutboundRecord } from '../../ports/store/index.js';

export function outboundEvent(
  action: AuditAction,
  rec: OutboundRecord,
  at: number,
  extra: Record<string, unknown>,
): DomainEvent {
  return {
    action,
    actor: 'system',
    at,
    messageId: rec.id,
    partner: rec.partner,
    outcome: rec.state,
    detail: { messageType: rec.messageType, notificationId: rec.notificationId, ...extra },
  };
}
