/**
 * The ONE place that decides whether a failed delivery attempt is worth retrying (CONVENTIONS.md,
 * "Delivery"; bullmq src/classes/errors/unrecoverable-error.ts).
 *
 *   transient (retry with backoff)   408, 429, 5xx, network errors, timeouts, our own store/Redis
 *                                    trouble, anything unexpected (a notice is never dropped on a bug)
 *   permanent (fail now, alert)      other 4xx, unexpected 1xx/2xx/3xx, a receipt that does not verify
 *                                    (receipt_invalid) or does not match (receipt_mismatch), an
 *                                    unknown partner, a partner without endpoint, a refused endpoint
 *                                    (config_invalid), any other TnxError the spec marks non-retryable,
 *                                    a partner the network directory no longer lists (partner_removed)
 *
 * Redirects are permanent: the endpoint in the directory is authoritative and following a Location to a
 * host nobody vetted would hand personal data to it.
 */
import { isTnxError } from '../../core/errors.js';

export type FailureClass = 'transient' | 'permanent';

export interface Failure {
  class: FailureClass;
  /** Stable, non-personal reason: "http_503", "ECONNREFUSED", "timeout", "receipt_invalid", … */
  reason: string;
  httpStatus: number | null;
  /** Sane Retry-After in ms (429/503 only), else null. */
  retryAfterMs: number | null;
}

/** A transport failure before any HTTP status: connection refused, reset, TLS, timeout, abort. */
export class NetworkError extends Error {
  readonly code: string;
  /**
   * Whether the request had been written to an open connection when it failed, so the partner may hold
   * the message. Unknown counts as written: a cancel sent needlessly is harmless, one withheld is not.
   */
  readonly written: boolean;
  constructor(code: string, options?: { cause?: unknown; written?: boolean }) {
    super(`network error: ${code}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NetworkError';
    this.code = code;
    this.written = options?.written ?? true;
  }
}

/** Retry-After beyond this is not "sane" and is ignored (RFC 9110 §10.2.3 gives no upper bound). */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Returns ms ≥ 0, or null when absent or insane. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return null;
  const text = v.trim();
  let ms: number;
  if (/^\d{1,10}$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (!Number.isFinite(at) || !/GMT$/.test(text)) return null;
    ms = Math.max(0, at - now);
  }
  return ms <= MAX_RETRY_AFTER_MS ? ms : null;
}

/** An HTTP answer other than 200. */
export function classifyStatus(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  now: number,
): Failure {
  const reason = `http_${status}`;
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) {
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after'], now) : null;
    return { class: 'transient', reason, httpStatus: status, retryAfterMs };
  }
  return { class: 'permanent', reason, httpStatus: status, retryAfterMs: null };
}

/**
 * The recipient was in the signed network directory and no longer is: the coordinator removed the
 * state. Permanent — no retry can reach a partner the network has withdrawn its keys and endpoint for —
 * and distinct from an unknown partner (a local configuration error) so that the operator's alert says
 * what happened.
 */
export const PARTNER_REMOVED: Readonly<Failure> = Object.freeze({
  class: 'permanent',
  reason: 'partner_removed',
  httpStatus: null,
  retryAfterMs: null,
});

const PERMANENT_TNX_CODES = new Set(['receipt_invalid', 'receipt_mismatch', 'config_invalid']);

/** A thrown error (network, receipt verification, sealing, store). */
export function classifyError(err: unknown): Failure {
  if (err instanceof NetworkError)
    return { class: 'transient', reason: err.code, httpStatus: null, retryAfterMs: null };
  if (isTnxError(err)) {
    const permanent = PERMANENT_TNX_CODES.has(err.code) || !err.retry;
    return { class: permanent ? 'permanent' : 'transient', reason: err.code, httpStatus: null, retryAfterMs: null };
  }
  // Unknown errors (a bug, a driver hiccup) retry: dropping a notice is worse than a bounded retry.
  return { class: 'transient', reason: 'internal_error', httpStatus: null, retryAfterMs: null };
}
