/**
 * Blocking keys: the few integers under which a registrant is filed, so that a passenger is compared
 * only with registrants sharing one of them — never with the whole registry.
 *
 * Name tokens are reduced to phonetic keys (phonetic.ts). A key's neighbourhood N(k) is k and, for
 * keys of three or more symbols, its one-symbol deletions; two keys one substitution, insertion,
 * deletion or swap apart share a member of their neighbourhoods (symmetric deletion, as in SymSpell).
 *
 *   T<year>:{a,x}  for each pair of name tokens (a, b) of one name form: {a, x} for x in N(b) and
 *                  {x, b} for x in N(a), unordered. Two tokens must agree — one exactly, the other up
 *                  to one edit of its key — and the birth year must match. This is the main block:
 *                  a common given name alone (JOHN, 1980) never makes a candidate; JOHN + SMITH,
 *                  1980 does, and so does JOHN + SMIHT. A registrant with a partial date of birth
 *                  is filed under the years either side too.
 *   F<date>:{a,b}  exact pairs under the full date of birth: a passenger born on the same day a year
 *                  earlier or later (a year typo) is looked up here, not in the whole year.
 *   S<year>:k      each token key: for passengers with a single name token (years −1…+1).
 *   M<year>:k      registrants with a single name token (mononyms), looked up with every passenger token.
 *   P:{a,b}        exact pairs without year: for passengers without a date of birth.
 *   D:<number>     each document number and its one-character deletions (one edit, as above).
 *
 * Keys are 31-bit integers (FNV-1a of strings, murmur3 mixing of code hashes, year and namespace);
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

/** A phonetic key and its one-symbol deletions (only for keys of ≥ 3 symbols: shorter ones match too much). */
export function keyNeighbourhood(key: string): string[] {
  const out = [key];
  if (key.length >= 3) {
    for (let i = 0; i < key.length; i++) {
      const d = key.slice(0, i) + key.slice(i + 1);
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
const NS_FULL_DATE_PAIR = 5;

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
function pairKeys(codes: readonly string[], year: number, out: { push(k: number): unknown }): void {
  for (let i = 0; i < codes.length; i++) {
    const a = codes[i]!;
    const ha = codeHash(a);
    const na = neighbourhoodHashes(a);
    for (let j = i + 1; j < codes.length; j++) {
      const b = codes[j]!;
      const hb = codeHash(b);
      for (const x of neighbourhoodHashes(b)) out.push(unorderedKey(NS_PAIR, year, ha, x));
      for (const x of na) if (x !== ha) out.push(unorderedKey(NS_PAIR, year, x, hb));
    }
  }
}

export const singleKey = (year: number, code: string): number => mix(mix(NS_SINGLE, year), codeHash(code)) & 0x7fffffff;
export const mononymKey = (year: number, code: string): number =>
  mix(mix(NS_MONONYM, year), codeHash(code)) & 0x7fffffff;
export const exactPairKey = (a: string, b: string): number => unorderedKey(NS_EXACT_PAIR, 0, codeHash(a), codeHash(b));
/** Exact pair of codes with the full packed date of birth (YYYYMMDD). */
export const fullDatePairKey = (packedDate: number, a: string, b: string): number =>
  unorderedKey(NS_FULL_DATE_PAIR, packedDate, codeHash(a), codeHash(b));
export const documentKey = (n: string): number => hashKey(`D:${n}`);

const isPartialDate = (packed: number): boolean => packed % 100 === 0 || Math.floor(packed / 100) % 100 === 0;

/**
 * Every key a registrant is filed under (deduplicated). `packedDate`: YYYYMMDD, 00 for unknown parts,
 * 0 when unknown. A full date files the name pairs under its year, plus exact pairs under the full
 * date (found by passengers born a year apart on the same day); a partial date files the name pairs
 * under its year and the years either side, since it cannot say more.
 */
export function registrantKeys(
  names: readonly (readonly string[])[],
  packedDate: number,
  documents: readonly string[],
): number[] {
  const keys: number[] = [];
  const year = Math.floor(packedDate / 10000);
  const partial = year === 0 || isPartialDate(packedDate);
  const years = year === 0 ? [0] : partial ? [year - 1, year, year + 1] : [year];
  for (const tokens of names) {
    const codes = tokenCodes(tokens);
    for (const y of years) pairKeys(codes, y, keys);
    for (let i = 0; i < codes.length; i++) {
      for (let j = i + 1; j < codes.length; j++) {
        if (!partial) keys.push(fullDatePairKey(packedDate, codes[i]!, codes[j]!));
        keys.push(exactPairKey(codes[i]!, codes[j]!));
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
  /**
   * Look up name pairs in the years either side with any month and day. Needed only when a year off
   * by one *and* a different day could still reach the threshold; otherwise a full date looks up
   * exact pairs under the same day a year either side, which is far more selective.
   */
  wideYears: boolean;
}

/** Name keys to look up for a passenger (may repeat a key; the index visits each slot once). */
export function passengerNameKeys(tokens: readonly string[], packedDate: number, o: PassengerKeyOptions): number[] {
  const keys: number[] = [];
  const codes = tokenCodes(tokens);
  const year = Math.floor(packedDate / 10000);
  if (year === 0) {
    for (let i = 0; i < codes.length; i++)
      for (let j = i + 1; j < codes.length; j++) keys.push(exactPairKey(codes[i]!, codes[j]!));
    return keys;
  }
  // Pairs of codes to look up: every pair of tokens, and — for given names written apart ("XIAO MING")
  // where the registry joins them ("XIAOMING") — the joined token with each token not part of it.
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < codes.length; i++) for (let j = i + 1; j < codes.length; j++) pairs.push([codes[i]!, codes[j]!]);
  for (let i = 0; tokens.length >= 3 && i + 1 < Math.min(tokens.length, MAX_TOKENS); i++) {
    const joined = phoneticKey(tokens[i]! + tokens[i + 1]!);
    for (let k = 0; k < codes.length; k++) if (k !== i && k !== i + 1) pairs.push([joined, codes[k]!]);
  }
  const years = [year];
  if (o.withUnknownYear) years.push(0);
  const wide = o.wideYears || isPartialDate(packedDate);
  if (wide) years.push(year - 1, year + 1);
  for (const y of years) for (const p of pairs) pairKeys(p, y, keys);
  if (!wide) {
    for (const p of pairs) {
      keys.push(fullDatePairKey(packedDate - 10000, p[0], p[1]), fullDatePairKey(packedDate + 10000, p[0], p[1]));
    }
  }
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
