/**
 * Builds PAXLST interchanges for tests: give the message body segments (BGM … CNT) and it wraps them
 * in UNB/UNG/UNH … UNT/UNE/UNZ with correct counts and references, unless told to break them.
 */
export interface EnvelopeOptions {
  una?: string | null;
  groups?: boolean;
  untCount?: number;
  untRef?: string;
  uneCount?: number;
  unzCount?: number;
  unzRef?: string;
  terminator?: string;
  newline?: boolean;
}

export function paxlst(body: string[], o: EnvelopeOptions = {}): string {
  const t = o.terminator ?? "'";
  const msg = ['UNH+M1+PAXLST:D:02B:UN:IATA+F1+01:F', ...body];
  msg.push(`UNT+${o.untCount ?? msg.length + 1}+${o.untRef ?? 'M1'}`);
  const groups = o.groups ?? true;
  const segs = ['UNB+UNOA:4+SENDER:ZZ+RECEIVER:ZZ+261201:0815+IC1'];
  if (groups) segs.push('UNG+PAXLST+SENDER+RECEIVER+261201:0815+G1+UN+D:02B');
  segs.push(...msg);
  if (groups) segs.push(`UNE+${o.uneCount ?? 1}+G1`);
  segs.push(`UNZ+${o.unzCount ?? 1}+${o.unzRef ?? 'IC1'}`);
  const sep = o.newline === false ? '' : '\n';
  const una = o.una === undefined ? "UNA:+.? '" : o.una;
  return (una === null ? '' : una + sep) + segs.map((s) => s + t).join(sep) + sep;
}

export const FLIGHT = [
  'BGM+745',
  'TDT+20+LH0400+++LH',
  'LOC+125+FRA',
  'DTM+189:2612011030:201',
  'LOC+87+JFK',
  'DTM+232:2612011305:201',
];

export function person(name: string, extra: string[] = [], qualifier = 'FL'): string[] {
  return [`NAD+${qualifier}+++${name}`, ...extra];
}
