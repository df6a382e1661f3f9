/**
 * Alerts about the network directory, on the one alert path: an error log line, tnx_alerts_total
 * {kind="directory"}, and — where an alert webhook is configured — a JSON POST queued on the same
 * webhook channel as delivery alerts (src/features/delivery/alerts.ts), posted by the one alert
 * webhook worker. Raised for: a directory past `nextUpdate` (stale: the coordinator or the path to it
 * has a problem) or past `expiresAt` (expired: sending has stopped), a fetched document refused (bad
 * signature, rollback, hostile content…: the last good one stays), and our own current keys missing
 * from our entry (partners cannot verify us or seal to us).
 *
 * The webhook is attached after the context is built (the queue connections come later in start-up);
 * an alert raised before that is logged and counted, and posted only if the webhook is there.
 * Each alert's webhook key names its reason and the serial it concerns, so two processes of one
 * gateway following the same directory post it once.
 */
import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { isoTime, type Clock } from '../../core/clock.js';
import type { Metrics } from '../../core/metrics.js';
import type { Webhooks } from '../../ports/webhook.js';
import { ALERT_CHANNEL, type DirectoryAlertPayload } from '../delivery/alerts.js';

export type DirectoryAlertReason = 'stale' | 'expired' | 'refused' | 'own_keys_missing';

export class DirectoryAlerts {
  #webhooks: Webhooks | null = null;

  constructor(
    private readonly o: {
      state: string;
      log: Logger;
      metrics: Metrics;
      clock: Clock;
      /** delivery.alertWebhookUrl: without it nothing is queued. */
      webhookUrl: string | undefined;
    },
  ) {}

  /** Post alerts through this webhook queue from now on. */
  useWebhooks(webhooks: Webhooks | null): void {
    this.#webhooks = webhooks;
  }

  async raise(
    reason: DirectoryAlertReason,
    serial: number | null,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    const { log, metrics, clock } = this.o;
    metrics.alerts.inc({ kind: 'directory' });
    log.error({ alert: 'directory', reason, serial, ...detail }, 'network directory needs attention');
    if (!this.#webhooks || !this.o.webhookUrl) return;
    const payload: DirectoryAlertPayload = {
      type: 'tnx.alert',
      kind: 'directory',
      reason,
      state: this.o.state,
      serial,
      detail,
      raisedAt: isoTime(clock.now()),
    };
    const what = createHash('sha256').update(JSON.stringify(detail)).digest('base64url').slice(0, 16);
    try {
      await this.#webhooks.enqueue(ALERT_CHANNEL, `alert-directory-${reason}-${serial ?? 'none'}-${what}`, payload);
    } catch (err) {
      // Redis down: the log line and the metric above still tell the operator.
      log.warn({ err, reason }, 'directory alert webhook not queued');
    }
  }
}
