/**
 * One running gateway process: context, queue, HTTP side (when roles.http), delivery worker (when
 * roles.workers), outbox recovery, and an orderly shutdown. `tnx serve` and the demo call this, so the
 * process that is tested is the process that runs.
 *
 * Shutdown order: stop accepting requests → stop the outbox pass → let the worker finish or hand back
 * in-flight jobs → close Redis → close the store. Nothing is lost by stopping at any point: records are
 * durable before they are answered, and whatever is still `accepted` is recovered at the next start.
 */
import type { TnxConfig } from '../config/schema.js';
import { DeliveryQueue } from '../delivery/queue.js';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../delivery/worker.js';
import { createApp } from '../http/app.js';
import { listen, type RunningServer } from '../http/server.js';
import { createContext, type CreateContextOptions, type RunningContext } from './create-context.js';
import { startOutboxRecovery } from './outbox.js';
import { InboxPush, startInboxPushWorker } from '../inbox/push.js';

export interface StartOptions extends CreateContextOptions {
  /** Override config.roles (e.g. `--http-only`). */
  roles?: { http: boolean; workers: boolean };
  /** Override the bound port (0 = any free port). */
  port?: number;
  worker?: Omit<DeliveryWorkerOptions, 'queue'>;
  /** Outbox recovery period, ms (default 10 000). */
  outboxIntervalMs?: number;
}

export interface RunningGateway {
  ctx: RunningContext;
  queue: DeliveryQueue;
  /** Base URL of the HTTP side, when it runs. */
  url: string | null;
  server: RunningServer | null;
  worker: DeliveryWorker | null;
  close(): Promise<void>;
}

export async function startGateway(config: TnxConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const roles = options.roles ?? config.roles;
  const ctx = await createContext(config, options);
  const queue = DeliveryQueue.fromConfig(config);
  let server: RunningServer | null = null;
  let worker: DeliveryWorker | null = null;
  let outbox: ReturnType<typeof startOutboxRecovery> | null = null;
  let push: InboxPush | null = null;
  let pushWorker: { close(): Promise<void> } | null = null;
  try {
    if (roles.http) {
      push = config.inbox?.webhookUrl ? new InboxPush(ctx) : null;
      const app = createApp({
        ctx,
        queue,
        readiness: [{ name: 'redis', check: () => queue.ping() }],
        queueDepth: () => queue.depth(),
        ...(push ? { onReceived: push.hook() } : {}),
      });
      server = await listen(app, config, options.port === undefined ? {} : { port: options.port });
    }
    if (roles.workers) {
      worker = startDeliveryWorker(ctx, { ...(options.worker ?? {}), queue });
      pushWorker = startInboxPushWorker(ctx);
    }
    // Whoever runs, recovers: a process that only serves HTTP still owns the outbox of what it accepted.
    outbox = startOutboxRecovery(ctx, queue, { intervalMs: options.outboxIntervalMs ?? 10_000 });
    await outbox.firstPass;
  } catch (err) {
    await server?.close();
    await worker?.close();
    await pushWorker?.close();
    await push?.close();
    await queue.close();
    await ctx.close();
    throw err;
  }
  ctx.log.info({ url: server?.url ?? null, http: roles.http, workers: roles.workers }, 'gateway started');

  let closing: Promise<void> | null = null;
  return {
    ctx, queue, server, worker, url: server?.url ?? null,
    close() {
      closing ??= (async () => {
        await server?.close();
        await outbox?.stop();
        await worker?.close();
        await pushWorker?.close();
        await push?.close();
        await queue.close();
        await ctx.close();
      })();
      return closing;
    },
  };
}
