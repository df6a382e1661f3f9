/**
 * Lines of a streamed body (newline-delimited JSON), read as the consumer asks for them: the body is
 * never held whole, and a line is held only up to `lineLimit` bytes — a longer one is skipped to its
 * end (dropped as it arrives) and reported as refused, so one bad line cannot exhaust memory or stop
 * the rest. Each line must be strict UTF-8 on its own (no U+FFFD substitution); CR before LF and
 * empty lines are allowed, and the last line needs no newline. Line numbers count every line, empty
 * ones too, so they match what an editor shows.
 */
import { TnxError } from '../core/errors.js';
import type { BodyLine } from '../features/route.js';

const LF = 0x0a;
const CR = 0x0d;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(number: number, parts: Buffer[], size: number, lineLimit: number): BodyLine | null {
  let bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
  if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
  if (bytes.length === 0) return null;
  if (bytes.length > lineLimit) return { number, refused: 'line_too_long' };
  // A byte order mark is refused as JSON bodies refuse it (RFC 8259 §8.1).
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { number, refused: 'invalid_utf8' };
  try {
    return { number, text: utf8.decode(bytes) };
  } catch {
    return { number, refused: 'invalid_utf8' };
  }
}

export async function* ndjsonLines(body: AsyncIterable<Buffer>, lineLimit: number): AsyncGenerator<BodyLine> {
  let number = 1;
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const end = function* (): Generator<BodyLine> {
    if (tooLong) yield { number, refused: 'line_too_long' };
    else {
      const line = decode(number, parts, size, lineLimit);
      if (line) yield line;
    }
    number++;
    parts = [];
    size = 0;
    tooLong = false;
  };
  const chunks = async function* (): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of body) yield chunk;
    } catch (cause) {
      throw new TnxError('invalid_request', 'request body could not be read', { cause });
    }
  };
  for await (const chunk of chunks()) {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(LF, from);
      const stop = nl === -1 ? chunk.length : nl;
      if (!tooLong) {
        // The CR of a CRLF is not counted against the limit.
        if (size + (stop - from) > lineLimit + 1) {
          tooLong = true;
          parts = [];
          size = 0;
        } else if (stop > from) {
          parts.push(chunk.subarray(from, stop));
          size += stop - from;
        }
      }
      if (nl === -1) break;
      yield* end();
      from = nl + 1;
    }
  }
  if (tooLong || size > 0) yield* end();
}
