/**
 * Hardening of XML input, run on the raw text BEFORE any XML parser sees it:
 *
 * - size first, so nothing below runs on a huge input;
 * - any DOCTYPE or ENTITY declaration is refused: that removes XXE (external entities reading local
 *   files or URLs) and entity-expansion bombs ("billion laughs") as a class, whatever the parser does;
 * - processing instructions other than the leading XML declaration are refused (no stylesheet or
 *   application instructions ride along);
 * - element and attribute names that are Object.prototype members (`__proto__`, `constructor`, …) are
 *   refused before xml2js turns names into object keys (prototype pollution);
 * - nesting depth is bounded while scanning, so a deep document is refused without building it.
 */
import { tnxError } from '../../core/errors.js';
import { isForbiddenName } from './forbidden-names.js';

export interface XmlLimits {
  /** Largest document accepted, UTF-8 bytes. */
  maxBytes: number;
  /** Deepest element nesting accepted; the root element is depth 1. */
  maxDepth: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 262_144, maxDepth: 16 };

const NAME = /[A-Za-z_:][A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]*/y;
const XML_DECL = /^<\?xml[ \t\r\n]/;

export function prescanXml(xml: string, limits: XmlLimits): void {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > limits.maxBytes) {
    throw tnxError('payload_too_large', `XML document larger than ${limits.maxBytes} bytes`, {
      detail: { limit: limits.maxBytes },
    });
  }
  // Deliberately crude: also refused inside comments/CDATA. No TNX/1 document ever needs the words.
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    throw tnxError('xml_doctype_forbidden', 'DOCTYPE and ENTITY declarations are not allowed');
  }
  new Scanner(xml, limits.maxDepth).run();
}

class Scanner {
  #i = 0;
  #depth = 0;

  constructor(
    private readonly xml: string,
    private readonly maxDepth: number,
  ) {}

  run(): void {
    const x = this.xml;
    for (;;) {
      const lt = x.indexOf('<', this.#i);
      if (lt < 0) return;
      this.#i = lt;
      if (x.startsWith('<!--', lt)) this.#skipPast('-->', lt + 4);
      else if (x.startsWith('<![CDATA[', lt)) this.#skipPast(']]>', lt + 9);
      else if (x.startsWith('<?', lt)) this.#processingInstruction(lt);
      else if (x.startsWith('<!', lt)) {
        throw tnxError('xml_doctype_forbidden', 'markup declarations are not allowed');
      } else if (x[lt + 1] === '/') {
        this.#depth--;
        this.#skipPast('>', lt + 2);
      } else this.#startTag(lt + 1);
    }
  }

  #processingInstruction(at: number): void {
    // Only the XML declaration, and only at the very start (after an optional BOM).
    const start = this.xml.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (at !== start || !XML_DECL.test(this.xml.slice(at, at + 6))) {
      throw tnxError('malformed_xml', 'processing instructions are not allowed', { detail: { position: at } });
    }
    this.#skipPast('?>', at + 2);
  }

  #startTag(at: number): void {
    this.#i = at;
    this.#name('element');
    for (;;) {
      this.#skipWs();
      const c = this.xml[this.#i];
      if (c === '>' || (c === '/' && this.xml[this.#i + 1] === '>')) {
        if (this.#depth + 1 > this.maxDepth) {
          throw tnxError('nesting_too_deep', `XML nesting deeper than ${this.maxDepth} elements`, {
            detail: { maxDepth: this.maxDepth, position: at },
          });
        }
        if (c === '>') this.#depth++;
        this.#i += c === '>' ? 1 : 2;
        return;
      }
      this.#name('attribute');
      this.#skipWs();
      if (this.xml[this.#i] !== '=') this.#malformed('expected = after an attribute name');
      this.#i++;
      this.#skipWs();
      const q = this.xml[this.#i];
      if (q !== '"' && q !== "'") this.#malformed('expected a quoted attribute value');
      const end = this.xml.indexOf(q, this.#i + 1);
      if (end < 0) this.#malformed('unterminated attribute value');
      this.#i = end + 1;
    }
  }

  #name(what: 'element' | 'attribute'): void {
    NAME.lastIndex = this.#i;
    const m = NAME.exec(this.xml);
    if (!m) this.#malformed(`expected an ${what} name`);
    const name = m[0];
    const local = name.slice(name.indexOf(':') + 1);
    if (isForbiddenName(name) || isForbiddenName(local)) {
      throw tnxError('forbidden_property_name', `an ${what} name is not allowed (Object.prototype member)`, {
        detail: { position: this.#i },
      });
    }
    this.#i += name.length;
  }

  #skipWs(): void {
    while (/[ \t\r\n]/.test(this.xml[this.#i] ?? '')) this.#i++;
  }

  #skipPast(token: string, from: number): void {
    const end = this.xml.indexOf(token, from);
    if (end < 0) this.#malformed(`unterminated markup, expected ${token}`);
    this.#i = end + token.length;
  }

  #malformed(what: string): never {
    throw tnxError('malformed_xml', `malformed XML at position ${this.#i}: ${what}`, { detail: { position: this.#i } });
  }
}
