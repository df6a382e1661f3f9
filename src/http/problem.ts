/**
 * The one function that turns errors into responses: RFC 9457 `application/problem+json`.
 * (node-oidc-provider lib/helpers/err_out.js.)
 *
 * An exposed TnxError keeps its code, title, message and pointer. Anything else — a bug, a driver
 * error, a TnxError marked `expose: false` — becomes a generic `internal_error` (or the code's own
 * status with its fixed title) carrying only the request id; the cause goes to the log, never to the
 * caller, because causes can quote input and input can be personal data.
 */
import { ERROR_CODES, TnxError, type ErrorCode } from '../core/errors.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
/** Problem `type` URIs are stable per code; SPEC.md documents the table. */
export const PROBLEM_TYPE_BASE = 'urn:tnx:problem:';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  /** The request id, so an operator can find the log line. */
  instance: string;
  /** JSON pointer of the offending field, when known. */
  pointer?: string;
  /** Whether the sender should retry (TNX/1 senders key their retry policy on it). */
  retry: boolean;
  [extra: string]: unknown;
}

export interface ProblemResult {
  status: number;
  body: ProblemDocument;
  /** Set when the error was not one we meant to show: the caller logs it at error level. */
  unexpected: boolean;
}

/** Extension members a problem may carry from `TnxError.detail`; anything else is dropped. */
const DETAIL_ALLOW = new Set([
  'allowed',
  'accepted',
  'limit',
  'position',
  'line',
  'column',
  'depth',
  'expected',
  'reasons',
  'checks',
  'directory',
  'header',
  // every schema violation of a body ({pointer, code, detail}, bounded) and how many there were
  'errors',
  'errorCount',
  // why an envelope's JSON was refused (a strict-JSON code, SPEC §4.3); never set on envelope_rejected
  'reason',
  'progress',
  'retryAfterSeconds',
]);

/**
 * Express/body-parser style errors (`type`, `status`) that reach the handler are mapped to our codes
 * so a malformed request never shows up as a 500.
 */
function fromForeign(err: unknown): TnxError | null {
  if (!err || typeof err !== 'object') return null;
  // A path escape the router could not decode; no cause kept, as its message quotes the raw path.
  if (err instanceof URIError) return new TnxError('malformed_path');
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown };
  if (e.type === 'entity.too.large') return new TnxError('payload_too_large', undefined, { cause: err });
  if (e.type === 'entity.parse.failed') return new TnxError('malformed_json', undefined, { cause: err });
  if (e.type === 'request.aborted') return new TnxError('invalid_request', 'request aborted', { cause: err });
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new TnxError('unsupported_media_type', undefined, { cause: err });
  }
  return null;
}

export function toProblem(err: unknown, requestId: string): ProblemResult {
  const known = err instanceof TnxError ? err : fromForeign(err);
  if (!known) {
    const spec = ERROR_CODES.internal_error;
    return {
      status: spec.status,
      unexpected: true,
      body: {
        type: PROBLEM_TYPE_BASE + 'internal_error',
        title: spec.title,
        status: spec.status,
        code: 'internal_error',
        instance: requestId,
        retry: spec.retry,
      },
    };
  }
  const body: ProblemDocument = {
    type: PROBLEM_TYPE_BASE + known.code,
    title: ERROR_CODES[known.code].title,
    status: known.status,
    code: known.code,
    instance: requestId,
    retry: known.retry,
  };
  if (known.expose) {
    if (known.message && known.message !== body.title) body.detail = known.message;
    if (known.pointer !== undefined) body.pointer = known.pointer;
    for (const [k, v] of Object.entries(known.detail ?? {})) if (DETAIL_ALLOW.has(k)) body[k] = v;
  }
  return { status: known.status, body, unexpected: !known.expose };
}
