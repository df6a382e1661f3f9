/**
 * One attempt at a webhook of ours (the alert webhook, the inbox push), and the worker that makes
 * them. Same rules as deliveries: https only (plain http for loopback), TLS verified, request
 * timeout (./http-client.ts); failures classified by src/domain/delivery/failure-classes.ts —
 * transient ones are retried by the queue with the delivery backoff, permanent ones (a 4xx other
 * than 408/429) end the post.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { WebhookSender, Webhooks } from '../../ports/webhook.js';
import type { QueueWorker } from '../../ports/worker.js';
import { classifyError, classifyStatus } from '../../domain/delivery/failure-classes.js';
import { checkEndpoint, PartnerHttpClient } from './http-client.js';

export interface WebhookTarget {
  /** The queue channel (`tnx-alerts`, `tnx-inbox-push`). */
  channel: string;
  /** The configured URL, and the setting it came from (named in a configuration error). */
  url: string;
  setting: string;
  /** Names the webhook in log lines: `<what> attempt failed`. */
  what: string;
  /** The references a log line about one body carries (never personal data). */
  describe: (body: unknown) => Record<string, unknown>;
}

/** A sender that POSTs each body as JSON to `url` and classifies the answer. */
export function webhookSender(
  ctx: Pick<GatewayContext, 'clock' | 'log'>,
  http: PartnerHttpClient,
  target: WebhookTarget,
): WebhookSender {
  const url = checkEndpoint(target.url, target.setting);
  return async (body, attempt, signal) => {
    let failure;
    try {
      const res = await http.post(url, JSON.stringify(body), { contentType: 'application/json', signal });
      if (res.status >= 200 && res.status < 300) return { next: 'done' };
      failure = classifyStatus(res.status, res.headers, ctx.clock.now());
    } catch (err) {
      failure = classifyError(err);
    }
    ctx.log.warn({ ...target.describe(body), failure: failure.reason, attempt }, `${target.what} attempt failed`);
    return failure.class === 'permanent'
      ? { next: 'failed', reason: failure.reason }
      : { next: 'retry', reason: failure.reason };
  };
}

/** Post what is queued for `target` from this process; close() also closes its HTTP pools. */
export function serveWebhook(
  ctx: GatewayContext,
  webhooks: Webhooks,
  target: WebhookTarget,
  options: { shutdownTimeoutMs?: number } = {},
): QueueWorker {
  const cfg = ctx.config.delivery;
  const http = new PartnerHttpClient({ timeoutMs: cfg.requestTimeoutMs });
  const worker = webhooks.work(target.channel, webhookSender(ctx, http, target), {
    concurrency: 4,
    backoff: { baseMs: cfg.backoffBaseMs, capMs: cfg.backoffCapMs },
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? cfg.shutdownTimeoutMs,
    log: ctx.log,
  });
  return {
    run: () => worker.run(),
    async close() {
      await worker.close();
      await http.close();
    },
  };
}
