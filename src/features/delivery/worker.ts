/**
 * The delivery side of a worker process: the delivery queue's worker running ./deliver-one.ts, the
 * alert webhook worker, the at-risk scanner and the queue-depth gauge, and their shutdown.
 *
 * The queue adapter (src/adapters/queue-bullmq/delivery-worker.ts) does what each DeliveryOutcome
 * says: a retry moves the job back to `delayed` at the time ./retry-policy.ts chose, keeping its
 * departure priority; a permanent failure ends the job. Shutdown: the scanner and gauge stop, then
 * both workers stop taking jobs and let in-flight attempts finish for up to `shutdownTimeoutMs`, then
 * abort the remaining HTTP requests (their jobs return to `delayed` as ordinary transient failures, or
 * — if Redis is gone — are picked up again by BullMQ's stalled-job check in another process); then the
 * undici pools close. The queue, the webhooks and the store belong to the caller.
 *
 * Each partner has a circuit (./partner-circuit.ts) kept next to the queue, shared by every worker
 * process: while it is open the partner's jobs wait without spending retries, and its closing wakes
 * them at once, earliest departure first.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { DeliveryJobs } from '../../ports/queue.js';
import type { Webhooks } from '../../ports/webhook.js';
import { startPeriodic } from '../../core/periodic.js';
import { startAlertWebhookWorker } from './alert-webhook.js';
import { Alerts } from './alerts.js';
import { scanAtRisk, startAtRiskScanner } from './at-risk.js';
import { deliverOnce, type DeliveryDeps } from './deliver-one.js';
import { PartnerHttpClient } from './http-client.js';
import { PartnerLimiter } from './partner-limits.js';
import { PartnerCircuits } from './partner-circuit.js';

export interface DeliveryWorkerOptions {
  /** The delivery queue to serve. */
  queue: DeliveryJobs;
  /** Where alerts are posted from; needed when delivery.alertWebhookUrl is set. */
  webhooks?: Webhooks;
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
  readonly alerts: Alerts;
  /** Start processing (when created with autorun: false). */
  run(): void;
  /** One at-risk scan now (also runs periodically); resolves the ids this process alerted. */
  scanAtRisk(): Promise<string[]>;
  close(): Promise<void>;
}

export function startDeliveryWorker(ctx: GatewayContext, opts: DeliveryWorkerOptions): DeliveryWorker {
  const { queue } = opts;
  const cfg = ctx.config.delivery;
  if (cfg.alertWebhookUrl && !opts.webhooks)
    throw new RangeError('delivery.alertWebhookUrl is set: the delivery worker needs the webhooks');
  const webhooks = opts.webhooks ?? null;
  const random = opts.random ?? Math.random;
  const shutdownTimeoutMs = opts.shutdownTimeoutMs ?? ctx.config.delivery.shutdownTimeoutMs;
  const http = new PartnerHttpClient({ timeoutMs: cfg.requestTimeoutMs });
  const alerts = new Alerts(ctx, webhooks);
  const circuits = new PartnerCircuits(ctx, {
    store: queue.circuits,
    release: (partner) => queue.release(partner),
    settings: {
      failureThreshold: cfg.circuitFailureThreshold,
      probeIntervalMs: cfg.circuitProbeIntervalMs,
      // A probe is one request: past its timeout (and one interval) its prober is presumed dead.
      probeLeaseMs: cfg.requestTimeoutMs + cfg.circuitProbeIntervalMs,
    },
    parkMs: cfg.circuitParkMs,
  });
  const deps: Omit<DeliveryDeps, 'signal'> = {
    ctx,
    http,
    limiter: new PartnerLimiter(),
    alerts,
    random,
    partnerWaitMs: opts.partnerWaitMs ?? 1000,
    circuits,
  };

  const worker = queue.work((job, signal) => deliverOnce({ ...deps, signal }, job.id), {
    concurrency: opts.concurrency ?? cfg.workerConcurrency,
    autorun: opts.autorun ?? true,
    shutdownTimeoutMs,
    backoff: { baseMs: cfg.backoffBaseMs, capMs: cfg.backoffCapMs },
    random,
    log: ctx.log,
  });
  void circuits.start(); // never rejects: logs and leaves it to the jobs' `parkMs`
  const webhook = webhooks ? startAlertWebhookWorker(ctx, webhooks, { shutdownTimeoutMs }) : null;
  const scanEvery = opts.atRiskScanIntervalMs ?? ctx.config.delivery.atRiskScanIntervalMs;
  const scanner = scanEvery > 0 ? startAtRiskScanner(ctx, alerts, scanEvery) : null;
  const depthEvery = opts.depthIntervalMs ?? 5_000;
  const gauge =
    depthEvery > 0
      ? startPeriodic(async () => ctx.metrics.setQueueStats(await queue.stats(ctx.clock.now())), {
          intervalMs: depthEvery,
          immediate: false,
          fallback: undefined,
          onError: () => undefined, // a Redis hiccup: the next refresh will tell
        })
      : null;

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    await gauge?.stop();
    await scanner?.stop();
    circuits.close();
    await Promise.all([worker.close(), webhook?.close()]);
    await http.close();
  };

  return {
    alerts,
    run: () => worker.run(),
    scanAtRisk: () => scanAtRisk(ctx, alerts),
    close() {
      closing ??= close();
      return closing;
    },
  };
}
