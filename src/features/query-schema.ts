/**
 * The one query parser of the local API, driven by each route's query schema (a small JSON-Schema-like
 * object). Parameters are checked by allow-list: an unknown one is refused (a typo like `?partnr=FRA`
 * must not silently widen a query), every value has one expected shape, and a refusal names a known
 * parameter in its pointer (an unknown one gets the fixed pointer `query`) but never echoes a value or
 * an unknown name (either may be a name or a document number).
 */
import { TnxError } from '../core/errors.js';
import { PURPOSE_TEXT } from '../domain/registry/registry-events.js';

export const STATE_CODE = /^[A-Z]{3}$/;
export const ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const CURSOR = /^[A-Za-z0-9_=-]{1,512}$/;

/**
 * The purpose of a consultation, one rule for every route that takes one: it is stored in the audit
 * trail, so no control characters (NUL, CR, LF would forge or break audit lines) and a bounded length.
 */
export const PURPOSE = {
  type: 'string',
  maxLength: 200,
  pattern: PURPOSE_TEXT,
  what: 'printable text without control characters',
} as const satisfies QueryParam;

/** An id in a filter: anything else names nothing that exists. */
export const ID_FILTER = { type: 'string', pattern: ID, what: 'an id' } as const satisfies QueryParam;
export const STATE_FILTER = {
  type: 'string',
  pattern: STATE_CODE,
  what: 'an ISO 3166-1 alpha-3 code',
} as const satisfies QueryParam;

/**
 * The period and paging parameters every list shares: `from`/`to` bound the list's own time field,
 * `cursor` continues a previous page, `limit` is bounded per list (an export wants more rows per page
 * than a screen).
 */
export function pagedPeriod<const M extends number, const D extends number>(maximum: M, defaultLimit: D) {
  return {
    from: { type: 'date-or-instant' },
    to: { type: 'date-or-instant' },
    limit: { type: 'integer', minimum: 1, maximum, default: defaultLimit },
    cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
  } as const satisfies QuerySchema;
}

export type QueryParam =
  /** `what` completes "<name> must be …" when the pattern does not match. */
  | { type: 'string'; pattern?: RegExp; what?: string; maxLength?: number; required?: boolean }
  | { type: 'integer'; minimum: number; maximum: number; default?: number }
  /**
   * Every date filter: YYYY-MM-DD (that day's UTC midnight) or an RFC 3339 date-time with an offset,
   * alike on every route → epoch ms. One convention, so `from=2026-12-01` works wherever a range does.
   */
  | { type: 'date-or-instant'; required?: boolean }
  /** One of `values`; with `list`, a comma-separated list of them. */
  | { type: 'enum'; values: readonly string[]; list?: boolean };

export type QuerySchema = Readonly<Record<string, QueryParam>>;

type EnumOf<P, V> = P extends { list: true }
  ? V[]
  : 'list' extends keyof P
    ? P extends { list?: false }
      ? V
      : V | V[]
    : V;
type ValueOf<P> = P extends { type: 'integer' | 'date-or-instant' }
  ? number
  : P extends { type: 'enum'; values: readonly (infer V)[] }
    ? EnumOf<P, V>
    : string;
type Present<P> = P extends { required: true } ? true : P extends { default: number } ? true : false;

/** The typed query a handler receives: required and defaulted parameters are always there. */
export type QueryOf<S extends QuerySchema> = {
  -readonly [K in keyof S as Present<S[K]> extends true ? K : never]: ValueOf<S[K]>;
} & {
  -readonly [K in keyof S as Present<S[K]> extends true ? never : K]?: ValueOf<S[K]>;
};

const refuse = (name: string, message: string, detail?: Record<string, unknown>): TnxError =>
  new TnxError('invalid_request', message, { pointer: `query/${name}`, ...(detail ? { detail } : {}) });

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD (UTC midnight) or an RFC 3339 date-time → epoch ms; also the CLI's reading of --from/--to. */
export function dateOrInstant(v: unknown, name: string): number {
  if (typeof v === 'string') {
    // A calendar date that does not exist (2026-02-30) is refused, not rolled into the next month.
    if (DATE.test(v)) {
      const t = Date.parse(`${v}T00:00:00Z`);
      if (Number.isFinite(t) && new Date(t).toISOString().startsWith(v)) return t;
    } else if (RFC3339.test(v)) {
      const t = Date.parse(v);
      if (Number.isFinite(t)) return t;
    }
  }
  throw refuse(name, `${name} must be a date (YYYY-MM-DD) or an RFC 3339 date-time with offset`);
}

function enumValue(v: string, name: string, values: readonly string[]): string {
  if (!values.includes(v)) throw refuse(name, `${name} must be one of: ${values.join(', ')}`, { allowed: values });
  return v;
}

function valueOf(p: QueryParam, v: string, name: string): string | number | string[] {
  switch (p.type) {
    case 'string':
      if (p.maxLength !== undefined && v.length > p.maxLength)
        throw refuse(name, `${name} must be one string of at most ${p.maxLength} characters`);
      if (p.pattern && !p.pattern.test(v)) throw refuse(name, `${name} must be ${p.what ?? 'well-formed'}`);
      return v;
    case 'integer':
      if (!/^\d{1,15}$/.test(v) || Number(v) < p.minimum || Number(v) > p.maximum)
        throw refuse(name, `${name} must be an integer ${p.minimum}..${p.maximum}`, { limit: p.maximum });
      return Number(v);
    case 'date-or-instant':
      return dateOrInstant(v, name);
    case 'enum':
      return p.list ? v.split(',').map((s) => enumValue(s, name, p.values)) : enumValue(v, name, p.values);
  }
}

/**
 * Check a raw query (as a web framework hands it over) against `schema` and return the typed values.
 * Unknown names and repeated or structured values are refused before any value is looked at.
 */
export function readQuery<S extends QuerySchema>(schema: S, raw: unknown): QueryOf<S> {
  const given = (raw ?? {}) as Record<string, unknown>;
  const allowed = Object.keys(schema);
  for (const [k, v] of Object.entries(given)) {
    // The name itself is input (it may be markup or a name typed in the wrong place): the pointer
    // stays fixed, and the allowed names say what was expected.
    if (!Object.hasOwn(schema, k))
      throw new TnxError('invalid_request', `unknown query parameter (allowed: ${allowed.join(', ') || 'none'})`, {
        pointer: 'query',
        detail: { allowed },
      });
    if (typeof v !== 'string') throw refuse(k, 'give each query parameter once, as a plain value');
  }
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, p] of Object.entries(schema)) {
    const v = Object.hasOwn(given, name) ? (given[name] as string) : undefined;
    if (v !== undefined) out[name] = valueOf(p, v, name);
    else if (p.type === 'integer' && p.default !== undefined) out[name] = p.default;
    else if ('required' in p && p.required) {
      // A missing date or instant gets the same answer as a malformed one: it says what is expected.
      if (p.type !== 'string') valueOf(p, '', name);
      throw refuse(name, `${name} is required`);
    }
  }
  return out as QueryOf<S>;
}
