/**
 * A strict JSON parser for everything TNX reads from outside (HTTP bodies, JWS payloads).
 *
 * Why not JSON.parse: it silently keeps the *last* of duplicate keys, so two parties can read one
 * document differently (RFC 8259 §4 leaves duplicates undefined; RFC 7519 §4 requires JWT parsers to
 * reject them or use the lexically last — we reject). A reviver cannot see duplicates either.
 * Why refuse `__proto__` & co.: a later `Object.assign`/spread or a naive merge turns such a key into
 * prototype pollution (fastify test/proto-poisoning.test.js). Depth is bounded so a hostile body cannot
 * exhaust the stack of this parser or of any recursive consumer after it.
 */
import { tnxError } from '../../core/errors.js';
import { isForbiddenName } from './forbidden-names.js';

export interface StrictJsonOptions {
  /** Deepest nesting of objects/arrays accepted; the top-level value is depth 1. Default 32. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 32;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const PLAIN_CHARS = /[^"\\\u0000-\u001f]+/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parse `text` as one JSON value, refusing duplicates, forbidden names, deep nesting and bad syntax. */
export function parseStrictJson(text: string, options: StrictJsonOptions = {}): unknown {
  return new StrictJsonParser(text, options.maxDepth ?? DEFAULT_MAX_DEPTH).parseDocument();
}

class StrictJsonParser {
  #pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): unknown {
    this.#skipWs();
    const value = this.#value(1);
    this.#skipWs();
    if (this.#pos !== this.text.length) this.#fail('unexpected data after the JSON value');
    return value;
  }

  #value(depth: number): unknown {
    const c = this.text[this.#pos];
    switch (c) {
      case '{':
        return this.#object(depth);
      case '[':
        return this.#array(depth);
      case '"':
        return this.#string();
      case 't':
        return this.#literal('true', true);
      case 'f':
        return this.#literal('false', false);
      case 'n':
        return this.#literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.#number();
        return this.#fail(c === undefined ? 'unexpected end of input' : 'unexpected character');
    }
  }

  #enter(depth: number): void {
    if (depth > this.maxDepth) {
      throw tnxError('nesting_too_deep', `JSON nesting deeper than ${this.maxDepth} levels`, {
        detail: { position: this.#pos, maxDepth: this.maxDepth },
      });
    }
  }

  #object(depth: number): Record<string, unknown> {
    this.#enter(depth);
    this.#pos++; // '{'
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.#skipWs();
    if (this.text[this.#pos] === '}') {
      this.#pos++;
      return out;
    }
    for (;;) {
      this.#skipWs();
      if (this.text[this.#pos] !== '"') this.#fail('expected a property name');
      const keyAt = this.#pos;
      const key = this.#string();
      // Names are refused before the value is parsed, so nothing is built under them.
      if (isForbiddenName(key)) {
        throw tnxError('forbidden_property_name', 'a property name is not allowed (Object.prototype member)', {
          detail: { position: keyAt },
        });
      }
      if (seen.has(key)) {
        throw tnxError('duplicate_property', 'a property name occurs twice in one object', { detail: { position: keyAt } });
      }
      seen.add(key);
      this.#skipWs();
      if (this.text[this.#pos] !== ':') this.#fail("expected ':'");
      this.#pos++;
      this.#skipWs();
      out[key] = this.#value(depth + 1);
      this.#skipWs();
      const c = this.text[this.#pos];
      if (c === ',') {
        this.#pos++;
        continue;
      }
      if (c === '}') {
        this.#pos++;
        return out;
      }
      this.#fail("expected ',' or '}'");
    }
  }

  #array(depth: number): unknown[] {
    this.#enter(depth);
    this.#pos++; // '['
    const out: unknown[] = [];
    this.#skipWs();
    if (this.text[this.#pos] === ']') {
      this.#pos++;
      return out;
    }
    for (;;) {
      this.#skipWs();
      out.push(this.#value(depth + 1));
      this.#skipWs();
      const c = this.text[this.#pos];
      if (c === ',') {
        this.#pos++;
        continue;
      }
      if (c === ']') {
        this.#pos++;
        return out;
      }
      this.#fail("expected ',' or ']'");
    }
  }

  #string(): string {
    this.#pos++; // opening quote
    let out = '';
    for (;;) {
      PLAIN_CHARS.lastIndex = this.#pos;
      const m = PLAIN_CHARS.exec(this.text);
      if (m) {
        out += m[0];
        this.#pos += m[0].length;
      }
      const c = this.text[this.#pos];
      if (c === '"') {
        this.#pos++;
        return out;
      }
      if (c === undefined) this.#fail('unterminated string');
      if (c !== '\\') this.#fail('control character in string'); // RFC 8259 §7: U+0000..U+001F must be escaped
      const e = this.text[this.#pos + 1];
      if (e === 'u') {
        const hex = this.text.slice(this.#pos + 2, this.#pos + 6);
        if (!HEX4.test(hex)) this.#fail('invalid \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.#pos += 6;
      } else {
        const rep = e === undefined ? undefined : ESCAPES[e];
        if (rep === undefined) this.#fail('invalid escape');
        out += rep;
        this.#pos += 2;
      }
    }
  }

  #number(): number {
    NUMBER.lastIndex = this.#pos;
    const m = NUMBER.exec(this.text);
    if (!m) return this.#fail('invalid number');
    this.#pos += m[0].length;
    return Number(m[0]);
  }

  #literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.#pos)) this.#fail('invalid literal');
    this.#pos += word.length;
    return value;
  }

  #skipWs(): void {
    // RFC 8259 §2: only these four; a BOM or NBSP is malformed.
    for (;;) {
      const c = this.text.charCodeAt(this.#pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.#pos++;
      else return;
    }
  }

  #fail(what: string): never {
    throw tnxError('malformed_json', `malformed JSON at position ${this.#pos}: ${what}`, {
      detail: { position: this.#pos },
    });
  }
}
