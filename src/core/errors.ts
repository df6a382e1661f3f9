/**
 * The one error registry of TNX.
 *
 * Every refusal the gateway makes has a stable string `code`, an HTTP `status`, whether the sender
 * should retry, and whether the message may reach the caller (`expose`). protocol/SPEC.md carries the
 * same table; tests/protocol/error-table.test.ts holds the two to each other, both ways.
 *
 * Shape after node-oidc-provider lib/helpers/errors.js and jose src/util/errors.ts: `code` lives on the
 * class and on the instance so callers can `switch (err.code)`.
 */

export interface ErrorSpec {
  /** HTTP status the code maps to on the wire. */
  readonly status: number;
  /** Whether a sender receiving this should retry the same request later. */
  readonly retry: boolean;
  /** Whether `message` may be shown to the caller; otherwise a generic text is sent. */
  readonly expose: boolean;
  /** Short, fixed title (RFC 9457 `title`). Never carries input or personal data. */
  readonly title: string;
}

/**
 * The registry. Adding a code here means adding its row to the error table in protocol/SPEC.md.
 * Codes are lower_snake_case and never change meaning once published.
 */
export const ERROR_CODES = {
  // ---- transport and request shape -------------------------------------------------------------
  unsupported_media_type: { status: 415, retry: false, expose: true, title: 'Unsupported media type' },
  not_acceptable: { status: 406, retry: false, expose: true, title: 'Not acceptable' },
  payload_too_large: { status: 413, retry: false, expose: true, title: 'Payload too large' },
  malformed_json: { status: 400, retry: false, expose: true, title: 'Malformed JSON' },
  malformed_xml: { status: 400, retry: false, expose: true, title: 'Malformed XML' },
  xml_doctype_forbidden: { status: 400, retry: false, expose: true, title: 'DOCTYPE is not allowed' },
  forbidden_property_name: { status: 400, retry: false, expose: true, title: 'Forbidden property name' },
  duplicate_property: { status: 400, retry: false, expose: true, title: 'Duplicate property' },
  nesting_too_deep: { status: 400, retry: false, expose: true, title: 'Nesting too deep' },
  invalid_request: { status: 400, retry: false, expose: true, title: 'Invalid request' },
  /** A percent-escape in the path that does not decode; the path itself is never echoed nor logged. */
  malformed_path: { status: 400, retry: false, expose: true, title: 'Malformed path' },
  request_timeout: { status: 408, retry: true, expose: true, title: 'Request timeout' },
  rate_limited: { status: 429, retry: true, expose: true, title: 'Too many requests' },

  // ---- envelope (JWE/JWS) ----------------------------------------------------------------------
  malformed_envelope: { status: 400, retry: false, expose: true, title: 'Malformed envelope' },
  unsupported_algorithm: { status: 400, retry: false, expose: true, title: 'Algorithm not allowed' },
  forbidden_header: { status: 400, retry: false, expose: true, title: 'Header not allowed' },
  unknown_key: { status: 400, retry: false, expose: true, title: 'Unknown key id' },
  /** Decryption and signature failures: one code, one message, by design (no oracle). */
  envelope_rejected: { status: 400, retry: false, expose: true, title: 'Envelope could not be opened' },
  invalid_token_type: { status: 400, retry: false, expose: true, title: 'Wrong token type' },
  invalid_claims: { status: 400, retry: false, expose: true, title: 'Invalid claims' },
  wrong_recipient: { status: 400, retry: false, expose: true, title: 'Not the intended recipient' },
  unknown_sender: { status: 403, retry: false, expose: true, title: 'Sender not in directory' },
  sender_mismatch: { status: 403, retry: false, expose: true, title: 'Sender does not own the signing key' },
  stale_message: { status: 400, retry: false, expose: true, title: 'Message outside the accepted time window' },

  // ---- message content ------------------------------------------------------------------------
  invalid_message: { status: 422, retry: false, expose: true, title: 'Message does not conform to its schema' },
  unsupported_version: { status: 400, retry: false, expose: true, title: 'Unsupported protocol version' },
  unsupported_message_type: { status: 400, retry: false, expose: true, title: 'Message type not accepted' },
  unknown_reference: { status: 422, retry: false, expose: true, title: 'Referenced message is unknown' },
  /** A PAXLST or JSON passenger manifest that cannot be parsed; detail names segment/field and position. */
  malformed_manifest: { status: 400, retry: false, expose: true, title: 'Malformed manifest' },

  // ---- receipts (raised on the sending side) --------------------------------------------------
  receipt_invalid: { status: 502, retry: false, expose: true, title: 'Receipt does not verify' },
  receipt_mismatch: { status: 502, retry: false, expose: true, title: 'Receipt does not match what was sent' },

  // ---- local API ------------------------------------------------------------------------------
  unauthenticated: { status: 401, retry: false, expose: true, title: 'Authentication required' },
  forbidden: { status: 403, retry: false, expose: true, title: 'Role not allowed' },
  not_found: { status: 404, retry: false, expose: true, title: 'Not found' },
  method_not_allowed: { status: 405, retry: false, expose: true, title: 'Method not allowed' },
  idempotency_conflict: { status: 409, retry: false, expose: true, title: 'Idempotency key reused with another body' },
  conflict: { status: 409, retry: false, expose: true, title: 'Conflict with the current state' },
  /** A resend of a delivery that did not fail (delivered, cancelled): only `failed` is resent. */
  not_resendable: { status: 409, retry: false, expose: true, title: 'Delivery is not in a failed state' },
  /** The destination runs no gateway (or has no endpoint): the message is handled by hand, not resent. */
  no_channel: { status: 409, retry: false, expose: true, title: 'Destination has no delivery channel' },
  purpose_required: { status: 400, retry: false, expose: true, title: 'A purpose is required to read personal data' },

  // ---- registry and travel reports (src/domain/registry, src/domain/travel-reports) ---------------------------
  invalid_registrant: {
    status: 422,
    retry: false,
    expose: true,
    title: 'Registrant record does not conform to its schema',
  },
  invalid_travel_report: {
    status: 422,
    retry: false,
    expose: true,
    title: 'Travel report does not conform to its schema',
  },
  /** The registrant's data key was destroyed (crypto-shredding): the personal data is gone for good. */
  registrant_erased: { status: 410, retry: false, expose: true, title: 'Registrant data has been erased' },
  change_window_closed: { status: 409, retry: false, expose: true, title: 'Travel report can no longer be changed' },
  /** A stored field failed authentication (tampered, moved to another record, or wrong key). */
  personal_data_unreadable: {
    status: 500,
    retry: false,
    expose: false,
    title: 'Stored personal data could not be decrypted',
  },

  // ---- the signed network directory (protocol/SPEC.md §14) -------------------------------------------------
  /** Raised by a gateway about the coordinator's document, and by `tnx directory verify`. */
  directory_too_large: { status: 502, retry: true, expose: true, title: 'Network directory too large' },
  directory_malformed: { status: 502, retry: true, expose: true, title: 'Network directory malformed' },
  directory_signature_invalid: {
    status: 502,
    retry: true,
    expose: true,
    title: 'Network directory signature does not verify',
  },
  directory_invalid: { status: 502, retry: true, expose: true, title: 'Network directory content invalid' },
  directory_rollback: { status: 502, retry: true, expose: true, title: 'Network directory is not newer' },
  /** Past `expiresAt`: also what sealing to a partner raises, so queued deliveries wait instead of failing. */
  directory_expired: { status: 503, retry: true, expose: true, title: 'Network directory expired' },
  directory_unavailable: { status: 503, retry: true, expose: true, title: 'Network directory unreachable' },

  // ---- server side ----------------------------------------------------------------------------
  config_invalid: { status: 500, retry: false, expose: false, title: 'Configuration invalid' },
  key_material_invalid: { status: 500, retry: false, expose: false, title: 'Key material invalid' },
  store_unavailable: { status: 503, retry: true, expose: false, title: 'Store unavailable' },
  audit_tampered: { status: 500, retry: false, expose: false, title: 'Audit trail integrity failure' },
  /** A domain event the audit trail will not record (unknown action, personal-data-looking field). */
  audit_event_refused: { status: 500, retry: false, expose: false, title: 'Audit event refused' },
  service_unavailable: { status: 503, retry: true, expose: true, title: 'Service unavailable' },
  screening_index_building: { status: 503, retry: true, expose: true, title: 'Screening index is being built' },
  /** Admission control shed a submission (too many in flight, or the delivery queue too far behind). */
  overloaded: { status: 503, retry: true, expose: true, title: 'Overloaded' },
  internal_error: { status: 500, retry: true, expose: false, title: 'Internal error' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface TnxErrorOptions {
  /** JSON pointer (RFC 6901) or segment/field name the error is about; never a value. */
  readonly pointer?: string | undefined;
  /** Extra, non-personal details for the problem document (e.g. allowed algorithms, position). */
  readonly detail?: Record<string, unknown> | undefined;
  /** Underlying cause: logged, never sent. */
  readonly cause?: unknown;
}

export class TnxError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retry: boolean;
  readonly expose: boolean;
  readonly pointer: string | undefined;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: TnxErrorOptions = {}) {
    const spec: ErrorSpec = ERROR_CODES[code];
    super(message ?? spec.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TnxError';
    this.code = code;
    this.status = spec.status;
    this.retry = spec.retry;
    this.expose = spec.expose;
    this.pointer = options.pointer;
    this.detail = options.detail;
  }
}

/** Shorthand: `throw tnxError('invalid_message', 'departureAt must equal …', { pointer: '/travel/departureAt' })`. */
export function tnxError(code: ErrorCode, message?: string, options?: TnxErrorOptions): TnxError {
  return new TnxError(code, message, options);
}

export function isTnxError(err: unknown, code?: ErrorCode): err is TnxError {
  return err instanceof TnxError && (code === undefined || err.code === code);
}

/**
 * Decryption and signature failures must be indistinguishable from outside (jose
 * src/jwe/general/decrypt.ts does the same): one code, one fixed message, the cause kept for logs only.
 */
export function envelopeRejected(cause?: unknown): TnxError {
  return new TnxError('envelope_rejected', ERROR_CODES.envelope_rejected.title, { cause });
}
