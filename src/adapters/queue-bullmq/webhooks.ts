/**
 * The webhook queue (src/ports/webhook.ts) on BullMQ: one queue per channel (`tnx-alerts`,
 * `tnx-inbox-push`), jobId = the caller's key so a post is queued once, BullMQ attempts with the
 * full-jitter backoff of deliveries for transient failures, UnrecoverableError for permanent ones.
 * Every queue and worker of one instance shares one Redis connection (BullMQ adds a blocking one per
 * worker).
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WebhookSender, WebhookWorkOptions, Webhooks } from '../../ports/webhook.js';
import type { QueueWorker } from '../../ports/worker.js';
import { fullJitterDelay } from '../../domain/delivery/retry-policy.js';
import { closeBounded } from './bounded-close.js';
import { bullConnection, quitConnection } from './connection.js';
import { onBullError } from './redis-link.js';

/** Attempts per post: with the delivery backoff this spans hours, enough to outlast a receiver's outage. */
export const WEBHOOK_ATTEMPTS = 12;

/** Finished posts are kept a while for operators, then dropped by BullMQ. */
const KEEP = { removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } };

export class BullWebhooks implements Webhooks {
  readonly prefix: string;
  readonly #connection: Redis;
  readonly #queues = new Map<string, Queue>();

  constructor(settings: { url: string; prefix: string }) {
    this.prefix = settings.prefix;
    this.#connection = bullConnection(settings.url);
  }

  static fromConfig(config: { redis: { url: string; prefix: string } }): BullWebhooks {
    return new BullWebhooks({ url: config.redis.url, prefix: config.redis.prefix });
  }

  /** The BullMQ queue of a channel (for tests). */
  queue(channel: string): Queue {
    let queue = this.#queues.get(channel);
    if (!queue) {
      queue = new Queue(channel, {
        connection: this.#connection,
        prefix: this.prefix,
        defaultJobOptions: { attempts: WEBHOOK_ATTEMPTS, backoff: { type: 'tnx-full-jitter' }, ...KEEP },
      });
      onBullError(queue, null, 'webhook queue', { channel });
      this.#queues.set(channel, queue);
    }
    return queue;
  }

  async enqueue(channel: string, key: string, body: object): Promise<void> {
    await this.queue(channel).add(channel, body, { jobId: key });
  }

  work(channel: string, send: WebhookSender, options: WebhookWorkOptions): QueueWorker {
    const { log, backoff } = options;
    const abort = new AbortController();
    const processor = async (job: Job): Promise<void> => {
      const result = await send(job.data, job.attemptsMade + 1, abort.signal);
      if (result.next === 'failed') throw new UnrecoverableError(`${channel} refused: ${result.reason}`);
      if (result.next === 'retry') throw new Error(`${channel}: ${result.reason}`);
    };
    const worker = new Worker(channel, processor, {
      connection: this.#connection,
      prefix: this.prefix,
      concurrency: options.concurrency,
      settings: { backoffStrategy: (attemptsMade: number) => Math.max(1, fullJitterDelay(attemptsMade, backoff)) },
    });
    onBullError(worker, log, 'webhook worker', { channel });
    let closing: Promise<void> | null = null;
    return {
      run() {
        if (!worker.isRunning())
          void worker.run().catch((err: unknown) => log.error({ err, channel }, 'webhook worker stopped'));
      },
      close() {
        closing ??= closeBounded(worker, abort, options.shutdownTimeoutMs, log, `${channel} webhook`);
        return closing;
      },
    };
  }

  async ping(): Promise<void> {
    await this.#connection.ping();
  }

  /** Close the producers and the connection; workers are closed by their own handles first. */
  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    await quitConnection(this.#connection);
  }
}
