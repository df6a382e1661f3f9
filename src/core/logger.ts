/**
 * JSON logs (pino) with request ids and no personal data.
 *
 * Code never logs a message body on purpose, but a mistake must not leak one either: every path where
 * a TNX message or its personal fields could appear is redacted by pino itself (fast-redact), so a
 * stray `log.info({ message })` prints "[redacted]" instead of a name or a date of birth.
 */
import { uuid7 } from './uuid7.js';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** Keys that hold (or may hold) personal data anywhere in a log object, at depth ≤ 2. */
const PERSONAL_KEYS = [
  'person',
  'name',
  'nameOriginalScript',
  'aliases',
  'dateOfBirth',
  'travelDocuments',
  'number',
  'convictions',
  'travel',
  'accommodation',
  'addressLines',
  'sentenceSummary',
  'note',
  'reason',
  'tnx',
  'body',
  'payload',
  'claims',
];

/**
 * `message` holds a whole TNX message in store records, but `err.message` must stay readable, so it is
 * redacted at the top level and inside record-shaped objects only.
 */
const MESSAGE_PATHS = ['message', 'record.message', 'rec.message', 'outbound.message', 'inbound.message'];

/** Credentials never reach a log either. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
];

export function redactPaths(): string[] {
  const paths: string[] = [...SECRET_PATHS, ...MESSAGE_PATHS];
  for (const k of PERSONAL_KEYS) {
    // `msg` is pino's own message key and is not listed; `message` as an object field is redacted.
    paths.push(k, `*.${k}`, `*.*.${k}`);
  }
  return paths;
}

export interface LoggerSettings {
  level: LoggerOptions['level'];
  /** Static fields on every line, e.g. { state: 'USA' }. */
  base?: Record<string, unknown>;
}

/** Build the gateway logger. `destination` lets tests capture lines. */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { svc: 'tnx', ...(settings.base ?? {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths(), censor: '[redacted]' },
    // Errors are serialised without their `cause` chain values beyond message/type/stack/code.
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * A request id: the caller's `X-Request-Id` when it is a short, safe token (so partners can correlate),
 * otherwise a fresh UUID. The id appears in logs and as the problem document's `instance`.
 */
export function requestId(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  if (typeof v === 'string' && /^[A-Za-z0-9._:-]{8,128}$/.test(v)) return v;
  return uuid7();
}

export type { Logger };
