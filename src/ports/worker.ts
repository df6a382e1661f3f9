/**
 * A queue consumer running in this process (delivery jobs, webhook posts). `close()` stops taking
 * jobs, lets those in flight finish for a bounded time, then aborts them: an aborted job is not lost,
 * it goes back to the queue for another process.
 */
export interface QueueWorker {
  /** Start taking jobs (when started paused). */
  run(): void;
  close(): Promise<void>;
}
