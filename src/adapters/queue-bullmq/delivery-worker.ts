/**
 * The BullMQ worker of the delivery queue. The feature's processor (src/features/delivery/worker.ts)
 * decides what happens to a message; this module turns its DeliveryOutcome into BullMQ's moves:
 *
 *   done    → the job completes (its value: the record's state);
 *   delay   → job.moveToDelayed + DelayedError: the job waits in `delayed`, keeping its departure
 *             priority, and runs again at the time the retry policy chose; a wait on an open
 *             circuit also parks it among its partner's waiting jobs (./partner-circuits.ts), so
 *             that the circuit closing wakes it at once;
 *   failed  → UnrecoverableError: the record is `failed` and its alert raised, BullMQ must not retry.
 *
 * BullMQ's own attempts and backoff (custom strategy, the same full-jitter maths) only cover errors
 * escaping the processor — our store or Redis failing mid-way — so nothing is lost. Shutdown is
 * bounded (./bounded-close.ts): in-flight attempts finish, or are aborted through the signal the
 * processor was given.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { DeliveryJob, DeliveryProcessor, DeliveryWorkOptions } from '../../ports/queue.js';
import type { QueueWorker } from '../../ports/worker.js';
import { fullJitterDelay } from '../../domain/delivery/retry-policy.js';
import { closeBounded } from './bounded-close.js';
import { onBullError } from './redis-link.js';
import { bullConnection, quitConnection } from './connection.js';
import type { PartnerCircuits } from './partner-circuits.js';

export function startDeliveryJobWorker(
  queue: { name: string; prefix: string; url: string; circuits: PartnerCircuits },
  process: DeliveryProcessor,
  options: DeliveryWorkOptions,
): QueueWorker {
  const { log, backoff, random } = options;
  const connection = bullConnection(queue.url);
  const abort = new AbortController();

  const processor = async (job: Job<DeliveryJob>, token?: string): Promise<string> => {
    const outcome = await process(job.data, abort.signal);
    const { circuits } = queue;
    // A job run before was delayed, maybe parked: forget it once it is over (one round trip, not per job).
    const wasDelayed = job.attemptsStarted > 1;
    switch (outcome.next) {
      case 'done':
        if (wasDelayed) await circuits.unpark(job.data.partner, job.data.id);
        return outcome.state;
      case 'delay':
        // BullMQ schedules on real time, whatever the gateway's clock says.
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        if (outcome.why === 'circuit_open') await circuits.park(job.data.partner, job.data.id, job.data.departureAt);
        throw new DelayedError();
      case 'failed':
        if (wasDelayed) await circuits.unpark(job.data.partner, job.data.id);
        throw new UnrecoverableError(outcome.reason);
    }
  };

  const worker = new Worker<DeliveryJob>(queue.name, processor, {
    connection,
    prefix: queue.prefix,
    concurrency: options.concurrency,
    autorun: options.autorun,
    settings: {
      backoffStrategy: (attemptsMade: number) => Math.max(1, fullJitterDelay(attemptsMade, backoff, random)),
    },
  });
  onBullError(worker, log, 'delivery worker');
  worker.on('failed', (job, err) => {
    if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError') return;
    log.error({ messageId: job?.data.id, err }, 'delivery job error (BullMQ will retry)');
  });

  let closing: Promise<void> | null = null;
  return {
    run() {
      if (!worker.isRunning()) void worker.run().catch((err: unknown) => log.error({ err }, 'delivery worker stopped'));
    },
    close() {
      closing ??= closeBounded(worker, abort, options.shutdownTimeoutMs, log, 'delivery').finally(() =>
        quitConnection(connection),
      );
      return closing;
    },
  };
}
