/**
 * Alerts: a notification that failed for good, or that is at risk (no receipt `atRiskLeadHours` before
 * departure). Each alert is, at once:
 *   - a pino line at error level (ids, partner, state, reason — no personal data),
 *   - tnx_alerts_total{kind},
 *   - an audit event (notification.failed / notification.at_risk) — for `failed` this IS the event of
 *     the transition to `failed`, so the trail holds one event per fact,
 *   - when delivery.alertWebhookUrl is set, a JSON POST to the origin's point of contact, queued on
 *     the one webhook path (src/ports/webhook.ts, ./alert-webhook.ts) with the key kind + message id,
 *     so an alert raised twice (two processes, a re-run job) is posted once.
 */
import { isoTime, isoTimeOrNull } from '../../core/clock.js';
import type { GatewayContext } from '../../ports/context.js';
import type { Webhooks } from '../../ports/webhook.js';
import type { OutboundRecord } from '../../ports/store/index.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';

export type AlertKind = 'failed' | 'at_risk';

/** The webhook channel of alerts. */
export const ALERT_CHANNEL = 'tnx-alerts';

/**
 * The webhook body of a network-directory alert (src/features/directory/directory-alerts.ts): the
 * directory is stale or expired, a document was refused, or our own keys are not listed. On the same
 * channel as message alerts, so one webhook worker posts both and a receiver tells them by `kind`.
 */
export interface DirectoryAlertPayload {
  type: 'tnx.alert';
  kind: 'directory';
  /** `stale`, `expired`, `refused`, `own_keys_missing`. */
  reason: string;
  /** Our own state. */
  state: string;
  /** Serial of the directory held when the alert was raised (null: none held). */
  serial: number | null;
  /** For `refused`: the error code of the refusal; for `own_keys_missing`: the kids. */
  detail: Record<string, unknown>;
  raisedAt: string;
}

/** The webhook body: references only. */
export interface AlertPayload {
  type: 'tnx.alert';
  kind: AlertKind;
  messageId: string;
  notificationId: string;
  messageType: OutboundRecord['messageType'];
  partner: string;
  /** Our own state (the origin). */
  state: string;
  /** Lifecycle state of the message when the alert was raised. */
  deliveryState: OutboundRecord['state'];
  departureAt: string | null;
  reason: string;
  attempts: number;
  raisedAt: string;
}

export function alertPayload(
  kind: AlertKind,
  rec: OutboundRecord,
  reason: string,
  ownState: string,
  now: number,
): AlertPayload {
  return {
    type: 'tnx.alert',
    kind,
    messageId: rec.id,
    notificationId: rec.notificationId,
    messageType: rec.messageType,
    partner: rec.partner,
    state: ownState,
    deliveryState: rec.state,
    departureAt: isoTimeOrNull(rec.departureAt),
    reason,
    attempts: rec.attempts,
    raisedAt: isoTime(now),
  };
}

/** The audit event of an alert: `notification.failed` or `notification.at_risk`, for the change that raised it. */
export function alertEvent(
  kind: AlertKind,
  rec: OutboundRecord,
  reason: string,
  at: number,
  detail: Record<string, unknown> = {},
): DomainEvent {
  return {
    action: kind === 'failed' ? 'notification.failed' : 'notification.at_risk',
    actor: 'system',
    at,
    messageId: rec.id,
    partner: rec.partner,
    outcome: reason,
    detail: {
      notificationId: rec.notificationId,
      messageType: rec.messageType,
      attempts: rec.attempts,
      alert: true,
      ...detail,
    },
  };
}

export class Alerts {
  constructor(
    private readonly ctx: GatewayContext,
    /** Where the webhook is queued; null when delivery.alertWebhookUrl is not set. */
    private readonly webhooks: Webhooks | null,
  ) {}

  /**
   * Raise an alert for `rec` (already in its new state). Its audit event is `alertEvent(...)`, written
   * WITH the change that raised the alert (the `failed` transition, the at-risk claim) so that the two
   * cannot part (store port AuditWith); `raise` does the rest: log line, metric, webhook.
   */
  async raise(kind: AlertKind, rec: OutboundRecord, reason: string): Promise<void> {
    const { ctx } = this;
    const now = ctx.clock.now();
    const payload = alertPayload(kind, rec, reason, ctx.config.state, now);
    ctx.log.error(
      {
        alert: kind,
        messageId: rec.id,
        notificationId: rec.notificationId,
        messageType: rec.messageType,
        partner: rec.partner,
        deliveryState: rec.state,
        failure: reason,
        attempts: rec.attempts,
      },
      kind === 'failed' ? 'delivery failed: alert raised' : 'delivery at risk: no receipt yet, alert raised',
    );
    ctx.metrics.alerts.inc({ kind });
    if (this.webhooks && ctx.config.delivery.alertWebhookUrl)
      await this.webhooks.enqueue(ALERT_CHANNEL, `alert-${kind}-${rec.id}`, payload);
  }
}
