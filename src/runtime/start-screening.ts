/**
 * Manifest screening as one part of a running gateway:
 *
 *   const screening = await startManifestScreening(ctx, queue, { keys });   // after createContext
 *   createApp({ ctx, queue, screening: screening.deps });                    // HTTP side: its routes
 *   // shutdown: await screening.close();
 *
 * It starts building the registry-backed index (every live registrant opened once, in memory only)
 * without waiting for it — the gateway listens at once and screening refuses until it is ready —
 * follows the registry's domain events to keep it current, and — when given the scheduled jobs
 * (processes running workers) — schedules the manifest retention job.
 */
import type { GatewayContext } from '../ports/context.js';
import type { OutboundQueue } from '../ports/queue.js';
import type { ScheduledJobs } from '../ports/jobs.js';
import type { RegistryKeys } from '../domain/registry/registry-keys.js';
import { resolveWeights } from '../domain/screening/config.js';
import { AirportTable } from '../domain/screening/airports.js';
import { RegistryIndex } from '../features/screening/registry-index.js';
import { startManifestRetention, type RetentionJob } from '../features/screening/retention.js';
import type { ScreeningDeps } from '../features/screening/screening-deps.js';
import type { ReadinessCheck } from '../http/handlers/deps.js';

export interface ScreeningOptions {
  keys: RegistryKeys;
  /** Build the index now and follow registry events (processes serving HTTP; default true). */
  index?: boolean;
  /** Run the retention job from this process (omitted: none here). */
  jobs?: ScheduledJobs;
  /** Re-read the whole registry this often, ms (several processes; default: events only). */
  rebuildIntervalMs?: number;
  enqueueTimeoutMs?: number;
}

export interface RunningScreening {
  readonly deps: ScreeningDeps;
  readonly index: RegistryIndex;
  /** For /readyz: not ready, with the build's progress, until the index is built. */
  readonly readiness: ReadinessCheck;
  readonly retention: RetentionJob | null;
  close(): Promise<void>;
}

export async function startManifestScreening(
  ctx: GatewayContext,
  queue: OutboundQueue,
  options: ScreeningOptions,
): Promise<RunningScreening> {
  const weights = resolveWeights(ctx.config.screening.weights);
  const index = new RegistryIndex({
    registry: ctx.store.registry,
    keys: options.keys,
    log: ctx.log,
    priors: weights.frequency,
  });
  const serving = options.index !== false;
  if (serving) index.follow(ctx.events);
  const deps: ScreeningDeps = {
    ctx,
    queue,
    keys: options.keys,
    index,
    airports: new AirportTable(ctx.config.screening.airports),
    weights,
    ...(options.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: options.enqueueTimeoutMs } : {}),
  };
  let retention: RetentionJob | null = null;
  // The build runs while the gateway already listens: /readyz shows its progress and screening
  // answers screening_index_building until it is done; every other route works meanwhile.
  if (serving)
    index.ready().catch((err: unknown) => ctx.log.error({ err }, 'screening index build failed; screening refuses'));
  try {
    if (serving && options.rebuildIntervalMs) index.startPeriodicRebuild(options.rebuildIntervalMs);
    if (options.jobs) retention = await startManifestRetention(ctx, options.jobs);
  } catch (err) {
    index.close();
    throw err;
  }
  return {
    deps,
    index,
    readiness: { name: 'screeningIndex', check: async () => index.requireReady() },
    retention,
    async close() {
      index.close();
      await retention?.close();
    },
  };
}
