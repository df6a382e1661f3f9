/**
 * Interchange envelope of a PAXLST transmission (ISO 9735-1 §5): UNB … UNZ around optional UNG … UNE
 * functional groups around UNH … UNT messages. Checked here: control references match (UNB/UNZ,
 * UNG/UNE, UNH/UNT), UNT counts the segments of its message including UNH and UNT, UNE counts the
 * messages of its group, UNZ counts the groups (when UNG is used) or else the messages, and nothing
 * follows UNZ. A count or reference that does not add up means a truncated or spliced transmission.
 */
import { malformed } from './errors.js';
import { component, type Segment } from './syntax.js';

export interface EdifactMessage {
  /** UNH … UNT inclusive. */
  segments: Segment[];
}

export interface Interchange {
  /** UNB element 4 (date:time of preparation), "YYMMDD" part; '' when absent. */
  preparedOn: string;
  messages: EdifactMessage[];
}

function expectTag(seg: Segment | undefined, tag: string, after: Segment | undefined): Segment {
  if (seg === undefined) {
    throw malformed(tag, (after?.position ?? 0) + 1, 0, `missing mandatory segment ${tag}`);
  }
  if (seg.tag !== tag) throw malformed(seg.tag, seg.position, 0, `expected ${tag}`);
  return seg;
}

function expectCount(seg: Segment, element: number, actual: number, what: string): void {
  const raw = component(seg, element);
  if (!/^\d{1,6}$/.test(raw)) throw malformed(seg.tag, seg.position, element, `${what} is not a number`);
  if (Number(raw) !== actual) throw malformed(seg.tag, seg.position, element, `${what} does not match the content`);
}

function expectReference(seg: Segment, element: number, opening: Segment, openingElement: number): void {
  const ref = component(seg, element);
  if (ref === '' || ref !== component(opening, openingElement)) {
    throw malformed(
      seg.tag,
      seg.position,
      element,
      `control reference does not match ${opening.tag} segment ${opening.position}`,
    );
  }
}

function readMessage(segs: Segment[], i: number): { message: EdifactMessage; next: number } {
  const unh = expectTag(segs[i], 'UNH', segs[i - 1]);
  if (component(unh, 1) === '') throw malformed('UNH', unh.position, 1, 'message reference is empty');
  if (component(unh, 2, 1) !== 'PAXLST') throw malformed('UNH', unh.position, 2, 'message type is not PAXLST');
  let j = i + 1;
  while (j < segs.length && !['UNT', 'UNH', 'UNE', 'UNZ', 'UNG'].includes(segs[j]!.tag)) j++;
  const unt = expectTag(segs[j], 'UNT', segs[j - 1]);
  expectCount(unt, 1, j - i + 1, 'segment count');
  expectReference(unt, 2, unh, 1);
  return { message: { segments: segs.slice(i, j + 1) }, next: j + 1 };
}

export function readInterchange(segs: Segment[]): Interchange {
  const unb = expectTag(segs[0], 'UNB', undefined);
  if (component(unb, 5) === '') throw malformed('UNB', unb.position, 5, 'interchange control reference is empty');
  const messages: EdifactMessage[] = [];
  let groups = 0;
  let i = 1;
  while (i < segs.length && segs[i]!.tag !== 'UNZ') {
    const seg = segs[i]!;
    if (seg.tag === 'UNG') {
      if (messages.length > 0 && groups === 0)
        throw malformed('UNG', seg.position, 0, 'group after ungrouped messages');
      if (component(seg, 5) === '') throw malformed('UNG', seg.position, 5, 'group reference is empty');
      groups++;
      let inGroup = 0;
      i++;
      while (i < segs.length && segs[i]!.tag === 'UNH') {
        const { message, next } = readMessage(segs, i);
        messages.push(message);
        inGroup++;
        i = next;
      }
      const une = expectTag(segs[i], 'UNE', segs[i - 1]);
      expectCount(une, 1, inGroup, 'message count');
      expectReference(une, 2, seg, 5);
      i++;
    } else if (seg.tag === 'UNH') {
      if (groups > 0) throw malformed('UNH', seg.position, 0, 'message outside a functional group');
      const { message, next } = readMessage(segs, i);
      messages.push(message);
      i = next;
    } else {
      throw malformed(seg.tag, seg.position, 0, 'segment outside a message');
    }
  }
  const unz = expectTag(segs[i], 'UNZ', segs[i - 1]);
  expectCount(unz, 1, groups > 0 ? groups : messages.length, groups > 0 ? 'group count' : 'message count');
  expectReference(unz, 2, unb, 5);
  const extra = segs[i + 1];
  if (extra !== undefined) throw malformed(extra.tag, extra.position, 0, 'segment after UNZ');
  if (messages.length === 0) throw malformed('UNZ', unz.position, 0, 'interchange holds no message');
  return { preparedOn: component(unb, 4, 1), messages };
}
