/**
 * Keyset pagination shared by both adapters. A cursor is the sort key of the last item of a page,
 * base64url-encoded JSON, so the next page starts strictly after it: no OFFSET (which skips or
 * repeats rows when new rows arrive between pages, and costs O(offset) per page).
 *
 *   time cursor:  ["t", <createdAt|receivedAt epoch ms>, <id>]   (lists, newest first)
 *   seq cursor:   ["s", <seq>]                                    (audit query without a time range)
 *   at cursor:    ["a", <at epoch ms>, <seq>]                     (audit query with a time range)
 *
 * Cursors are opaque to callers; a cursor that does not decode is a caller error (invalid_request),
 * not a 500.
 */
import { tnxError } from '../../core/errors.js';

/** Largest page any list/query returns; larger requests are refused rather than silently cut. */
export const MAX_PAGE_LIMIT = 10_000;

/** Sort key of the audit query with a time range: (at, seq), both descending. */
export interface AtSeqKey {
  at: number;
  seq: number;
}

export interface TimeKey {
  t: number;
  id: string;
}

export function checkLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw tnxError('invalid_request', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`, { pointer: 'limit' });
  }
  return limit;
}

export function encodeTimeCursor(key: TimeKey): string {
  return Buffer.from(JSON.stringify(['t', key.t, key.id])).toString('base64url');
}

export function encodeSeqCursor(seq: number): string {
  return Buffer.from(JSON.stringify(['s', seq])).toString('base64url');
}

export function encodeAtSeqCursor(key: AtSeqKey): string {
  return Buffer.from(JSON.stringify(['a', key.at, key.seq])).toString('base64url');
}

export function decodeTimeCursor(cursor: string | null | undefined): TimeKey | null {
  if (cursor === null || cursor === undefined) return null;
  const v = decode(cursor);
  if (v.length !== 3 || v[0] !== 't' || !Number.isSafeInteger(v[1]) || typeof v[2] !== 'string' || v[2].length > 256) {
    throw badCursor();
  }
  return { t: v[1] as number, id: v[2] };
}

export function decodeSeqCursor(cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined) return null;
  const v = decode(cursor);
  if (v.length !== 2 || v[0] !== 's' || !Number.isSafeInteger(v[1]) || (v[1] as number) < 1) throw badCursor();
  return v[1] as number;
}

/** An "a" cursor only: a seq cursor (from a query without a time range) is refused, not reinterpreted. */
export function decodeAtSeqCursor(cursor: string | null | undefined): AtSeqKey | null {
  if (cursor === null || cursor === undefined) return null;
  const v = decode(cursor);
  if (
    v.length !== 3 ||
    v[0] !== 'a' ||
    !Number.isSafeInteger(v[1]) ||
    !Number.isSafeInteger(v[2]) ||
    (v[2] as number) < 1
  ) {
    throw badCursor();
  }
  return { at: v[1] as number, seq: v[2] as number };
}

/** Cut a page fetched with limit + 1 rows into items and the next cursor. */
export function toPage<T>(rows: T[], limit: number, keyOf: (last: T) => string): { items: T[]; next: string | null } {
  if (rows.length <= limit) return { items: rows, next: null };
  const items = rows.slice(0, limit);
  return { items, next: keyOf(items[items.length - 1] as T) };
}

function decode(cursor: string): unknown[] {
  if (typeof cursor !== 'string' || cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(v)) throw badCursor();
  return v;
}

function badCursor() {
  return tnxError('invalid_request', 'cursor is not valid for this list', { pointer: 'cursor' });
}
