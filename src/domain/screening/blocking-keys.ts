/**
 * Blocking keys: the few integers under which a registrant is filed, so that a passenger is compared
 * only with registrants sharing one of them — never with the whole registry.
 *
 * Name tokens are reduced to phonetic keys (phonetic.ts), which already ignore doubled letters, vowel
 * spellings and most romanisation differences. A key's neighbourhood N(k) is k and its one-symbol
 * deletions (for keys of two or more symbols); two keys one substitution, insertion, deletion or swap
 * apart share a member of their neighbourhoods (symmetric deletion, as in SymSpell) — so a dropped
 * letter (MEYE/MEYER) or a first letter romanised another way (GEORGIOU/YEORGIOU) still meets.
 *
 *   D<date>:{a,x}  for each pair of name tokens (a, b) of one name form: {a, x} for x in N(b) and
 *                  {x, b} for x in N(a), unordered, under the full date of birth. Two tokens must agree
 *                  — one exactly, the other up to one edit of its key — and the date must be equal:
 *                  the block for a name written another way. A passenger also looks up the exact
 *                  pairs on every date one typing error away within the year (one day either
 *                  side, one digit of month or day, day and month swapped): about 25 small blocks
 *                  instead of the whole year, which for the commonest names holds hundreds.
 *   Y<year>:{a,b}  exact pairs under the birth year: for passengers whose date is a year or a
 *                  year and month only.
 *   A<mmdd>:{a,b}  exact pairs under month and day, any year: a year typed wrongly (1953 for 1963,
 *                  1985 for 1986) keeps the day.
 *   T<year>:{a,x}  the fuzzy pairs of D under the year, for registrants with a partial date (and the
 *                  years either side); passengers look them up in their birth year.
 *   S<year>:k      each token key: for passengers with a single name token (years −1…+1).
 *   M<year>:k      registrants with a single name token (mononyms), looked up with every passenger token.
 *   P:{a,b}        exact pairs without year: for passengers without a date of birth.
 *   X:<number>     each document number (present and past) and its one-character deletions.
 *
 * A passenger's token is also looked up by the prefixes of its key, so a compound given name written
 * joined (JUANCARLOS, key ANKR) meets its first part (JUAN, key AN); given names written apart
 * (XIAO MING) are also tried joined.
 *
 * Keys are 31-bit integers (FNV-1a of strings, murmur3 mixing of code hashes, date and namespace);
 * a collision only adds a candidate, which scoring rejects.
 */
import { phoneticKey } from './phonetic.js';

/** FNV-1a 32-bit, folded to 31 bits. */
export function hashKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ (h >>> 31)) & 0x7fffffff;
}

/**
 * A phonetic key and its one-symbol deletions. Keys of two symbols have neighbours too (MEYER = NR,
 * MEYE = N): the blocks they open are keyed by a full date, so they stay small.
 */
export function keyNeighbourhood(key: string): string[] {
  const out = [key];
  if (key.length >= 2) {
    for (let i = 0; i < key.length; i++) {
      // Repeats collapse again, as in phoneticKey: NGUYEN = NKN less K is N, the key of NUYEN.
      const d = (key.slice(0, i) + key.slice(i + 1)).replace(/(.)\1+/g, '$1');
      if (!out.includes(d)) out.push(d);
    }
  }
  return out;
}

/** Document number and its one-character deletions. */
export function documentNeighbourhood(n: string): string[] {
  const out = new Set([n]);
  if (n.length >= 6) for (let i = 0; i < n.length; i++) out.add(n.slice(0, i) + n.slice(i + 1));
  return [...out];
}

const MAX_TOKENS = 5;

/** Namespaces of the key kinds, mixed into every hash. */
const NS_PAIR = 1;
const NS_SINGLE = 2;
const NS_MONONYM = 3;
const NS_EXACT_PAIR = 4;
const NS_DATE_PAIR = 5;
const NS_YEAR_PAIR = 6;
const NS_DAY_PAIR = 7;

/** 32-bit mixing (murmur3 finaliser): keys are built from numbers, not strings, on the hot path. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const codeHashes = new Map<string, number>();
const neighbourhoods = new Map<string, number[]>();

function codeHash(code: string): number {
  let h = codeHashes.get(code);
  if (h === undefined) {
    if (codeHashes.size > 100_000) codeHashes.clear();
    h = hashKey(code);
    codeHashes.set(code, h);
  }
  return h;
}

/** Hashes of N(code), cached: a registry has only tens of thousands of distinct codes. */
function neighbourhoodHashes(code: string): number[] {
  let n = neighbourhoods.get(code);
  if (n === undefined) {
    if (neighbourhoods.size > 100_000) neighbourhoods.clear();
    n = keyNeighbourhood(code).map(codeHash);
    neighbourhoods.set(code, n);
  }
  return n;
}

const unorderedKey = (ns: number, year: number, a: number, b: number): number =>
  mix(mix(mix(ns, year), a < b ? a : b), a < b ? b : a) & 0x7fffffff;

/** Phonetic keys of a name's tokens (at most MAX_TOKENS; the rest add little and cost keys). */
export function tokenCodes(tokens: readonly string[]): string[] {
  return tokens
    .slice(0, MAX_TOKENS)
    .map(phoneticKey)
    .filter((k) => k !== '');
}

/** Appends the key of every unordered pair {a, x}, {x, b} over all code pairs (a, b) to `out`. */
function pairKeys(codes: readonly string[], year: number, out: { push(k: number): unknown }, ns = NS_PAIR): void {
  for (let i = 0; i < codes.length; i++) {
    const a = codes[i]!;
    const ha = codeHash(a);
    const na = neighbourhoodHashes(a);
    for (let j = i + 1; j < codes.length; j++) {
      const b = codes[j]!;
      const hb = codeHash(b);
      for (const x of neighbourhoodHashes(b)) out.push(unorderedKey(ns, year, ha, x));
      for (const x of na) if (x !== ha) out.push(unorderedKey(ns, year, x, hb));
    }
  }
}

export const singleKey = (year: number, code: string): number => mix(mix(NS_SINGLE, year), codeHash(code)) & 0x7fffffff;
export const mononymKey = (year: number, code: string): number =>
  mix(mix(NS_MONONYM, year), codeHash(code)) & 0x7fffffff;
export const exactPairKey = (a: string, b: string): number => unorderedKey(NS_EXACT_PAIR, 0, codeHash(a), codeHash(b));
/** Exact pair of codes with the birth year. */
export const yearPairKey = (year: number, a: string, b: string): number =>
  unorderedKey(NS_YEAR_PAIR, year, codeHash(a), codeHash(b));
/** Exact pair of codes with month and day (MMDD), any year. */
export const dayPairKey = (monthDay: number, a: string, b: string): number =>
  unorderedKey(NS_DAY_PAIR, monthDay, codeHash(a), codeHash(b));
/** Exact pair of codes with the full packed date: the member {a, b} of the date's fuzzy pairs. */
export const datePairKey = (packedDate: number, a: string, b: string): number =>
  unorderedKey(NS_DATE_PAIR, packedDate, codeHash(a), codeHash(b));
export const documentKey = (n: string): number => hashKey(`D:${n}`);

const isPartialDate = (packed: number): boolean => packed % 100 === 0 || Math.floor(packed / 100) % 100 === 0;

/**
 * Every key a registrant is filed under (deduplicated). `packedDate`: YYYYMMDD, 00 for unknown parts,
 * 0 when unknown. A full date files the fuzzy name pairs under the date, and the exact pairs under
 * the year and under month and day; a partial date files the fuzzy pairs under its year and the years
 * either side, since it cannot say more.
 */
export function registrantKeys(
  names: readonly (readonly string[])[],
  packedDate: number,
  documents: readonly string[],
): number[] {
  const keys: number[] = [];
  const year = Math.floor(packedDate / 10000);
  const partial = year === 0 || isPartialDate(packedDate);
  for (const tokens of names) {
    const codes = tokenCodes(tokens);
    if (partial) for (const y of year === 0 ? [0] : [year - 1, year, year + 1]) pairKeys(codes, y, keys);
    else pairKeys(codes, packedDate, keys, NS_DATE_PAIR);
    for (let i = 0; i < codes.length; i++) {
      for (let j = i + 1; j < codes.length; j++) {
        const a = codes[i]!;
        const b = codes[j]!;
        if (!partial) keys.push(yearPairKey(year, a, b), dayPairKey(packedDate % 10000, a, b));
        keys.push(exactPairKey(a, b));
      }
    }
    for (const c of codes) keys.push(singleKey(year, c));
    if (codes.length === 1) keys.push(mononymKey(year, codes[0]!));
  }
  for (const n of documents) for (const d of documentNeighbourhood(n)) keys.push(documentKey(d));
  return [...new Set(keys)];
}

export interface PassengerKeyOptions {
  /** Also look in the "year unknown" bucket — skipped while no registrant lacks a birth year. */
  withUnknownYear: boolean;
  /** Look up registrants with a single name token — skipped while there are none. */
  withMononyms: boolean;
  /** Look up registrants filed with a partial date — skipped while there are none. */
  withPartial: boolean;
}

/** Packed dates one day before and after a full packed date (across month and year ends). */
function neighbourDays(packed: number): number[] {
  const y = Math.floor(packed / 10000);
  const m = Math.floor(packed / 100) % 100;
  const d = packed % 100;
  return [-1, 1].map((delta) => {
    const t = new Date(Date.UTC(y, m - 1, d + delta));
    return t.getUTCFullYear() * 10000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
  });
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Full dates one typing error from `packed` within its year: one day either side (across month and
 * year ends too), one digit of the month or the day changed, day and month swapped.
 */
export function typingErrorsOf(packed: number): number[] {
  const y = Math.floor(packed / 10000);
  const m = Math.floor(packed / 100) % 100;
  const d = packed % 100;
  const out = new Set(neighbourDays(packed));
  const add = (mm: number, dd: number): void => {
    if (mm >= 1 && mm <= 12 && dd >= 1 && dd <= DAYS_IN_MONTH[mm - 1]!) out.add(y * 10000 + mm * 100 + dd);
  };
  for (let digit = 0; digit <= 9; digit++) {
    add(Math.floor(m / 10) * 10 + digit, d);
    add(digit * 10 + (m % 10), d);
    add(m, Math.floor(d / 10) * 10 + digit);
    add(m, digit * 10 + (d % 10));
  }
  add(d, m);
  out.delete(packed);
  return [...out];
}

/** The code, and its prefixes of two and three symbols: a joined compound name's first part. */
function withPrefixes(code: string): string[] {
  const out = [code];
  for (let n = 2; n < code.length; n++) out.push(code.slice(0, n));
  return out;
}

/** Name keys to look up for a passenger (may repeat a key; the index visits each slot once). */
export function passengerNameKeys(tokens: readonly string[], packedDate: number, o: PassengerKeyOptions): number[] {
  const keys: number[] = [];
  const codes = tokenCodes(tokens);
  const year = Math.floor(packedDate / 10000);
  const exactPairs: Array<[string, string]> = [];
  for (let i = 0; i < codes.length; i++)
    for (let j = i + 1; j < codes.length; j++) exactPairs.push([codes[i]!, codes[j]!]);
  if (year === 0) {
    for (const [a, b] of exactPairs) keys.push(exactPairKey(a, b));
    return keys;
  }
  // Pairs to look up with the fuzzy date blocks: every pair of tokens, and for given names written
  // apart ("XIAO MING") where the registry joins them ("XIAOMING"), the joined token with each token
  // not part of it. A token's key prefixes are paired exactly with each other token, on the date:
  // a joined compound name (JUANCARLOS) meets its first part (JUAN).
  const pairs: Array<[string, string]> = [...exactPairs];
  const prefixPairs: Array<[string, string]> = [];
  for (let i = 0; i < codes.length; i++) {
    for (const prefix of withPrefixes(codes[i]!).slice(1)) {
      for (let k = 0; k < codes.length; k++) if (k !== i) prefixPairs.push([prefix, codes[k]!]);
    }
  }
  for (let i = 0; tokens.length >= 3 && i + 1 < Math.min(tokens.length, MAX_TOKENS); i++) {
    const joined = phoneticKey(tokens[i]! + tokens[i + 1]!);
    for (let k = 0; k < codes.length; k++) if (k !== i && k !== i + 1) pairs.push([joined, codes[k]!]);
  }
  const partial = isPartialDate(packedDate);
  if (!partial) {
    for (const p of pairs) pairKeys(p, packedDate, keys, NS_DATE_PAIR);
    for (const [a, b] of prefixPairs) keys.push(datePairKey(packedDate, a, b));
    // A date typed wrongly within the year: the exact pairs on each date one typing error away,
    // rather than the whole year — for the commonest names the year is a block of hundreds.
    for (const d of typingErrorsOf(packedDate)) for (const [a, b] of exactPairs) keys.push(datePairKey(d, a, b));
    for (const [a, b] of exactPairs) keys.push(dayPairKey(packedDate % 10000, a, b));
  } else for (const [a, b] of exactPairs) keys.push(yearPairKey(year, a, b));
  if (partial || o.withPartial) for (const p of pairs) pairKeys(p, year, keys);
  if (o.withUnknownYear) for (const p of pairs) pairKeys(p, 0, keys);
  for (const y of [year - 1, year, year + 1]) {
    if (o.withMononyms) for (const c of codes) keys.push(mononymKey(y, c));
    if (tokens.length === 1) for (const c of codes) keys.push(singleKey(y, c));
  }
  return keys;
}

/** Keys of the passenger's document numbers and their one-edit neighbourhoods. */
export function passengerDocumentKeys(documents: readonly string[]): number[] {
  const keys: number[] = [];
  for (const n of documents) for (const d of documentNeighbourhood(n)) keys.push(documentKey(d));
  return keys;
}
