/**
 * The one way to run a job on a schedule across processes (registry retention, manifest retention).
 * Every process may schedule the same name: there is one schedule per name however many processes
 * do, and at most one run of it at a time in the whole cluster, so a pass slower than its period
 * never overlaps itself. A run must still be idempotent: a process dying mid-run means the next run
 * does the rest.
 *
 * Passes that belong to one process only (outbox recovery, orphan sweep, the at-risk scan, the
 * checkpoint sealer) run in process through src/core/periodic.ts instead.
 */
export interface ScheduledJobs {
  /** Run `run` every `everyMs` from now on; a failing run is logged and the next one runs as planned. */
  schedule(name: string, everyMs: number, run: () => Promise<unknown>): Promise<ScheduledJob>;
}

export interface ScheduledJob {
  readonly name: string;
  /** Stop running it in this process (waits for a run in progress); the schedule stays for the others. */
  stop(): Promise<void>;
}
