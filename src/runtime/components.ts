/**
 * The parts of a running process, started in order and stopped in reverse order from ONE list, so
 * that the stop order can never drift from the start order: whatever a part needs was started before
 * it and is stopped after it.
 */
import type { Logger } from 'pino';

export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningComponents {
  /** Stop every started part in reverse order (idempotent); a part that fails to stop is logged, the rest still stop. */
  stop(): Promise<void>;
}

/** Start `parts` in order; if one fails, stop those already started (reverse order) and rethrow. */
export async function startComponents(parts: readonly Component[], log: Logger): Promise<RunningComponents> {
  const started: Component[] = [];
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      for (const part of [...started].reverse()) {
        await part.stop().catch((err: unknown) => log.warn({ err, component: part.name }, 'stop failed'));
      }
    })();
    return stopping;
  };
  for (const part of parts) {
    try {
      await part.start();
    } catch (err) {
      await stop();
      throw err;
    }
    started.push(part);
  }
  return { stop };
}
