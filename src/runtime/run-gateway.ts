/**
 * A whole running gateway process, as `tnx serve` and the demo run it. Its parts, in start order
 * (./components.ts stops them in the reverse order):
 *
 *   1. context: store, audit subscriber, key ring, directory, logger, metrics (opened first: everything writes to it)
 *   1b. network-directory follower (directory.network): last good copy, then the first fetch; a
 *       coordinator that is down does not stop start-up — partners come from the last good copy
 *   2. delivery queue (Redis)
 *   3. webhooks (Redis; when an alert webhook or an inbox push is configured)
 *   4. scheduled jobs (Redis; where workers run and the registry is configured)
 *   5. audit checkpoint sealer (in process, elected by a lease in the store)
 *   6. manifest screening: its index where HTTP is served, its retention job where workers run (registry configured)
 *   7. delivery worker, alert webhook worker, at-risk scanner (roles.workers)
 *   7b. removed partners: fails what is queued to a state the network directory drops (roles.workers)
 *   8. inbox push worker (roles.workers, inbox.webhookUrl set)
 *   9. registry retention job and travel report recovery job (roles.workers, registry configured)
 *  10. outbox recovery: start-up pass (awaited), then periodic
 *  11. orphan sweep: start-up pass, then periodic (roles.workers)
 *  12. HTTP side (roles.http) — last up, first down
 *
 * Several processes may share one Redis and one store (say two `--http-only` behind a balancer and
 * one `--workers-only`): every moving part is safe to run more than once — jobs are keyed by record
 * id, state changes are conditional store updates, the sealer is elected by a lease, scheduled jobs
 * have one schedule and one run at a time across processes.
 *
 * So shutdown runs: HTTP first — no new 202 can be promised while we take things down; then the
 * sweep and the outbox recovery (waiting for a pass in progress: they enqueue); then the workers,
 * bounded — in-flight attempts finish or go back to `delayed`; then screening and the sealer — which
 * hands its lease back so another process seals without waiting; then the Redis connections; and the
 * store last, because everything above writes to it. Killing the process at any point instead loses
 * nothing: a 202 is only sent after the record is durable, and whatever was in flight is found again
 * by the outbox recovery, the orphan sweep or BullMQ's stalled-job check.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AuditSealer } from '../features/audit-trail/sealer.js';
import { AuditVerifier } from '../features/audit-trail/verifier.js';
import { auditJwksFromFile } from '../features/audit-trail/audit-jwks.js';
import type { TnxConfig } from '../config/schema.js';
import { DeliveryQueue } from '../adapters/queue-bullmq/delivery-queue.js';
import { persistenceName } from '../adapters/queue-bullmq/redis-link.js';
import { withoutCredentials } from '../core/url.js';
import { gatewayVersion } from './version.js';
import { BullScheduledJobs } from '../adapters/queue-bullmq/scheduled-jobs.js';
import { BullWebhooks } from '../adapters/queue-bullmq/webhooks.js';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../features/delivery/worker.js';
import { admissionOf, createApp, type AppOptions } from '../http/app.js';
import type { Admission } from '../features/submission/admission.js';
import { listen, type RunningServer } from '../http/server.js';
import { listenMetrics } from '../http/metrics-server.js';
import { InboxPush, startInboxPushWorker } from '../features/inbox/push.js';
import { startRetentionJob } from '../features/registry/retention-job.js';
import { startTravelReportRecovery } from '../features/travel-reports/recovery-job.js';
import { nationalDeps } from '../features/registry/deps.js';
import { startManifestScreening, type RunningScreening } from './start-screening.js';
import { createContext, type CreateContextOptions, type RunningContext } from './create-context.js';
import { startOrphanSweep, type SweepResult } from '../features/delivery/orphan-sweep.js';
import { watchRemovedPartners, type RemovedPartnerWatch } from '../features/delivery/partner-removed.js';
import { startOutboxRecovery } from '../features/submission/outbox.js';
import { startComponents, type Component } from './components.js';
import { redisRefusalLimiter } from '../adapters/rate-limit/redis-refusal-limiter.js';
import { redisSessionStore } from '../adapters/session-redis/redis-session-store.js';
import type { SessionStore } from '../ports/session-store.js';
import { RefusalCounter } from '../features/audit-trail/refusal-counter.js';
import type { RefusalLimiter } from '../ports/refusal-limiter.js';
import { recoverLostQueue, redisReadiness } from './queue-loss.js';

export interface GatewayOptions extends CreateContextOptions {
  /** Override config.roles (`--http-only`, `--workers-only`). */
  roles?: { http: boolean; workers: boolean };
  /** Override the bound port (0 = any free port). */
  port?: number;
  /** Override config.metrics.port (0 = any free port). */
  metricsPort?: number;
  /** Queue name (tests isolate several gateways in one Redis prefix; default tnx-delivery). */
  queueName?: string;
  worker?: Omit<DeliveryWorkerOptions, 'queue' | 'webhooks'>;
  /** Outbox recovery period, ms (default delivery.outboxIntervalMs). */
  outboxIntervalMs?: number;
  /** Orphan sweep period and minimum record age of periodic passes, ms (default delivery.orphanSweep*). */
  sweepIntervalMs?: number;
  sweepMinAgeMs?: number;
  /** false: no checkpoint sealer in this process (default true; a lease elects one across processes). */
  sealer?: boolean;
  /** Extra app options (onReceived hook, enqueue timeout). */
  app?: Pick<AppOptions, 'onReceived' | 'enqueueTimeoutMs'>;
}

export interface RunningGateway {
  readonly ctx: RunningContext;
  readonly queue: DeliveryQueue;
  readonly roles: { http: boolean; workers: boolean };
  /** Base URL of the HTTP side, when it runs. */
  readonly url: string | null;
  readonly server: RunningServer | null;
  /** URL of the metrics listener (`<url>/metrics`), where the HTTP side runs and metrics are enabled. */
  readonly metricsUrl: string | null;
  readonly worker: DeliveryWorker | null;
  readonly sealer: AuditSealer | null;
  /** Resolves when the start-up orphan sweep is done (null when no worker runs here). */
  readonly firstSweep: Promise<SweepResult> | null;
  /** Manifest screening, when the registry is configured. */
  readonly screening: RunningScreening | null;
  /** Orderly shutdown (idempotent); see the module comment for the order. */
  close(): Promise<void>;
}

/**
 * The trail records which configuration each process ran with: the file's digest (the file itself may
 * hold token hashes and paths, so never its content), the state and the roles.
 */
async function auditConfigLoaded(
  ctx: RunningContext,
  config: TnxConfig,
  roles: { http: boolean; workers: boolean },
): Promise<void> {
  const digest = config.configPath
    ? createHash('sha256').update(readFileSync(config.configPath)).digest('base64url')
    : null;
  await ctx.events.publish({
    action: 'config.loaded',
    actor: 'system',
    at: ctx.clock.now(),
    outcome: 'loaded',
    detail: { state: config.state, configDigest: digest, http: roles.http, workers: roles.workers },
  });
}

/** The start-up line waits this long for Redis to say how it persists; then it says `unknown`. */
const STARTUP_PROBE_MS = 1_000;

/** `aof`, `rdb`, `aof+rdb`, `none`, or `unknown` when Redis does not answer in time. */
async function persistenceWithin(queue: DeliveryQueue, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('unknown'), ms);
  });
  const asked = queue.persistence().then(persistenceName, () => 'unknown');
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A part of the list from its two steps. */
function part(name: string, start: () => Promise<void> | void, stop: () => Promise<void> | void): Component {
  return { name, start: async () => start(), stop: async () => stop() };
}

export async function startGateway(config: TnxConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const roles = options.roles ?? config.roles;
  if (!roles.http && !roles.workers)
    throw new RangeError('a gateway process must run the HTTP side, the workers, or both');
  const ctx = await createContext(config, options);
  const { registryKeys } = ctx;
  const queue = new DeliveryQueue({
    url: config.redis.url,
    prefix: config.redis.prefix,
    log: ctx.log,
    ...(options.queueName ? { name: options.queueName } : {}),
  });
  // Push notices to the national system when inbox.webhookUrl is set: produced where HTTP receives,
  // posted where workers run (src/features/inbox/push.ts). Alerts are posted where workers run.
  const pushes = Boolean(config.inbox?.webhookUrl);
  // Directory alerts are queued wherever the follower runs (every process); workers post them.
  const alertsHere = Boolean(config.delivery.alertWebhookUrl) && (roles.workers || ctx.network !== null);
  const webhooks = pushes || alertsHere ? BullWebhooks.fromConfig(config) : null;
  const jobs =
    roles.workers && config.registry
      ? new BullScheduledJobs({ url: config.redis.url, prefix: config.redis.prefix, log: ctx.log })
      : null;

  let server: RunningServer | null = null;
  let metricsServer: RunningServer | null = null;
  let refusalLimiter: RefusalLimiter | null = null;
  let admission: Admission | null = null;
  let refusalCounter: RefusalCounter | null = null;
  let sessions: SessionStore | null = null;
  let worker: DeliveryWorker | null = null;
  let sealer: AuditSealer | null = null;
  let verifier: AuditVerifier | null = null;
  let screening: RunningScreening | null = null;
  let sweep: ReturnType<typeof startOrphanSweep> | null = null;
  let removed: RemovedPartnerWatch | null = null;

  const parts: (Component | false)[] = [
    part(
      'context',
      () => auditConfigLoaded(ctx, config, roles),
      () => ctx.close(),
    ),
    // After the store and audit trail (it records what it applies), before HTTP and the workers (they
    // need partners); stopped after them. start() settles after one pass and never fails on an outage.
    ctx.network !== null &&
      part(
        'network directory',
        async () => {
          ctx.directoryAlerts?.useWebhooks(webhooks);
          await ctx.network!.start();
        },
        () => ctx.network!.stop(),
      ),
    part(
      'delivery queue',
      () => undefined,
      () => queue.close(),
    ),
    webhooks !== null &&
      part(
        'webhooks',
        () => undefined,
        () => webhooks.close(),
      ),
    jobs !== null &&
      part(
        'scheduled jobs',
        () => undefined,
        () => jobs.close(),
      ),
    options.sealer !== false &&
      part(
        'audit sealer',
        () => {
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
        },
        () => sealer?.stop(),
      ),
    options.sealer !== false &&
      part(
        'audit verifier',
        () => {
          verifier = new AuditVerifier({
            store: ctx.store,
            jwks: () => auditJwksFromFile(config.keys.privateJwksPath),
            clock: ctx.clock,
            intervalMs: config.audit.verifyIntervalSeconds * 1000,
            events: ctx.events,
            onResult: (r) => {
              if (r.ok) ctx.log.info({ events: r.events, checkpoints: r.checkpoints }, 'audit trail verified');
              else
                ctx.log.error(
                  { firstBadSeq: r.firstBad?.seq, problem: r.firstBad?.problem },
                  'audit trail verification FAILED',
                );
            },
            onError: (err) => ctx.log.error({ err }, 'audit trail verification could not run'),
          });
          verifier.start();
        },
        () => verifier?.stop(),
      ),
    // Manifest screening screens against the registry, so it runs where the registry is configured.
    registryKeys !== null &&
      part(
        'manifest screening',
        async () => {
          screening = await startManifestScreening(ctx, queue, {
            keys: registryKeys,
            index: roles.http,
            ...(jobs ? { jobs } : {}),
          });
        },
        () => screening?.close(),
      ),
    roles.workers &&
      part(
        'delivery worker',
        () => {
          worker = startDeliveryWorker(ctx, { ...(options.worker ?? {}), queue, ...(webhooks ? { webhooks } : {}) });
        },
        () => worker?.close(),
      ),
    // Messages queued to a state the coordinator removes fail at once (partner_removed), with an alert.
    roles.workers &&
      ctx.network !== null &&
      part(
        'removed partners',
        () => {
          removed = watchRemovedPartners(ctx, worker!.alerts);
        },
        () => removed?.stop(),
      ),
    roles.workers && pushes && webhookPart('inbox push worker', () => startInboxPushWorker(ctx, webhooks!)),
    jobs !== null && retentionPart(),
    jobs !== null && registryKeys !== null && recoveryPart(),
    // Whoever runs, recovers: a process that only serves HTTP still owns the outbox of what it accepted.
    outboxPart(),
    roles.workers &&
      part(
        'orphan sweep',
        () => {
          sweep = startOrphanSweep(ctx, queue, {
            intervalMs: options.sweepIntervalMs ?? config.delivery.orphanSweepIntervalMs,
            minAgeMs: options.sweepMinAgeMs ?? config.delivery.orphanSweepMinAgeMs,
          });
        },
        () => sweep?.stop(),
      ),
    roles.workers && queueLossPart(),
    roles.http &&
      part(
        'HTTP',
        async () => {
          const push = pushes ? new InboxPush(ctx, webhooks!) : null;
          // The refusal budget lives in the shared Redis, so it holds across every process of the gateway.
          refusalLimiter = redisRefusalLimiter({
            url: config.redis.url,
            prefix: config.redis.prefix,
            points: config.http.refusalLimit,
            windowSeconds: config.http.refusalWindowSeconds,
          });
          refusalCounter = new RefusalCounter(
            { events: ctx.events, clock: ctx.clock, log: ctx.log },
            config.http.refusalWindowSeconds * 1000,
          );
          admission = admissionOf(config);
          admission.sample(() => queue.ready(), config.http.queueSampleMs);
          sessions = config.console ? redisSessionStore({ url: config.redis.url, prefix: config.redis.prefix }) : null;
          const app = createApp({
            ctx,
            queue,
            admission,
            refusalLimiter,
            ...(sessions ? { sessions } : {}),
            refusalCounter,
            readiness: [
              { name: 'redis', check: () => redisReadiness(queue) },
              // Not ready (503, with the build's progress) until the screening index is built.
              ...(screening ? [screening.readiness] : []),
            ],
            queueStats: () => queue.stats(ctx.clock.now()),
            ...(push ? { onReceived: push.hook() } : {}),
            ...(options.app ?? {}),
            // The parts that run here decide which of the table's routes are served.
            ...(registryKeys ? { registryKeys } : {}),
            ...(screening ? { screening: screening.deps } : {}),
          });
          // Its own listener, so the partner and API port never shows what the metrics name.
          if (config.metrics.enabled)
            metricsServer = await listenMetrics({
              ctx,
              queueStats: () => queue.stats(ctx.clock.now()),
              ...(options.metricsPort === undefined ? {} : { port: options.metricsPort }),
            });
          server = await listen(app, config, options.port === undefined ? {} : { port: options.port }, {
            partners: ctx.directory,
            onError: (err) => ctx.log.error({ err }, 'client CA hints not updated from the directory'),
          });
        },
        async () => {
          await server?.close();
          await metricsServer?.close();
          await admission?.stop();
          // After the last request: the window's refusal counts reach the audit trail before the store closes.
          await refusalCounter?.close();
          await refusalLimiter?.close();
          await sessions?.close();
        },
      ),
  ];

  function webhookPart(name: string, start: () => { close(): Promise<void> } | null): Component {
    let running: { close(): Promise<void> } | null = null;
    return part(
      name,
      () => {
        running = start();
      },
      () => running?.close(),
    );
  }

  function retentionPart(): Component {
    let job: { close(): Promise<void> } | null = null;
    return part(
      'registry retention job',
      async () => {
        job = await startRetentionJob(ctx, jobs!);
      },
      () => job?.close(),
    );
  }

  /** Travel reports whose request died before their notifications were submitted. */
  function recoveryPart(): Component {
    let job: { close(): Promise<void> } | null = null;
    return part(
      'travel report recovery job',
      async () => {
        job = await startTravelReportRecovery(nationalDeps({ ctx, queue }, registryKeys!), jobs!);
      },
      () => job?.close(),
    );
  }

  /** Redis came back as another run: re-enqueue at once instead of waiting for the periodic sweep. */
  function queueLossPart(): Component {
    let unsubscribe: (() => void) | null = null;
    let pass: Promise<unknown> = Promise.resolve();
    return part(
      'queue loss recovery',
      () => {
        unsubscribe = queue.onRestart((info) => {
          pass = recoverLostQueue(ctx, queue, info);
        });
      },
      async () => {
        unsubscribe?.();
        await pass;
      },
    );
  }

  function outboxPart(): Component {
    let outbox: ReturnType<typeof startOutboxRecovery> | null = null;
    return part(
      'outbox recovery',
      async () => {
        outbox = startOutboxRecovery(ctx, queue, {
          intervalMs: options.outboxIntervalMs ?? config.delivery.outboxIntervalMs,
        });
        await outbox.firstPass;
      },
      () => outbox?.stop(),
    );
  }

  const running = await startComponents(
    parts.filter((p): p is Component => p !== false),
    ctx.log,
  );
  const url = (server as RunningServer | null)?.url ?? null;
  const metricsUrl = (metricsServer as RunningServer | null)?.url ?? null;
  ctx.log.info(
    {
      version: gatewayVersion(),
      store: config.store.kind,
      redis: withoutCredentials(config.redis.url),
      redisPersistence: await persistenceWithin(queue, STARTUP_PROBE_MS),
      partners: ctx.directory.list().length,
      directory: config.directory.network ? 'network' : 'static',
      listen: url ? [url] : [],
      url,
      metricsUrl,
      http: roles.http,
      workers: roles.workers,
    },
    'gateway started',
  );

  let closing: Promise<void> | null = null;
  return {
    ctx,
    queue,
    roles,
    server,
    metricsUrl,
    worker,
    sealer,
    screening,
    url,
    firstSweep: (sweep as ReturnType<typeof startOrphanSweep> | null)?.firstPass ?? null,
    close() {
      closing ??= running.stop().then(() => ctx.log.info('gateway stopped'));
      return closing;
    },
  };
}
