/**
 * The one way to run a pass periodically inside this process (outbox recovery, orphan sweep, the
 * at-risk scan, the queue-depth gauge, the checkpoint sealer, the screening index rebuild): the
 * timer is unref'd so it never keeps a process alive, a slow pass never stacks another on top of
 * itself, a failing pass is logged and the next one runs as planned, and `stop()` waits for a pass in
 * progress so shutdown never closes the store under it.
 *
 * Work that must run once across all processes is a scheduled job instead (src/ports/jobs.ts).
 */
export interface PeriodicRun<T> {
  /** The start-up pass (resolves to its result, or `fallback` when it failed or `immediate` is false). */
  firstPass: Promise<T>;
  stop(): Promise<void>;
}

export interface PeriodicOptions<T> {
  intervalMs: number;
  /** false: the first pass runs one interval after start, not at once. Default true. */
  immediate?: boolean;
  /** Result of a pass that threw. */
  fallback: T;
  onError: (err: unknown) => void;
}

export function startPeriodic<T>(pass: (first: boolean) => Promise<T>, options: PeriodicOptions<T>): PeriodicRun<T> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = false;
  const run = (first: boolean): Promise<T> => {
    busy = true;
    const p = pass(first)
      .catch((err: unknown) => {
        options.onError(err);
        return options.fallback;
      })
      .finally(() => {
        busy = false;
      });
    running = p;
    return p;
  };
  const immediate = options.immediate ?? true;
  const firstPass = immediate ? run(true) : Promise.resolve(options.fallback);
  let first = !immediate;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    void run(first);
    first = false;
  }, options.intervalMs);
  timer.unref();
  return {
    firstPass,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
