/**
 * Scheduled jobs (src/ports/jobs.ts) on BullMQ job schedulers. Each name gets its queue
 * (`tnx-<name>`) and a scheduler with the fixed id `<name>`: upserting it again from another process
 * changes nothing, so there is one schedule however many processes run. The queue's global
 * concurrency is 1, so a run slower than its period never overlaps the next one, even when the next
 * one is picked up by another process.
 *
 * Every queue and worker of one instance shares one Redis connection (BullMQ adds the blocking
 * connection each worker needs), instead of two connections per job.
 */
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ScheduledJob, ScheduledJobs } from '../../ports/jobs.js';
import { bullConnection, quitConnection } from './connection.js';
import { onBullError } from './redis-link.js';

/** Finished runs kept for operators to look at. */
const KEEP = { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } };

export class BullScheduledJobs implements ScheduledJobs {
  readonly prefix: string;
  readonly #log: Logger;
  readonly #connection: Redis;
  readonly #running = new Set<ScheduledJob>();

  constructor(settings: { url: string; prefix: string; log: Logger }) {
    this.prefix = settings.prefix;
    this.#log = settings.log;
    this.#connection = bullConnection(settings.url);
  }

  /** The queue that holds the schedule and the runs of `name`. */
  static queueName(name: string): string {
    return `tnx-${name}`;
  }

  async schedule(name: string, everyMs: number, run: () => Promise<unknown>): Promise<ScheduledJob> {
    const queueName = BullScheduledJobs.queueName(name);
    const log = this.#log.child({ job: name });
    const queue = new Queue(queueName, { connection: this.#connection, prefix: this.prefix });
    const worker = new Worker(queueName, run, { connection: this.#connection, prefix: this.prefix, concurrency: 1 });
    onBullError(queue, log, 'scheduled job queue');
    onBullError(worker, log, 'scheduled job worker');
    worker.on('failed', (_job, err) => log.error({ err }, 'scheduled job run failed'));
    const stop = async (): Promise<void> => {
      this.#running.delete(job);
      await worker.close();
      await queue.close();
    };
    const job: ScheduledJob = { name, stop };
    this.#running.add(job);
    try {
      await queue.setGlobalConcurrency(1);
      await queue.upsertJobScheduler(name, { every: everyMs }, { name, opts: KEEP });
    } catch (err) {
      await stop();
      throw err;
    }
    return job;
  }

  /** Stop every job still running here, then close the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.#running].map((j) => j.stop()));
    await quitConnection(this.#connection);
  }
}
