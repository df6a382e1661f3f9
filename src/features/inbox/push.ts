/**
 * Push to the national system: for every new inbound message, a JSON notice is POSTed to
 * `inbox.webhookUrl`. The notice carries references only (inbound id, sender, type, ids, times): the
 * national system fetches the message itself through GET /api/v1/inbox/{id}?purpose=…, which is
 * authenticated and logged as a consultation — so no personal data sits in Redis or in a webhook log.
 *
 * Retried through the same BullMQ infrastructure and with the same rules as deliveries and alerts
 * (src/features/delivery): https only except loopback, TLS verified, request timeout, full-jitter backoff,
 * 4xx other than 408/429 ends the job. jobId = inbound id, so a notice is queued once however often
 * the enqueue is repeated.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { GatewayContext } from '../../ports/context.js';
import { alertBackoff } from '../delivery/alerts.js';
import { classifyError, classifyStatus } from '../../domain/delivery/failure-classes.js';
import { checkEndpoint, PartnerHttpClient } from '../delivery/http-client.js';
import { bullConnection } from '../../adapters/queue-bullmq/delivery-queue.js';
import type { InboundRecord } from '../../ports/store/index.js';
import { messageIdOf } from './receive.js';

export const INBOX_PUSH_QUEUE = 'tnx-inbox-push';
export const INBOX_PUSH_ATTEMPTS = 12;

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
 * Producer side (the HTTP process): queue a notice for each new inbound record. Built from config and
 * a logger only. src/runtime/run-gateway.ts wires both sides when inbox.webhookUrl is set: the
 * producer's hook() on the HTTP side, startInboxPushWorker() where workers run, both closed at shutdown.
 */
export class InboxPush {
  readonly #connection;
  readonly #queue: Queue<InboxNotice>;

  constructor(private readonly ctx: Pick<GatewayContext, 'config' | 'log'>) {
    this.#connection = bullConnection(ctx.config.redis.url);
    this.#queue = new Queue<InboxNotice>(INBOX_PUSH_QUEUE, {
      connection: this.#connection,
      prefix: ctx.config.redis.prefix,
      defaultJobOptions: {
        attempts: INBOX_PUSH_ATTEMPTS,
        backoff: { type: 'tnx-full-jitter' },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  get queue(): Queue<InboxNotice> {
    return this.#queue;
  }

  async enqueue(rec: InboundRecord): Promise<void> {
    await this.#queue.add('push', inboxNotice(rec, this.ctx.config.state), { jobId: rec.id });
  }

  /** The onReceived hook for createApp/receiveMessage: enqueue, log a failure (the record is stored). */
  hook(): (rec: InboundRecord) => void {
    return (rec) => {
      this.enqueue(rec).catch((err: unknown) =>
        this.ctx.log.error({ inboundId: rec.id, err }, 'could not queue the inbox push'),
      );
    };
  }

  async close(): Promise<void> {
    await this.#queue.close();
    await this.#connection.quit().catch(() => this.#connection.disconnect());
  }
}

/** Consumer side (the worker process). Returns null when no webhook is configured. */
export function startInboxPushWorker(ctx: GatewayContext): { close(): Promise<void> } | null {
  const target = ctx.config.inbox?.webhookUrl;
  if (!target) return null;
  const url = checkEndpoint(target, 'config/inbox/webhookUrl');
  const connection = bullConnection(ctx.config.redis.url);
  const http = new PartnerHttpClient({ timeoutMs: ctx.config.delivery.requestTimeoutMs });
  const abort = new AbortController();
  const processor = async (job: Job<InboxNotice>): Promise<void> => {
    let failure;
    try {
      const res = await http.post(url, JSON.stringify(job.data), {
        contentType: 'application/json',
        signal: abort.signal,
      });
      if (res.status >= 200 && res.status < 300) return;
      failure = classifyStatus(res.status, res.headers, Date.now());
    } catch (err) {
      failure = classifyError(err);
    }
    ctx.log.warn(
      { inboundId: job.data.inboundId, failure: failure.reason, attempt: job.attemptsMade + 1 },
      'inbox push attempt failed',
    );
    if (failure.class === 'permanent') throw new UnrecoverableError(`inbox push refused: ${failure.reason}`);
    throw new Error(`inbox push: ${failure.reason}`);
  };
  const worker = new Worker<InboxNotice>(INBOX_PUSH_QUEUE, processor, {
    connection,
    prefix: ctx.config.redis.prefix,
    concurrency: 4,
    settings: { backoffStrategy: alertBackoff(ctx.config.delivery.backoffBaseMs, ctx.config.delivery.backoffCapMs) },
  });
  worker.on('error', (err) => ctx.log.warn({ err }, 'inbox push worker error'));
  return {
    async close() {
      await worker.close();
      abort.abort();
      await http.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
