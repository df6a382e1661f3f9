/**
 * Query-string parameters of the local API, checked by allow-list: an unknown parameter is refused
 * (a typo like `?partnr=FRA` must not silently widen a query), every value has one expected shape.
 */
import { TnxError } from '../core/errors.js';

export type QueryValue = string | undefined;

export function readQuery(query: unknown, allowed: readonly string[]): Record<string, QueryValue> {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: Record<string, QueryValue> = Object.create(null) as Record<string, QueryValue>;
  for (const [k, v] of Object.entries(q)) {
    if (!allowed.includes(k)) {
      throw new TnxError('invalid_request', `unknown query parameter (allowed: ${allowed.join(', ')})`, {
        pointer: `query/${k}`,
        detail: { allowed },
      });
    }
    if (typeof v !== 'string')
      throw new TnxError('invalid_request', 'give each query parameter once, as a plain value', {
        pointer: `query/${k}`,
      });
    out[k] = v;
  }
  return out;
}

/** RFC 3339 date-time or epoch milliseconds → epoch ms. */
export function timeParam(v: QueryValue, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d{1,15}$/.test(v)) return Number(v);
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t))
    throw new TnxError('invalid_request', 'expected an RFC 3339 date-time with offset, or epoch milliseconds', {
      pointer: `query/${name}`,
    });
  return t;
}

export function limitParam(v: QueryValue, def = 50, max = 500): number {
  if (v === undefined) return def;
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new TnxError('invalid_request', `limit must be an integer 1..${max}`, {
      pointer: 'query/limit',
      detail: { limit: max },
    });
  }
  return Number(v);
}

export function patternParam(v: QueryValue, name: string, re: RegExp, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (!re.test(v)) throw new TnxError('invalid_request', `${name} must be ${what}`, { pointer: `query/${name}` });
  return v;
}

export function enumParam<T extends string>(v: QueryValue, name: string, values: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw new TnxError('invalid_request', `${name} must be one of: ${values.join(', ')}`, {
      pointer: `query/${name}`,
      detail: { allowed: values },
    });
  }
  return v as T;
}

export const STATE_CODE = /^[A-Z]{3}$/;
export const ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const CURSOR = /^[A-Za-z0-9_=-]{1,512}$/;
