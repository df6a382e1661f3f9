/**
 * The delivery queue (BullMQ on Redis): ONE job per outbound message, jobId = the message id, so a
 * second enqueue of the same message (outbox recovery racing the submission path, a retried request)
 * is a no-op. The job carries references only (id, partner, departure) — the message itself stays in
 * the store, sealed, so no personal data sits in Redis.
 *
 * Order: BullMQ priority from the departure time (src/domain/delivery/priority.ts). Retries are not
 * BullMQ attempts: the worker moves the job back to `delayed` itself (./delivery-worker.ts), so the
 * job keeps its priority and its retry schedule follows src/domain/delivery/retry-policy.ts exactly.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { OutboundRecord } from '../../ports/store/index.js';
import type {
  DeliveryJob,
  DeliveryJobs,
  DeliveryProcessor,
  DeliveryWorkOptions,
  JobPresence,
  QueueStats,
} from '../../ports/queue.js';
import type { QueueWorker } from '../../ports/worker.js';
import { deliveryPriority } from '../../domain/delivery/priority.js';
import { bullConnection, quitConnection } from './connection.js';
import { startDeliveryJobWorker } from './delivery-worker.js';
import { PartnerCircuits } from './partner-circuits.js';
import { onBullError, RedisLink, type Persistence } from './redis-link.js';

export const DELIVERY_QUEUE_NAME = 'tnx-delivery';

export type DeliveryJobData = DeliveryJob;

/**
 * The enqueue time (`timestamp`, epoch ms) of the oldest job ready to run, or -1. Jobs with a priority
 * sit in a sorted set by priority, not by age, so every waiting job is looked at: one script, inside
 * Redis, a few milliseconds for ten thousand jobs, run at the metrics interval only.
 */
const OLDEST_WAITING = `
local oldest = -1
local function look(id)
  local ts = tonumber(redis.call('HGET', ARGV[1] .. id, 'timestamp'))
  if ts and (oldest < 0 or ts < oldest) then oldest = ts end
end
for _, id in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do look(id) end
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do look(id) end
return oldest`;

export interface QueueSettings {
  /** Redis URL (config.redis.url). */
  url: string;
  /** Key prefix (config.redis.prefix): several gateways can share one Redis. */
  prefix: string;
  /** Queue name; tests may isolate with their own. */
  name?: string;
  /** Where Redis state changes are logged (one line per change). */
  log?: Logger;
}

export const JOB_DEFAULTS: JobsOptions = {
  // Only our own unexpected errors reach BullMQ's retry (see delivery-worker.ts); the processor handles
  // delivery outcomes itself. The custom strategy applies the same full-jitter maths.
  attempts: 1_000,
  backoff: { type: 'tnx-full-jitter' },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** BullMQ's states of a job that is over: it still holds its id. `unknown` = no such job. */
const FINISHED = new Set(['completed', 'failed']);

export class DeliveryQueue implements DeliveryJobs {
  readonly name: string;
  readonly prefix: string;
  readonly url: string;
  readonly #connection: Redis;
  readonly #queue: Queue<DeliveryJobData>;
  readonly #link: RedisLink;
  /** The partners' circuits and waiting jobs (./partner-circuits.ts). */
  readonly circuits: PartnerCircuits;

  constructor(settings: QueueSettings) {
    this.name = settings.name ?? DELIVERY_QUEUE_NAME;
    this.prefix = settings.prefix;
    this.url = settings.url;
    this.#connection = bullConnection(settings.url);
    this.#link = new RedisLink(this.#connection, settings.log ?? null);
    this.#queue = new Queue<DeliveryJobData>(this.name, {
      connection: this.#connection,
      prefix: this.prefix,
      defaultJobOptions: JOB_DEFAULTS,
    });
    onBullError(this.#queue, settings.log ?? null, 'delivery queue');
    this.circuits = new PartnerCircuits(this.#connection, this.#queue);
  }

  static fromConfig(config: { redis: { url: string; prefix: string } }, name?: string): DeliveryQueue {
    return new DeliveryQueue({ url: config.redis.url, prefix: config.redis.prefix, ...(name ? { name } : {}) });
  }

  /** False once Redis is known unreachable (from connection events), until it answers again. */
  available(): boolean {
    return this.#link.available;
  }

  /** Called when Redis comes back as a different server run: its jobs may be gone. Returns an unsubscribe. */
  onRestart(listener: (info: { previousRunId: string; runId: string }) => void): () => void {
    return this.#link.onRestart(listener);
  }

  /** Whether the Redis server persists anything (AOF, RDB snapshots). */
  persistence(): Promise<Persistence> {
    return this.#link.persistence();
  }

  /** The BullMQ queue (for tests). */
  get queue(): Queue<DeliveryJobData> {
    return this.#queue;
  }

  /** Idempotent: one job per message id, whatever the number of calls. */
  async enqueue(record: Pick<OutboundRecord, 'id' | 'partner' | 'departureAt'>): Promise<void> {
    await this.#queue.add(
      'deliver',
      { id: record.id, partner: record.partner, departureAt: record.departureAt },
      { jobId: record.id, priority: deliveryPriority(record.departureAt) },
    );
  }

  /**
   * Remove a waiting or delayed job. Returns true when a job was removed. An active job cannot be
   * removed (it is locked); it re-reads the record before each attempt and stops when the record is
   * `cancelled` — the caller transitions the record first, then calls cancel().
   */
  async cancel(id: string): Promise<boolean> {
    return (await this.#queue.remove(id)) === 1;
  }

  /** Jobs not yet finished and not in flight: waiting + prioritized + delayed. */
  async depth(): Promise<number> {
    return this.#queue.getJobCountByTypes('waiting', 'prioritized', 'delayed');
  }

  async stats(now: number): Promise<QueueStats> {
    const q = this.#queue;
    const [counts, oldest] = await Promise.all([
      q.getJobCounts('waiting', 'prioritized', 'delayed'),
      this.#connection.eval(OLDEST_WAITING, 2, q.toKey('wait'), q.toKey('prioritized'), q.toKey('')) as Promise<number>,
    ]);
    const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    return {
      depth: waiting + (counts.delayed ?? 0),
      waiting,
      oldestWaitingSeconds: oldest < 0 ? 0 : Math.max(0, (now - oldest) / 1000),
    };
  }

  /** Jobs ready to run now (waiting or prioritized): how far the workers are behind. */
  async ready(): Promise<number> {
    return this.#queue.getJobCountByTypes('waiting', 'prioritized');
  }

  /** One Redis round trip: BullMQ answers `unknown` for a job id it does not hold. */
  async presence(id: string): Promise<JobPresence> {
    const state = await this.#queue.getJobState(id);
    if (state === 'unknown') return 'missing';
    return FINISHED.has(state) ? 'finished' : 'live';
  }

  async discard(id: string): Promise<void> {
    const job = await this.#queue.getJob(id);
    await job?.remove();
  }

  release(partner: string): Promise<number> {
    return this.circuits.release(partner);
  }

  work(process: DeliveryProcessor, options: DeliveryWorkOptions): QueueWorker {
    return startDeliveryJobWorker(
      { name: this.name, prefix: this.prefix, url: this.url, circuits: this.circuits },
      process,
      options,
    );
  }

  async ping(): Promise<void> {
    await this.#connection.ping();
  }

  async close(): Promise<void> {
    await this.#queue.close();
    await quitConnection(this.#connection);
  }
}
