/**
 * A change and its audit events in one MongoDB transaction. On a replica set every repository write
 * given its events (port AuditWith: the function argument, always last) runs inside
 * `connection.transaction()`, and mongoose's transaction AsyncLocalStorage hands the session to every
 * operation in it — the change and the audit repository's head CAS and event inserts alike — so a
 * crash, or events the audit checks refuse, leaves both or neither, as SQLite's one transaction does.
 *
 * A standalone server has no transactions: it is refused at open unless the configuration allows it
 * for development (`store.mongodbAllowStandalone`); then the events are appended right after the
 * change and a crash between the two loses them (docs/operations.md).
 */
import mongoose from 'mongoose';
import { mapMongoError } from './errors.js';

// Sessions follow the transaction's callback without being passed by hand (mongoose docs, transactions).
mongoose.set('transactionAsyncLocalStorage', true);

/** The replica set the server belongs to (`hello`.setName), or null for a standalone server. */
export async function replicaSetName(conn: mongoose.Connection): Promise<string | null> {
  const hello = (await conn.db!.admin().command({ hello: 1 })) as { setName?: unknown; msg?: unknown };
  if (typeof hello.setName === 'string') return hello.setName;
  // A mongos in front of a sharded cluster (whose shards are replica sets) runs transactions too.
  if (hello.msg === 'isdbgrid') return 'mongos';
  return null;
}

interface Labelled {
  hasErrorLabel?: (label: string) => boolean;
  code?: unknown;
  cause?: unknown;
}

/** The driver's retryable transaction error inside a mapped TnxError (guard() keeps it as the cause). */
function transientCause(err: unknown): unknown {
  let e = err as Labelled | undefined;
  for (let depth = 0; depth < 4 && e; depth += 1) {
    if (typeof e.hasErrorLabel === 'function' && e.hasErrorLabel('TransientTransactionError')) return e;
    if (e.code === 112) return e; // WriteConflict
    e = e.cause as Labelled | undefined;
  }
  return null;
}

export type InTransaction = <T>(fn: () => Promise<T>) => Promise<T>;

export function transactionRunner(conn: mongoose.Connection): InTransaction {
  return async (fn) => {
    try {
      // withTransaction retries the callback on a transient error (a write conflict on the audit head
      // with a concurrent appender): rethrow the driver's error so its label is seen.
      return await conn.transaction(async () => {
        try {
          return await fn();
        } catch (err) {
          throw transientCause(err) ?? err;
        }
      });
    } catch (err) {
      throw mapMongoError(err, 'mongodb.transaction');
    }
  };
}

/** The repository with each write that is given its audit events run in one transaction. */
export function withChangeTransactions<R extends object>(repo: R, run: InTransaction): R {
  const out = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(repo)) {
    out[name] =
      typeof value === 'function'
        ? (...args: unknown[]) => {
            const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(repo, args);
            return typeof args.at(-1) === 'function' ? run(call) : call();
          }
        : value;
  }
  return out as R;
}
