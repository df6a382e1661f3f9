/**
 * Posts queued alerts (./alerts.ts) to delivery.alertWebhookUrl as JSON. Same rules as deliveries:
 * https only (plain http for loopback), TLS verified, request timeout, failures classified by
 * ./failure-classes.ts — transient ones retry with full-jitter backoff (BullMQ attempts), permanent ones
 * (a 4xx) stop at once with UnrecoverableError.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { GatewayContext } from '../../ports/context.js';
import { ALERT_QUEUE_NAME, alertBackoff, type AlertPayload } from './alerts.js';
import { classifyError, classifyStatus } from '../../domain/delivery/failure-classes.js';
import { checkEndpoint, type PartnerHttpClient } from './http-client.js';

export function startAlertWebhookWorker(
  ctx: GatewayContext,
  deps: { connection: Redis; prefix: string; http: PartnerHttpClient; signal: AbortSignal },
): Worker<AlertPayload> | null {
  const target = ctx.config.delivery.alertWebhookUrl;
  if (!target) return null;
  const url = checkEndpoint(target, 'config/delivery/alertWebhookUrl');
  const { backoffBaseMs, backoffCapMs } = ctx.config.delivery;

  const processor = async (job: Job<AlertPayload>): Promise<void> => {
    let failure;
    try {
      const res = await deps.http.post(url, JSON.stringify(job.data), {
        contentType: 'application/json',
        signal: deps.signal,
      });
      if (res.status >= 200 && res.status < 300) return;
      failure = classifyStatus(res.status, res.headers, Date.now());
    } catch (err) {
      failure = classifyError(err);
    }
    ctx.log.warn(
      { alert: job.data.kind, messageId: job.data.messageId, failure: failure.reason, attempt: job.attemptsMade + 1 },
      'alert webhook attempt failed',
    );
    if (failure.class === 'permanent') throw new UnrecoverableError(`alert webhook refused: ${failure.reason}`);
    throw new Error(`alert webhook: ${failure.reason}`);
  };

  const worker = new Worker<AlertPayload>(ALERT_QUEUE_NAME, processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 4,
    settings: { backoffStrategy: alertBackoff(backoffBaseMs, backoffCapMs) },
  });
  worker.on('error', (err) => ctx.log.warn({ err }, 'alert webhook worker error'));
  return worker;
}
