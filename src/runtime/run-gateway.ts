/**
 * A whole running gateway process, as `tnx serve` and the demo run it:
 *
 *   context (store, keys, directory, audit trail) → delivery queue → HTTP side (roles.http)
 *   → delivery worker (roles.workers) → audit checkpoint sealer → outbox recovery (start-up + periodic)
 *   → orphan sweep (start-up + periodic, where workers run)
 *
 * Several processes may share one Redis and one store (say two `--http-only` behind a balancer and
 * one `--workers-only`): every moving part is safe to run more than once — jobs are keyed by record
 * id, state changes are conditional store updates, the sealer is elected by a lease.
 *
 * Shutdown order, and why:
 *   1. stop HTTP accepting — no new 202 can be promised while we take things down;
 *   2. stop the outbox and sweep timers (waiting for a pass in progress) — they enqueue;
 *   3. stop the worker, bounded — in-flight attempts finish or go back to `delayed`;
 *   4. stop the sealer — it hands its lease back so another process seals without waiting;
 *   5. close the queue's Redis connection, then 6. the store — last, because everything above writes.
 * Killing the process at any point instead loses nothing: a 202 is only sent after the record is
 * durable, and whatever was in flight is found again by the outbox recovery, the orphan sweep or
 * BullMQ's stalled-job check.
 */
import { AuditSealer } from '../features/audit-trail/sealer.js';
import type { TnxConfig } from '../config/schema.js';
import { DeliveryQueue } from '../adapters/queue-bullmq/delivery-queue.js';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../features/delivery/worker.js';
import { createApp, type AppOptions } from '../http/app.js';
import { listen, type RunningServer } from '../http/server.js';
import { InboxPush, startInboxPushWorker } from '../features/inbox/push.js';
import { startRetentionJob, type RetentionJob } from '../features/registry/retention-job.js';
import { nationalRoutes } from '../features/registry/routes.js';
import { startManifestScreening, type RunningScreening } from './start-screening.js';
import { createContext, type CreateContextOptions, type RunningContext } from './create-context.js';
import { startOrphanSweep, type SweepResult } from '../features/delivery/orphan-sweep.js';
import { startOutboxRecovery } from '../features/submission/outbox.js';

export interface GatewayOptions extends CreateContextOptions {
  /** Override config.roles (`--http-only`, `--workers-only`). */
  roles?: { http: boolean; workers: boolean };
  /** Override the bound port (0 = any free port). */
  port?: number;
  /** Queue name (tests isolate several gateways in one Redis prefix; default tnx-delivery). */
  queueName?: string;
  worker?: Omit<DeliveryWorkerOptions, 'queue'>;
  /** Outbox recovery period, ms (default delivery.outboxIntervalMs). */
  outboxIntervalMs?: number;
  /** Orphan sweep period and minimum record age of periodic passes, ms (default delivery.orphanSweep*). */
  sweepIntervalMs?: number;
  sweepMinAgeMs?: number;
  /** false: no checkpoint sealer in this process (default true; a lease elects one across processes). */
  sealer?: boolean;
  /** Extra app options (onReceived hook, enqueue timeout). */
  app?: Pick<AppOptions, 'onReceived' | 'enqueueTimeoutMs' | 'extraRoutes'>;
}

export interface RunningGateway {
  readonly ctx: RunningContext;
  readonly queue: DeliveryQueue;
  readonly roles: { http: boolean; workers: boolean };
  /** Base URL of the HTTP side, when it runs. */
  readonly url: string | null;
  readonly server: RunningServer | null;
  readonly worker: DeliveryWorker | null;
  readonly sealer: AuditSealer | null;
  /** Resolves when the start-up orphan sweep is done (null when no worker runs here). */
  readonly firstSweep: Promise<SweepResult> | null;
  /** Manifest screening (src/manifests), when the registry is configured. */
  readonly screening: RunningScreening | null;
  /** Orderly shutdown (idempotent); see the module comment for the order. */
  close(): Promise<void>;
}

export async function startGateway(config: TnxConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const roles = options.roles ?? config.roles;
  if (!roles.http && !roles.workers)
    throw new RangeError('a gateway process must run the HTTP side, the workers, or both');
  const ctx = await createContext(config, options);
  const queue = new DeliveryQueue({
    url: config.redis.url,
    prefix: config.redis.prefix,
    ...(options.queueName ? { name: options.queueName } : {}),
  });

  let server: RunningServer | null = null;
  let worker: DeliveryWorker | null = null;
  let sealer: AuditSealer | null = null;
  let retention: RetentionJob | null = null;
  let screening: RunningScreening | null = null;
  let outbox: ReturnType<typeof startOutboxRecovery> | null = null;
  let sweep: ReturnType<typeof startOrphanSweep> | null = null;
  // Push notices to the national system when inbox.webhookUrl is set: produced where HTTP receives,
  // delivered where workers run (src/features/inbox/push.ts).
  const push = roles.http && config.inbox?.webhookUrl ? new InboxPush({ config, log: ctx.log }) : null;
  let pushWorker: { close(): Promise<void> } | null = null;

  const shutdown = async (): Promise<void> => {
    await server?.close();
    await outbox?.stop();
    await sweep?.stop();
    await worker?.close();
    await pushWorker?.close().catch((err: unknown) => ctx.log.warn({ err }, 'inbox push worker close failed'));
    await push?.close().catch((err: unknown) => ctx.log.warn({ err }, 'inbox push queue close failed'));
    await retention?.close().catch((err: unknown) => ctx.log.warn({ err }, 'retention job close failed'));
    await screening?.close().catch((err: unknown) => ctx.log.warn({ err }, 'screening close failed'));
    await sealer?.stop().catch((err: unknown) => ctx.log.warn({ err }, 'sealer stop failed'));
    await queue.close().catch((err: unknown) => ctx.log.warn({ err }, 'queue close failed'));
    await ctx.close();
  };

  try {
    // Manifest screening screens against the registry, so it runs where the registry is configured:
    // the index where HTTP is served, the manifest retention job where workers run.
    if (ctx.registryKeys) {
      screening = await startManifestScreening(ctx, queue, {
        keys: ctx.registryKeys,
        index: roles.http,
        retention: roles.workers,
      });
    }
    if (roles.http) {
      const app = createApp({
        ctx,
        queue,
        readiness: [{ name: 'redis', check: () => queue.ping() }],
        queueDepth: () => queue.depth(),
        ...(push ? { onReceived: push.hook() } : {}),
        ...(options.app ?? {}),
        // The national workflow (registry, travel reports, directory, statistics) plus any other part's routes.
        extraRoutes: (deps) => [
          ...nationalRoutes(ctx.registryKeys ? { keys: ctx.registryKeys } : {})(deps),
          ...(screening?.routes ?? []),
          ...(options.app?.extraRoutes?.(deps) ?? []),
        ],
      });
      server = await listen(app, config, options.port === undefined ? {} : { port: options.port });
    }
    if (roles.workers) worker = startDeliveryWorker(ctx, { ...(options.worker ?? {}), queue });
    if (roles.workers) pushWorker = startInboxPushWorker(ctx);
    if (roles.workers && config.registry) retention = await startRetentionJob(ctx, null);
    if (options.sealer !== false) {
      sealer = new AuditSealer({
        store: ctx.store,
        signingKey: () => ctx.keys.signingKey(),
        state: config.state,
        clock: ctx.clock,
        intervalMs: config.audit.checkpointIntervalSeconds * 1000,
        events: ctx.events,
        onError: (err) => ctx.log.error({ err }, 'audit checkpoint failed'),
      });
      sealer.start();
    }
    // Whoever runs, recovers: a process that only serves HTTP still owns the outbox of what it accepted.
    outbox = startOutboxRecovery(ctx, queue, {
      intervalMs: options.outboxIntervalMs ?? config.delivery.outboxIntervalMs,
    });
    await outbox.firstPass;
    if (roles.workers) {
      sweep = startOrphanSweep(ctx, queue, {
        intervalMs: options.sweepIntervalMs ?? config.delivery.orphanSweepIntervalMs,
        minAgeMs: options.sweepMinAgeMs ?? config.delivery.orphanSweepMinAgeMs,
      });
    }
  } catch (err) {
    await shutdown().catch(() => undefined);
    throw err;
  }
  ctx.log.info({ url: server?.url ?? null, http: roles.http, workers: roles.workers }, 'gateway started');

  let closing: Promise<void> | null = null;
  return {
    ctx,
    queue,
    roles,
    server,
    worker,
    sealer,
    screening,
    url: server?.url ?? null,
    firstSweep: sweep?.firstPass ?? null,
    close() {
      closing ??= shutdown().then(() => ctx.log.info('gateway stopped'));
      return closing;
    },
  };
}
