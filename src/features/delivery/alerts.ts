/**
 * Alerts: a notification that failed for good, or that is at risk (no receipt `atRiskLeadHours` before
 * departure). Each alert is, at once:
 *   - a pino line at error level (ids, partner, state, reason — no personal data),
 *   - tnx_alerts_total{kind},
 *   - an audit event (notification.failed / notification.at_risk) — for `failed` this IS the event of
 *     the transition to `failed`, so the trail holds one event per fact,
 *   - when delivery.alertWebhookUrl is set, a JSON POST to the origin's point of contact, retried
 *     through the same BullMQ infrastructure (./alert-webhook.ts). jobId = kind + message id, so an
 *     alert raised twice (two processes, a re-run job) is posted once.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundRecord } from '../../ports/store/index.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import { fullJitterDelay } from '../../domain/delivery/retry-policy.js';

export type AlertKind = 'failed' | 'at_risk';

export const ALERT_QUEUE_NAME = 'tnx-alerts';

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
    departureAt: rec.departureAt === null ? null : new Date(rec.departureAt).toISOString(),
    reason,
    attempts: rec.attempts,
    raisedAt: new Date(now).toISOString(),
  };
}

/** Webhook retries: BullMQ attempts with the same full-jitter maths as deliveries. */
export const ALERT_WEBHOOK_ATTEMPTS = 12;

export function alertBackoff(baseMs: number, capMs: number): (attemptsMade: number) => number {
  return (attemptsMade) => Math.max(1, fullJitterDelay(attemptsMade, { baseMs, capMs }));
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
  readonly #queue: Queue<AlertPayload> | null;

  constructor(
    private readonly ctx: GatewayContext,
    connection: Redis,
    prefix: string,
  ) {
    this.#queue = ctx.config.delivery.alertWebhookUrl
      ? new Queue<AlertPayload>(ALERT_QUEUE_NAME, {
          connection,
          prefix,
          defaultJobOptions: {
            attempts: ALERT_WEBHOOK_ATTEMPTS,
            backoff: { type: 'tnx-full-jitter' },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        })
      : null;
  }

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
    if (this.#queue) {
      await this.#queue.add(kind, payload, { jobId: `alert-${kind}-${rec.id}` });
    }
  }

  async close(): Promise<void> {
    await this.#queue?.close();
  }
}
