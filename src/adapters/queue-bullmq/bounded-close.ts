/**
 * Closing a BullMQ worker without hanging shutdown: stop taking jobs and let those in flight finish
 * for up to `timeoutMs`; then abort them (their processors see the signal, their HTTP requests stop,
 * and their jobs go back to `delayed` as ordinary transient failures — or, if Redis is gone, come back
 * through BullMQ's stalled-job check in another process) and force the worker closed.
 */
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';

/** How long aborted jobs get to record their failure before the worker is forced closed. */
const AFTER_ABORT_MS = 2_000;

export async function closeBounded(
  worker: Worker,
  abort: AbortController,
  timeoutMs: number,
  log: Logger,
  what: string,
): Promise<void> {
  const graceful = worker.close();
  if (await within(graceful, timeoutMs)) return;
  log.warn({ timeoutMs }, `${what} shutdown: in-flight attempts aborted after the bounded wait`);
  abort.abort();
  await within(graceful, AFTER_ABORT_MS);
  await worker.close(true);
}

/** True when `p` settled within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = await Promise.race([
    p.then(() => false),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(true), ms);
    }),
  ]);
  clearTimeout(timer);
  return !expired;
}
