/**
 * The delivery worker: BullMQ wiring around ./deliver-one.ts, the alert webhook worker, the at-risk
 * scanner, the queue-depth gauge, and a graceful, bounded shutdown.
 *
 * Retries are driven by the processor, not by BullMQ attempts: after a transient failure the job is
 * moved back to `delayed` (job.moveToDelayed + DelayedError) at the time ./retry-policy.ts chose, and
 * keeps its departure priority. BullMQ's own attempts/backoff (custom strategy, same full-jitter maths)
 * only cover errors escaping the processor — our store or Redis failing mid-way — so nothing is lost.
 *
 * Shutdown: stop taking jobs, let in-flight attempts finish for up to `shutdownTimeoutMs`, then abort
 * the remaining HTTP requests (their jobs return to `delayed` as ordinary transient failures, or — if
 * Redis is gone — are picked up again by BullMQ's stalled-job check in another process), close the
 * workers, the queue's Redis connections and the undici pools. The store belongs to the context owner.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { GatewayContext } from '../../ports/context.js';
import { startAlertWebhookWorker } from './alert-webhook.js';
import { Alerts } from './alerts.js';
import { scanAtRisk, startAtRiskScanner } from './at-risk.js';
import { deliverOnce, type DeliveryDeps } from './deliver-one.js';
import { PartnerHttpClient } from './http-client.js';
import { PartnerLimiter } from './partner-limits.js';
import { DeliveryQueue, bullConnection, type DeliveryJobData } from '../../adapters/queue-bullmq/delivery-queue.js';
import { fullJitterDelay } from '../../domain/delivery/retry-policy.js';

export interface DeliveryWorkerOptions {
  /** The queue to serve (its name, prefix and Redis URL); default: one built from ctx.config. */
  queue?: DeliveryQueue;
  /** Parallel jobs in this process; default delivery.workerConcurrency. */
  concurrency?: number;
  /** false: start paused, call run() later (tests build a backlog first). Default true. */
  autorun?: boolean;
  /** At-risk scan period, ms; 0 disables the scanner. Default delivery.atRiskScanIntervalMs. */
  atRiskScanIntervalMs?: number;
  /** Bounded wait for in-flight attempts at close(), ms. Default delivery.shutdownTimeoutMs. */
  shutdownTimeoutMs?: number;
  /** Longest wait for a per-partner slot before deferring the job, ms. Default 1 000. */
  partnerWaitMs?: number;
  /** Queue-depth gauge refresh, ms; 0 disables. Default 5 000. */
  depthIntervalMs?: number;
  /** [0, 1) source for jitter; tests fix it. */
  random?: () => number;
}

export interface DeliveryWorker {
  readonly worker: Worker<DeliveryJobData>;
  readonly alerts: Alerts;
  /** Start processing (when created with autorun: false). */
  run(): void;
  /** One at-risk scan now (also runs periodically); resolves the ids this process alerted. */
  scanAtRisk(): Promise<string[]>;
  close(): Promise<void>;
}

export function startDeliveryWorker(ctx: GatewayContext, opts: DeliveryWorkerOptions = {}): DeliveryWorker {
  const ownsQueue = !opts.queue;
  const queue = opts.queue ?? DeliveryQueue.fromConfig(ctx.config);
  const cfg = ctx.config.delivery;
  const random = opts.random ?? Math.random;
  const connection = bullConnection(queue.url);
  const http = new PartnerHttpClient({ timeoutMs: cfg.requestTimeoutMs });
  const abort = new AbortController();
  const alerts = new Alerts(ctx, connection, queue.prefix);
  const deps: DeliveryDeps = {
    ctx,
    http,
    limiter: new PartnerLimiter(),
    alerts,
    random,
    partnerWaitMs: opts.partnerWaitMs ?? 1000,
    signal: abort.signal,
  };

  const processor = async (job: Job<DeliveryJobData>, token?: string): Promise<string> => {
    const outcome = await deliverOnce(deps, job.data.id);
    switch (outcome.next) {
      case 'done':
        return outcome.state;
      case 'delay':
        await job.moveToDelayed(outcome.at, token);
        throw new DelayedError();
      case 'failed':
        // The record is `failed` and the alert raised; BullMQ must not retry.
        throw new UnrecoverableError(outcome.reason);
    }
  };

  const worker = new Worker<DeliveryJobData>(queue.name, processor, {
    connection,
    prefix: queue.prefix,
    concurrency: opts.concurrency ?? cfg.workerConcurrency,
    autorun: opts.autorun ?? true,
    settings: {
      backoffStrategy: (attemptsMade: number) =>
        Math.max(1, fullJitterDelay(attemptsMade, { baseMs: cfg.backoffBaseMs, capMs: cfg.backoffCapMs }, random)),
    },
  });
  worker.on('error', (err) => ctx.log.warn({ err }, 'delivery worker error'));
  worker.on('failed', (job, err) => {
    if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') return;
    ctx.log.error({ messageId: job?.data.id, err }, 'delivery job error (BullMQ will retry)');
  });

  const webhook = startAlertWebhookWorker(ctx, { connection, prefix: queue.prefix, http, signal: abort.signal });
  const scanEvery = opts.atRiskScanIntervalMs ?? cfg.atRiskScanIntervalMs;
  const scanner = scanEvery > 0 ? startAtRiskScanner(ctx, alerts, scanEvery) : null;

  const depthEvery = opts.depthIntervalMs ?? 5_000;
  const depthTimer =
    depthEvery > 0
      ? setInterval(() => {
          queue.depth().then(
            (n) => ctx.metrics.queueDepth.set(n),
            () => undefined,
          );
        }, depthEvery)
      : null;
  depthTimer?.unref();

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    if (depthTimer) clearInterval(depthTimer);
    await scanner?.stop();
    const graceful = Promise.all([worker.close(), webhook?.close()]);
    const timeoutMs = opts.shutdownTimeoutMs ?? cfg.shutdownTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (expired) {
      ctx.log.warn({ timeoutMs }, 'delivery shutdown: in-flight attempts aborted after the bounded wait');
      abort.abort();
      await Promise.race([graceful, new Promise((r) => setTimeout(r, 2_000))]);
      await Promise.all([worker.close(true), webhook?.close(true)]);
    }
    await alerts.close();
    await http.close();
    if (ownsQueue) await queue.close();
    await connection.quit().catch(() => connection.disconnect());
  };

  return {
    worker,
    alerts,
    run() {
      if (!worker.isRunning())
        void worker.run().catch((err: unknown) => ctx.log.error({ err }, 'delivery worker stopped'));
    },
    scanAtRisk: () => scanAtRisk(ctx, alerts),
    close() {
      closing ??= close();
      return closing;
    },
  };
}
