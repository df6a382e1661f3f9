/**
 * What the gateway knows about its Redis, kept from the connection's own events rather than asked
 * per request: `up` or `down`, and which server run it talks to (INFO server `run_id`).
 *
 * - A state change is logged once, as one structured line (ioredis reconnects every few hundred ms
 *   during an outage; a line per attempt buries everything else).
 * - When the connection comes back to a different `run_id`, Redis restarted; without persistence its
 *   queue is empty while the store still holds live records. Listeners are told at once, so the
 *   records are enqueued again now rather than at the next periodic sweep.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type LinkState = 'starting' | 'up' | 'down';

/** What the server persists: `none` when neither AOF nor RDB snapshots are on. */
export interface Persistence {
  aof: boolean;
  rdb: boolean;
}

/** Connection errors that only say "Redis is not there" (the state change says it better than a stack). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && CONNECTION_CODES.has(code)) return true;
  return /Connection is closed|connect ECONNREFUSED|Stream isn't writeable|Socket closed unexpectedly/.test(
    err.message,
  );
}

export function runIdOf(info: string): string | null {
  return /^run_id:([0-9a-f]+)\s*$/m.exec(info)?.[1] ?? null;
}

/** CONFIG GET when allowed; INFO persistence otherwise (managed Redis often refuses CONFIG). */
export async function persistenceOf(connection: Redis): Promise<Persistence> {
  try {
    const aof = await connection.config('GET', 'appendonly');
    const save = await connection.config('GET', 'save');
    return { aof: aof[1] === 'yes', rdb: (save[1] ?? '').trim() !== '' };
  } catch {
    const info = await connection.info('persistence');
    const aof = /^aof_enabled:1\s*$/m.test(info);
    // INFO cannot tell whether snapshots are configured; a snapshot taken at all is the best sign.
    return { aof, rdb: /^rdb_saves:[1-9]/m.test(info) };
  }
}

/** `aof`, `rdb`, `aof+rdb` or `none`: how logs and checks name it. */
export function persistenceName(p: Persistence): string {
  return p.aof && p.rdb ? 'aof+rdb' : p.aof ? 'aof' : p.rdb ? 'rdb' : 'none';
}

export class RedisLink {
  #state: LinkState = 'starting';
  #runId: string | null = null;
  #since = Date.now();
  readonly #restartListeners = new Set<(info: { previousRunId: string; runId: string }) => void>();

  constructor(
    private readonly connection: Redis,
    private readonly log: Logger | null,
  ) {
    connection.on('error', (err: Error) => this.#down(err));
    connection.on('close', () => this.#down(null));
    connection.on('ready', () => void this.#up());
    if (connection.status === 'ready') void this.#up();
  }

  get state(): LinkState {
    return this.#state;
  }

  /** False only when Redis is known unreachable; `starting` counts as available (try, with the timeout). */
  get available(): boolean {
    return this.#state !== 'down';
  }

  onRestart(listener: (info: { previousRunId: string; runId: string }) => void): () => void {
    this.#restartListeners.add(listener);
    return () => this.#restartListeners.delete(listener);
  }

  persistence(): Promise<Persistence> {
    return persistenceOf(this.connection);
  }

  #down(err: Error | null): void {
    if (this.#state === 'down') return;
    const was = this.#state;
    this.#state = 'down';
    this.#since = Date.now();
    const cause = err ? { code: (err as NodeJS.ErrnoException).code ?? null, message: err.message } : null;
    this.log?.warn({ redis: 'down', was, cause }, 'queue unavailable: Redis unreachable');
  }

  async #up(): Promise<void> {
    let runId: string | null;
    try {
      runId = runIdOf(await this.connection.info('server'));
    } catch {
      return; // the connection went again; its error event says so
    }
    const wasDown = this.#state === 'down';
    const downForMs = Date.now() - this.#since;
    const previousRunId = this.#runId;
    this.#state = 'up';
    this.#runId = runId;
    if (wasDown) this.log?.info({ redis: 'up', downForMs }, 'queue available again');
    if (previousRunId !== null && runId !== null && previousRunId !== runId) {
      for (const l of this.#restartListeners) l({ previousRunId, runId });
    }
  }
}

/**
 * Every BullMQ Queue and Worker needs an 'error' listener: without one BullMQ prints each connection
 * error as a raw multi-line stack on stderr, once per reconnect attempt. Connection errors go to
 * debug (the RedisLink logs the state change once); anything else is a warning.
 */
export function onBullError(
  emitter: { on(event: 'error', listener: (err: Error) => void): unknown },
  log: Logger | null,
  what: string,
  bindings: Record<string, unknown> = {},
): void {
  emitter.on('error', (err: Error) => {
    if (isConnectionError(err)) log?.debug({ ...bindings, err }, `${what}: Redis connection error`);
    else if (/Missing lock for job/.test(err.message))
      // The job's lock expired under it (Redis restarted or wiped, or this process stalled past the lock
      // duration). BullMQ's stalled-job check runs it again and delivery is idempotent: nothing to act on.
      log?.info({ ...bindings, reason: 'lock_lost' }, `${what}: a job lost its lock; BullMQ runs it again`);
    else log?.warn({ ...bindings, err }, `${what} error`);
  });
}
