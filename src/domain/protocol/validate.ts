/**
 * Validation of TNX/1 messages, receipts and JWS claims against the normative JSON Schemas in
 * protocol/schemas/, followed by the semantic rules no schema can express (semantic-checks.ts).
 *
 * Errors name the offending field by JSON pointer (RFC 6901) and say what is wrong with it, never what
 * the value was: messages carry personal data, and error texts travel to logs and to the sender.
 * The schemas are compiled once, at first use, with ajv in strict mode (unknown keywords, ambiguous
 * types and unknown formats are programming errors, not silently ignored).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { tnxError, type ErrorCode } from '../../core/errors.js';
import { schemaError } from './schema-errors.js';
import { checkMessage } from './semantic-checks.js';
import { PROTOCOL_VERSION, type Receipt, type TnxClaims, type TnxMessage } from './types.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const SCHEMA_DIR = new URL('../../../protocol/schemas/', import.meta.url);
const SCHEMA_BASE = 'https://tnx.example/schemas/1/';

/** The message types a gateway inbox accepts, and the schema file of each. */
export const MESSAGE_SCHEMA_FILES = {
  TravelNotification: 'travel-notification.schema.json',
  TravelUpdate: 'travel-update.schema.json',
  FollowUpReport: 'follow-up-report.schema.json',
} as const satisfies Record<TnxMessage['type'], string>;
export const RECEIPT_SCHEMA_FILE = 'receipt.schema.json';
export const CLAIMS_SCHEMA_FILE = 'claims.schema.json';
export const COMMON_SCHEMA_FILE = 'common.schema.json';

type InboxType = keyof typeof MESSAGE_SCHEMA_FILES;

interface Compiled {
  messages: Record<InboxType, ValidateFunction>;
  receipt: ValidateFunction;
  claims: ValidateFunction;
}

let compiled: Compiled | undefined;

/** Reads a schema file from protocol/schemas/ (also used by the XML codec and tests). */
export function loadSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as Record<string, unknown>;
}

function schemas(): Compiled {
  if (compiled) return compiled;
  // allErrors: a refusal lists every violation (bounded in the problem document); a body is bounded by
// the size limit, so collecting them all stays cheap.
  const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }));
  const files = [COMMON_SCHEMA_FILE, ...Object.values(MESSAGE_SCHEMA_FILES), RECEIPT_SCHEMA_FILE, CLAIMS_SCHEMA_FILE];
  for (const f of files) ajv.addSchema(loadSchema(f));
  const get = (f: string): ValidateFunction => {
    const fn = ajv.getSchema(SCHEMA_BASE + f);
    if (!fn) throw new Error(`schema ${f} did not compile`);
    return fn;
  };
  compiled = {
    messages: {
      TravelNotification: get(MESSAGE_SCHEMA_FILES.TravelNotification),
      TravelUpdate: get(MESSAGE_SCHEMA_FILES.TravelUpdate),
      FollowUpReport: get(MESSAGE_SCHEMA_FILES.FollowUpReport),
    },
    receipt: get(RECEIPT_SCHEMA_FILE),
    claims: get(CLAIMS_SCHEMA_FILE),
  };
  return compiled;
}

/**
 * Validates a TNX/1 message received by an inbox (TravelNotification, TravelUpdate, FollowUpReport).
 * `v` other than "1" → `unsupported_version`; an unknown `type` (Receipt included: receipts are never
 * posted to an inbox) → `unsupported_message_type`; anything else wrong → `invalid_message` with the
 * pointer of the first offending field.
 */
export function validateMessage(value: unknown): TnxMessage {
  const obj = requireObject(value, 'invalid_message', 'the message');
  checkVersion(obj);
  if (!Object.hasOwn(obj, 'type')) throw invalid('invalid_message', '/type', 'is required');
  const type = obj.type;
  if (typeof type !== 'string') throw invalid('invalid_message', '/type', 'must be a string');
  if (!Object.hasOwn(MESSAGE_SCHEMA_FILES, type)) {
    throw tnxError('unsupported_message_type', 'message type is not a TNX/1 inbox message type', {
      pointer: '/type',
      detail: { accepted: Object.keys(MESSAGE_SCHEMA_FILES) },
    });
  }
  const validate = schemas().messages[type as InboxType];
  if (!validate(obj)) throw fromAjv('invalid_message', validate.errors);
  const msg = obj as unknown as TnxMessage;
  checkMessage(msg);
  return msg;
}

/** Validates the `tnx` claim of a receipt JWS. */
export function validateReceipt(value: unknown): Receipt {
  const obj = requireObject(value, 'invalid_message', 'the receipt');
  checkVersion(obj);
  const validate = schemas().receipt;
  if (!validate(obj)) throw fromAjv('invalid_message', validate.errors);
  return obj as unknown as Receipt;
}

/**
 * Validates the JWS claims object (iss, aud, jti, iat, tnx — nothing else). `tnx` is only checked to be
 * an object here; validateMessageClaims / validateReceiptClaims also validate the message in it.
 */
export function validateClaims(value: unknown): TnxClaims<Record<string, unknown>> {
  const obj = requireObject(value, 'invalid_claims', 'the claims');
  const validate = schemas().claims;
  if (!validate(obj)) throw fromAjv('invalid_claims', validate.errors);
  const claims = obj as unknown as TnxClaims<Record<string, unknown>>;
  if (claims.iss === claims.aud) throw invalid('invalid_claims', '/aud', 'must differ from iss');
  return claims;
}

/**
 * Claims of a message delivered to an inbox: the claims, then the message (pointers of message errors
 * are relative to the message), then the binding between them — the message's `origin` is the signer
 * (`iss`) and its `destination` the audience (`aud`), so a partner cannot sign a message on behalf of
 * another state or address it to a third one.
 */
export function validateMessageClaims(value: unknown): TnxClaims<TnxMessage> {
  const claims = validateClaims(value);
  const msg = validateMessage(claims.tnx);
  if (msg.origin !== claims.iss) throw invalid('invalid_claims', '/tnx/origin', 'must equal iss');
  if (msg.destination !== claims.aud) throw invalid('invalid_claims', '/tnx/destination', 'must equal aud');
  return { ...claims, tnx: msg };
}

/** Claims of a receipt JWS (typ tnx-receipt+jwt). */
export function validateReceiptClaims(value: unknown): TnxClaims<Receipt> {
  const claims = validateClaims(value);
  return { ...claims, tnx: validateReceipt(claims.tnx) };
}

// ------------------------------------------------------------------------------------------------

function requireObject(value: unknown, code: ErrorCode, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw tnxError(code, `${what} must be a JSON object`, { pointer: '' });
  }
  return value as Record<string, unknown>;
}

function checkVersion(obj: Record<string, unknown>): void {
  if (!Object.hasOwn(obj, 'v')) throw invalid('invalid_message', '/v', 'is required');
  if (typeof obj.v !== 'string') throw invalid('invalid_message', '/v', 'must be a string');
  if (obj.v !== PROTOCOL_VERSION) {
    throw tnxError('unsupported_version', 'protocol version is not supported', {
      pointer: '/v',
      detail: { supported: [PROTOCOL_VERSION] },
    });
  }
}

function invalid(code: ErrorCode, pointer: string, what: string) {
  return tnxError(code, `${pointer} ${what}`, { pointer });
}

/** Every schema violation as one typed error (./schema-errors.ts); ajv messages never quote values. */
function fromAjv(code: ErrorCode, errors: ErrorObject[] | null | undefined) {
  return schemaError(code, errors);
}
