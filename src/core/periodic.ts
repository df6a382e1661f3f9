/**
 * A start-up pass plus periodic passes of a background job (outbox recovery, orphan sweep): the timer
 * is unref'd so it never keeps a process alive, a slow pass never stacks another on top of itself,
 * a failing pass is logged and the next one runs as planned, and `stop()` waits for a pass in progress
 * so shutdown never closes the store under it.
 */
export interface PeriodicRun<T> {
  /** The start-up pass (resolves to its result, or `fallback` when it failed). */
  firstPass: Promise<T>;
  stop(): Promise<void>;
}

export interface PeriodicOptions<T> {
  intervalMs: number;
  /** Result of a pass that threw. */
  fallback: T;
  onError: (err: unknown) => void;
}

export function startPeriodic<T>(pass: (first: boolean) => Promise<T>, options: PeriodicOptions<T>): PeriodicRun<T> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
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
  const firstPass = run(true);
  const timer = setInterval(() => {
    if (!busy) void run(false);
  }, options.intervalMs);
  timer.unref();
  return {
    firstPass,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
