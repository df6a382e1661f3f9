/** Domain events about an outbound message in delivery: references and outcomes only. */
import type { AuditAction } from '../audit/actions.js';
import type { DomainEvent } from '../events/bus.js';
import type { OutboundRecord } from '../store/port.js';

export function outboundEvent(action: AuditAction, rec: OutboundRecord, at: number, extra: Record<string, unknown>): DomainEvent {
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
