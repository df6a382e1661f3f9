/**
 * Push to the national system: for every new inbound message, a JSON notice is POSTed to
 * `inbox.webhookUrl`. The notice carries references only (inbound id, sender, type, ids, times): the
 * national system fetches the message itself through GET /api/v1/inbox/{id}?purpose=…, which is
 * authenticated and logged as a consultation — so no personal data sits in Redis or in a webhook log.
 *
 * Posted through the one webhook path (src/ports/webhook.ts, src/features/delivery/webhook-sender.ts)
 * with the same rules as deliveries and alerts: https only except loopback, TLS verified, request
 * timeout, full-jitter backoff, 4xx other than 408/429 ends the post. The key is the inbound id, so
 * a notice is queued once however often the enqueue is repeated.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { Webhooks } from '../../ports/webhook.js';
import type { QueueWorker } from '../../ports/worker.js';
import type { InboundRecord } from '../../ports/store/index.js';
import { serveWebhook } from '../delivery/webhook-sender.js';
import { messageIdOf } from './receive.js';

/** The webhook channel of inbox notices. */
export const INBOX_PUSH_CHANNEL = 'tnx-inbox-push';

export interface InboxNotice {
  type: 'tnx.inbound';
  /** Our state (the receiver). */
  state: string;
  inboundId: string;
  iss: string;
  messageType: InboundRecord['messageType'];
  messageId: string;
  notificationId: string;
  receivedAt: string;
  departureAt: string | null;
  /** Where the national system reads the message (purpose required). */
  href: string;
}

export function inboxNotice(rec: InboundRecord, state: string): InboxNotice {
  return {
    type: 'tnx.inbound',
    state,
    inboundId: rec.id,
    iss: rec.iss,
    messageType: rec.messageType,
    messageId: messageIdOf(rec.message),
    notificationId: rec.notificationId,
    receivedAt: new Date(rec.receivedAt).toISOString(),
    departureAt: rec.departureAt === null ? null : new Date(rec.departureAt).toISOString(),
    href: `/api/v1/inbox/${encodeURIComponent(rec.id)}`,
  };
}

/**
 * Producer side (the HTTP process): queue a notice for each new inbound record.
 * src/runtime/run-gateway.ts wires both sides when inbox.webhookUrl is set: the producer's hook() on
 * the HTTP side, startInboxPushWorker() where workers run.
 */
export class InboxPush {
  constructor(
    private readonly ctx: Pick<GatewayContext, 'config' | 'log'>,
    private readonly webhooks: Webhooks,
  ) {}

  async enqueue(rec: InboundRecord): Promise<void> {
    await this.webhooks.enqueue(INBOX_PUSH_CHANNEL, rec.id, inboxNotice(rec, this.ctx.config.state));
  }

  /** The onReceived hook for createApp/receiveMessage: enqueue, log a failure (the record is stored). */
  hook(): (rec: InboundRecord) => void {
    return (rec) => {
      this.enqueue(rec).catch((err: unknown) =>
        this.ctx.log.error({ inboundId: rec.id, err }, 'could not queue the inbox push'),
      );
    };
  }
}

/** Consumer side (the worker process). Returns null when no webhook is configured. */
export function startInboxPushWorker(ctx: GatewayContext, webhooks: Webhooks): QueueWorker | null {
  const url = ctx.config.inbox?.webhookUrl;
  if (!url) return null;
  return serveWebhook(ctx, webhooks, {
    channel: INBOX_PUSH_CHANNEL,
    url,
    setting: 'config/inbox/webhookUrl',
    what: 'inbox push',
    describe: (body) => ({ inboundId: (body as InboxNotice).inboundId }),
  });
}
