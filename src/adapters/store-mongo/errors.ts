/**
 * MongoDB / mongoose failures → TnxError. Driver messages can quote key values (E11000 echoes the
 * duplicate key), so they go to `cause` for the log only.
 */
import { isTnxError, tnxError, type TnxError } from '../../core/errors.js';

export function isDuplicateKey(err: unknown, field?: string): boolean {
  const e = err as { code?: unknown; keyPattern?: Record<string, unknown>; writeErrors?: { code?: unknown }[] } | null;
  if (!e) return false;
  const dup =
    e.code === 11000 ||
    (Array.isArray(e.writeErrors) && e.writeErrors.length > 0 && e.writeErrors.every((w) => w.code === 11000));
  if (!dup) return false;
  return field === undefined || (e.keyPattern !== undefined && field in e.keyPattern);
}

export function mapMongoError(err: unknown, what: string): TnxError {
  if (isTnxError(err)) return err;
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'ValidationError' || name === 'CastError' || name === 'StrictModeError') {
    return tnxError('invalid_request', `${what}: value refused by the schema`, { cause: err });
  }
  if (isDuplicateKey(err))
    return tnxError('conflict', `${what}: a record with this key already exists`, { cause: err });
  return tnxError('store_unavailable', `${what}: store unavailable`, { cause: err });
}

export async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapMongoError(err, what);
  }
}
