/**
 * Posts queued alerts (./alerts.ts) to delivery.alertWebhookUrl as JSON, through the one webhook path
 * (./webhook-sender.ts): retried with the delivery backoff, a permanent refusal ends the post.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { Webhooks } from '../../ports/webhook.js';
import type { QueueWorker } from '../../ports/worker.js';
import { ALERT_CHANNEL, type AlertPayload, type DirectoryAlertPayload } from './alerts.js';
import { serveWebhook } from './webhook-sender.js';

/** Null when no alert webhook is configured. */
export function startAlertWebhookWorker(
  ctx: GatewayContext,
  webhooks: Webhooks,
  options: { shutdownTimeoutMs?: number } = {},
): QueueWorker | null {
  const url = ctx.config.delivery.alertWebhookUrl;
  if (!url) return null;
  return serveWebhook(
    ctx,
    webhooks,
    {
      channel: ALERT_CHANNEL,
      url,
      setting: 'config/delivery/alertWebhookUrl',
      what: 'alert webhook',
      describe: (body) => {
        const alert = body as AlertPayload | DirectoryAlertPayload;
        return alert.kind === 'directory'
          ? { alert: alert.kind, reason: alert.reason, serial: alert.serial }
          : { alert: alert.kind, messageId: alert.messageId };
      },
    },
    options,
  );
}
