/**
 * Group commit for the hot writes of one SQLite connection (outbound and inbound records, audit
 * appends). Writes asked for in the same event-loop turn — concurrent HTTP requests and delivery
 * workers — run in ONE `BEGIN IMMEDIATE` transaction, each inside its own savepoint, and each caller's
 * promise settles only after that transaction has committed. So a write is exactly as durable and
 * exactly as atomic as before (its own savepoint: a write that throws is rolled back alone and its
 * caller gets the error; its neighbours commit), but the batch pays for one commit and writes each
 * shared page — the tail pages of the audit chain and of every time-ordered index — to the WAL once
 * instead of once per write.
 *
 * Why: with every lifecycle change carrying its audit events in its own transaction (port AuditWith),
 * each commit rewrote the audit table's index tails, and bench:e2e's sender spent 20 % more CPU per
 * notification than with the audit events group-committed apart (BENCHMARKS.md, 2026-11-28 02:15).
 * This restores the sharing without giving up the atomicity of change + events.
 *
 * If the transaction as a whole fails (the write lock not obtained within busy_timeout, disk full),
 * every write of the batch fails with that error and nothing of the batch is stored.
 */
import type Database from 'better-sqlite3';

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** At most this many writes per transaction, so one batch never holds the write lock for long. */
export const MAX_BATCH_WRITES = 256;

export class WriteBatch {
  #pending: Pending[] = [];
  #scheduled = false;

  constructor(private readonly db: Database.Database) {}

  /** Runs `write` (synchronous, may use nested transactions) in the next batch; settles after commit. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ write, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate, not a microtask: gathers the writes of every callback in this I/O phase.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything pending now (also called before the connection closes). */
  flush(): void {
    this.#scheduled = false;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, MAX_BATCH_WRITES);
      if (!this.db.open) {
        for (const p of batch) p.reject(Object.assign(new Error('the store is closed'), { code: 'SQLITE_MISUSE' }));
        continue;
      }
      this.#commit(batch);
    }
  }

  #commit(batch: Pending[]): void {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.db
        .transaction(() => {
          for (const p of batch) {
            try {
              // Nested: a savepoint, rolled back alone if this write throws.
              outcomes.push({ ok: true, value: this.db.transaction(p.write)() });
            } catch (err) {
              outcomes.push({ ok: false, value: err });
            }
          }
        })
        .immediate();
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.value);
    });
  }
}
