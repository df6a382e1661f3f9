/**
 * The one webhook path: a JSON POST to a URL of our own configuration (the alert webhook to our point
 * of contact, the inbox push to the national system), queued so that it survives a restart and
 * retried with backoff until it succeeds or fails for good.
 *
 * The queue adapter keeps the posts and their retries; the feature says what one attempt does
 * (src/features/delivery/webhook-sender.ts: the HTTP POST with the delivery transport rules, and the
 * classification of its failure).
 */
import type { Logger } from 'pino';
import type { QueueWorker } from './worker.js';

/** What one attempt decided. */
export type WebhookAttempt = { next: 'done' } | { next: 'retry'; reason: string } | { next: 'failed'; reason: string };

/** One attempt at posting `body`; `attempt` counts from 1, `signal` aborts it at a bounded shutdown. */
export type WebhookSender = (body: unknown, attempt: number, signal: AbortSignal) => Promise<WebhookAttempt>;

export interface WebhookWorkOptions {
  /** Parallel posts in this process. */
  concurrency: number;
  backoff: { baseMs: number; capMs: number };
  /** Bounded wait for posts in flight at close(), ms. */
  shutdownTimeoutMs: number;
  log: Logger;
}

/** The adapter decides how many attempts a post gets: enough, with this backoff, to outlast an outage of hours. */
export interface Webhooks {
  /**
   * Queue one POST of `body` on `channel`. Idempotent per key: a second call with the same key (an
   * alert raised by two processes, a duplicate inbound message) posts nothing new.
   */
  enqueue(channel: string, key: string, body: object): Promise<void>;
  /** Post what is queued on `channel` from this process, with `send` doing each attempt. */
  work(channel: string, send: WebhookSender, options: WebhookWorkOptions): QueueWorker;
}
