/**
 * SQLite failures → TnxError. The driver message may quote values (a CHECK or UNIQUE failure names
 * columns, and some errors echo data), so it goes to `cause` for the log only.
 */
import { isTnxError, tnxError, type TnxError } from '../../core/errors.js';

export function mapSqliteError(err: unknown, what: string): TnxError {
  if (isTnxError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
      return tnxError('not_found', `${what}: referenced record does not exist`, { cause: err });
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      return tnxError('conflict', `${what}: a record with this key already exists`, { cause: err });
    }
    if (code.startsWith('SQLITE_CONSTRAINT'))
      return tnxError('invalid_request', `${what}: value refused by the schema`, { cause: err });
  }
  // SQLITE_BUSY past busy_timeout, I/O errors, a full disk, a corrupt file: the store is not usable now.
  return tnxError('store_unavailable', `${what}: store unavailable`, { cause: err });
}

/** Run a synchronous statement, turning driver errors into TnxErrors; async so callers always await. */
export async function guard<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    // `await`: a group-committed write (./write-batch.ts) fails as a rejection, not a throw.
    return await fn();
  } catch (err) {
    throw mapSqliteError(err, what);
  }
}
