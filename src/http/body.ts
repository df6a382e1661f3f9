/**
 * Hardened request bodies. Ambiguous input is refused before any handler sees it
 * (fastify test/body-limit.test.js, test/proto-poisoning.test.js):
 *
 * - the media type must be on the endpoint's explicit allow-list (no sniffing, no `+json` guessing);
 * - the body is counted while it streams in and refused at the limit (a lying or absent
 *   Content-Length does not help), so a huge body never sits in memory;
 * - bytes must be valid UTF-8 (a fatal decoder: no U+FFFD substitution that could make two different
 *   byte strings parse to the same message); PAXLST syntax levels UNOA/UNOB are ASCII, so strict
 *   UTF-8 decoding accepts exactly them (and UTF-8 text);
 * - JSON goes through the strict parser (duplicate keys, `__proto__`/`constructor`, depth), XML through
 *   the hardened codec (no DOCTYPE, no entities).
 */
import type { IncomingMessage } from 'node:http';
import { TnxError } from '../core/errors.js';
import type { BodyKind } from '../features/route.js';

export type { BodyKind };

/** Accepted media types per body kind. Parameters other than charset=utf-8 are refused. */
const MEDIA_TYPES: Record<BodyKind, readonly string[]> = {
  json: ['application/json'],
  xml: ['application/xml'],
  // TNX/1 §transport: the inbox takes exactly application/jose (RFC 7515 §9.2.1), nothing else.
  jose: ['application/jose'],
  // UN/EDIFACT PAXLST manifests (POST /api/v1/manifests).
  paxlst: ['application/edifact'],
  // Newline-delimited JSON, one record a line (bulk import); read as a stream.
  ndjson: ['application/x-ndjson'],
};

/** The only charset parameter values each kind may carry (application/jose takes no parameters at all). */
const CHARSETS: Record<BodyKind, readonly string[]> = {
  json: ['utf-8'],
  xml: ['utf-8'],
  jose: [],
  paxlst: ['utf-8', 'us-ascii'],
  ndjson: ['utf-8'],
};

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** Parse a Content-Type header (RFC 9110 §8.3) into a lower-case type and its parameters. */
export function parseMediaType(header: string | undefined): MediaType | null {
  if (typeof header !== 'string' || header.length > 256) return null;
  const [head, ...rest] = header.split(';');
  const type = (head ?? '').trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return null;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) return null;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name in params) return null;
    params[name] = value;
  }
  return { type, params };
}

/**
 * Which of `kinds` the request's Content-Type selects; `unsupported_media_type` otherwise. JSON and XML
 * may say `charset=utf-8` (any case) and nothing else, PAXLST also `charset=us-ascii`;
 * application/jose takes no parameters at all.
 */
export function selectBodyKind(header: string | undefined, kinds: readonly BodyKind[]): BodyKind {
  const mt = parseMediaType(header);
  const allowed = kinds.flatMap((k) => MEDIA_TYPES[k]);
  const refuse = (): TnxError =>
    new TnxError('unsupported_media_type', `Content-Type must be one of: ${allowed.join(', ')}`, {
      detail: { allowed },
    });
  if (!mt) throw refuse();
  const kind = kinds.find((k) => MEDIA_TYPES[k].includes(mt.type));
  if (!kind) throw refuse();
  for (const [name, value] of Object.entries(mt.params)) {
    if (name !== 'charset' || !CHARSETS[kind].includes(value.toLowerCase())) throw refuse();
  }
  return kind;
}

/**
 * How much of an oversize body is read and discarded before the 413, as a multiple of the limit.
 * Clients that write the whole body before reading would otherwise meet a reset or a broken pipe
 * instead of the 413 — and a sender retries a network error, while TNX/1 says 413 is final. Beyond
 * this bound the gateway stops paying for someone else's bytes and closes the connection.
 */
export const DRAIN_FACTOR = 4;

/** Requests whose body was abandoned past the drain bound: their connection ends with the answer. */
const abandoned = new WeakSet<IncomingMessage>();

/** True when the rest of this request's body was left unread (the connection must not be reused or read on). */
export function bodyAbandoned(req: IncomingMessage): boolean {
  return abandoned.has(req);
}

function tooLarge(limit: number): TnxError {
  return new TnxError('payload_too_large', `body exceeds ${limit} bytes`, { detail: { limit } });
}

/**
 * Read the whole body as bytes, refusing at `limit`. Content-Length is checked first so an announced
 * oversize body is refused without buffering it; the running count catches chunked or lying requests.
 * An oversize body is drained (read and dropped, never held) up to DRAIN_FACTOR × limit before the
 * refusal, so the client reads the answer; past that bound the refusal goes out at once.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  const bound = limit * DRAIN_FACTOR;
  if (declared !== undefined) {
    const n = Number(declared);
    if (!Number.isSafeInteger(n) || n < 0)
      return Promise.reject(new TnxError('invalid_request', 'invalid Content-Length'));
    if (n > bound) {
      abandoned.add(req);
      return Promise.reject(tooLarge(limit));
    }
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let done = false;
    const finish = (err: Error | null, value?: Buffer): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) reject(err);
      else resolve(value as Buffer);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > bound) {
        abandoned.add(req);
        finish(tooLarge(limit));
      } else if (size > limit) {
        // Keep reading to the end (or the bound) so the 413 reaches a client still sending.
        over = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    };
    const onEnd = (): void => finish(over ? tooLarge(limit) : null, over ? undefined : Buffer.concat(chunks, size));
    const onError = (e: Error): void =>
      finish(new TnxError('invalid_request', 'request body could not be read', { cause: e }));
    const onAborted = (): void => finish(new TnxError('invalid_request', 'request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode strictly; a byte order mark is refused too (RFC 8259 §8.1: JSON text must not begin with one). */
export function decodeUtf8(bytes: Buffer, kind: BodyKind): string {
  if (kind === 'paxlst') return decodeEdifact(bytes);
  const code = kind === 'xml' ? 'malformed_xml' : kind === 'json' ? 'malformed_json' : 'malformed_envelope';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new TnxError(code, 'a byte order mark is not allowed');
  }
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new TnxError(code, 'body is not valid UTF-8', { cause });
  }
}

function decodeEdifact(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch (cause) {
    throw new TnxError('malformed_manifest', 'PAXLST: body is not ASCII/UTF-8 text (syntax levels UNOA, UNOB)', {
      cause,
      detail: { format: 'PAXLST' },
    });
  }
}
