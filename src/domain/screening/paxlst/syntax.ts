/**
 * UN/EDIFACT syntax level (ISO 9735): service string advice and segment splitting.
 *
 * The UNA segment, when present, redefines the six service characters; without it the defaults of
 * syntax level A apply (ISO 9735-1 §7): component ':', data element '+', decimal '.', release '?',
 * reserved ' ', segment terminator '\''. The release character makes the next character literal, so
 * "O?'BRIEN" is the name O'BRIEN and not a segment end.
 */
import { malformed } from './errors.js';

export interface ServiceChars {
  component: string;
  element: string;
  decimal: string;
  release: string;
  segment: string;
}

export const DEFAULT_SERVICE_CHARS: ServiceChars = {
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  segment: "'",
};

/** One segment: its tag, its 1-based position in the interchange, and elements → components (unescaped). */
export interface Segment {
  tag: string;
  position: number;
  elements: string[][];
}

export function readServiceChars(text: string): { chars: ServiceChars; rest: string } {
  if (!text.startsWith('UNA')) return { chars: DEFAULT_SERVICE_CHARS, rest: text };
  if (text.length < 9) throw malformed('UNA', 1, 0, 'service string advice is shorter than 9 characters');
  const chars: ServiceChars = {
    component: text[3]!,
    element: text[4]!,
    decimal: text[5]!,
    release: text[6]!,
    segment: text[8]!,
  };
  const distinct = new Set([chars.component, chars.element, chars.release, chars.segment]);
  if (distinct.size !== 4) throw malformed('UNA', 1, 0, 'service characters are not distinct');
  return { chars, rest: text.slice(9) };
}

/** Line breaks between segments are common in files and carry no meaning (ISO 9735 allows them). */
function isLayoutChar(c: string): boolean {
  return c === '\r' || c === '\n';
}

/**
 * Splits an interchange into segments. A segment without its terminator at the end of input, a
 * release character with nothing after it, or a tag that is not three upper-case letters is an error.
 */
export function splitSegments(text: string): Segment[] {
  const { chars, rest } = readServiceChars(text);
  const firstPosition = rest === text ? 1 : 2; // UNA, when present, is segment 1
  const segments: Segment[] = [];
  let elements: string[][] = [];
  let components: string[] = [];
  let current = '';
  let started = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    const position = firstPosition + segments.length;
    if (!started && isLayoutChar(c)) continue;
    started = true;
    if (c === chars.release) {
      i++;
      if (i >= rest.length) throw malformed('?', position, elements.length, 'release character at end of input');
      current += rest[i]!;
    } else if (c === chars.component) {
      components.push(current);
      current = '';
    } else if (c === chars.element) {
      components.push(current);
      elements.push(components);
      components = [];
      current = '';
    } else if (c === chars.segment) {
      components.push(current);
      elements.push(components);
      const tag = elements[0]?.[0] ?? '';
      if (!/^[A-Z]{3}$/.test(tag) || elements[0]!.length !== 1) {
        throw malformed('???', position, 0, 'segment tag is not three upper-case letters');
      }
      segments.push({ tag, position, elements: elements.slice(1) });
      elements = [];
      components = [];
      current = '';
      started = false;
    } else {
      current += c;
    }
  }
  if (started) {
    const head = (elements[0]?.[0] ?? current).slice(0, 3);
    const tag = /^[A-Z]{3}$/.test(head) ? head : '???';
    throw malformed(tag, firstPosition + segments.length, elements.length, 'segment is not terminated');
  }
  return segments;
}

/** Component `c` (1-based) of element `e` (1-based, the tag not counted); '' when absent. */
export function component(seg: Segment, e: number, c = 1): string {
  return seg.elements[e - 1]?.[c - 1] ?? '';
}
