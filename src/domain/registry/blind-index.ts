/**
 * Blind indexes: search encrypted registrants by name, date of birth and document number without
 * decrypting them.
 *
 * Each index value is HMAC-SHA256 under a dedicated index key (never the KEK: a leaked index key
 * then exposes equality patterns, not the data), over a domain-separated, normalised value, truncated
 * to 128 bits (16 bytes, 22 base64url characters). 128 bits keeps accidental collisions out of reach
 * for any registry size; truncation is not meant to hide anything. What an index reveals to someone
 * holding the database but not the index key is equality: two records share a name token, a date of
 * birth or a document number. docs/registry-and-travel-reports.md explains why that is accepted here.
 *
 * Normalisation makes spelling variants of one name meet (a search returns candidates, and staff
 * confirm on the decrypted record): Unicode NFKD with combining marks removed, case folded, Greek
 * digraphs per ELOT 743, any other script transliterated to Latin by `any-ascii`, then a small fold of
 * the variants transliteration schemes disagree on (ICAO 9303 "IU" vs BGN "YU", "KH" vs "H", …).
 */
import { createHmac } from 'node:crypto';
import anyAscii from 'any-ascii';
import { TnxError } from '../../core/errors.js';
import type { Person, TravelDocument } from '../protocol/types.js';
import type { SymmetricKey } from './key-file.js';

export const BLIND_INDEX_BYTES = 16;
export type BlindIndexKind = 'name' | 'dob' | 'dob_year' | 'doc';

/** Name tokens shorter than this (initials) are not indexed: they would match nearly everyone. */
const MIN_TOKEN_LENGTH = 2;

// ELOT 743 / ICAO: αυ, ευ, ηυ read "av/ev/iv" before vowels and voiced consonants, "af/ef/if" otherwise.
const GREEK_U_VOICED = /([αεη])υ(?=[αεηιουωβγδζλμνρ])/g;
const GREEK_U_VOICELESS = /([αεη])υ/g;
const GREEK_VOWEL_LATIN: Record<string, string> = { α: 'a', ε: 'e', η: 'i' };

/** Fold the letters Latin transliterations of one name commonly disagree on. Order matters. */
function foldToken(t: string): string {
  return t
    .replace(/kh/g, 'h') // Х: ICAO "KH", German "CH"/"H"
    .replace(/ph/g, 'f') // Φ: "PH" vs ELOT "F"
    .replace(/x/g, 'ks') // Aleksandr / Alexandr
    .replace(/w/g, 'v') // В in German-style transliteration
    .replace(/[yj]/g, 'i') // Й, Ю, Я, Ы: "Y"/"J"/"I" across schemes
    .replace(/ie/g, 'e') // Е after the y→i fold: "YE" vs "E"
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u') // Ä/Ö/Ü written as "AE/OE/UE" in the MRZ (ICAO 9303 Part 3)
    .replace(/(.)\1+/g, '$1'); // "Dmitrii"/"Dmitri", "Mueller"/"Muller"
}

/** Normalised search tokens of a name string (any script). */
export function nameTokens(text: string): string[] {
  let s = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  s = s.replace(/ου/g, 'ou');
  s = s.replace(GREEK_U_VOICED, (_m, v: string) => `${GREEK_VOWEL_LATIN[v] ?? v}v`);
  s = s.replace(GREEK_U_VOICELESS, (_m, v: string) => `${GREEK_VOWEL_LATIN[v] ?? v}f`);
  const ascii = anyAscii(s).toLowerCase();
  return ascii
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0)
    .map(foldToken)
    .filter((t) => t.length >= MIN_TOKEN_LENGTH);
}

/** Document numbers: upper case, letters and digits only (spaces, dashes, dots, '<' filler removed). */
export function normaliseDocumentNumber(n: string): string {
  return anyAscii(n.normalize('NFKC'))
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** HMAC-SHA256(indexKey, "tnx.blind-index.v1" ‖ 0 ‖ kind ‖ 0 ‖ value), first 16 bytes, base64url. */
export function blindIndex(key: SymmetricKey, kind: BlindIndexKind, value: string): string {
  return createHmac('sha256', key.secret)
    .update(`tnx.blind-index.v1\u0000${kind}\u0000${value}`, 'utf8')
    .digest()
    .subarray(0, BLIND_INDEX_BYTES)
    .toString('base64url');
}

function dobTerms(key: SymmetricKey, dob: string): string[] {
  // A partial date ("1980" or "1980-05") is indexed as given plus its year, so a year search finds
  // every precision; a full-date search finds records with that exact full date.
  const year = dob.slice(0, 4);
  return dob.length > 4
    ? [blindIndex(key, 'dob', dob), blindIndex(key, 'dob_year', year)]
    : [blindIndex(key, 'dob_year', year)];
}

/** Every index value of a person: name tokens (Latin, original script, aliases), DOB, documents. */
export function personIndexes(
  person: Person,
  key: SymmetricKey,
  pastDocuments: readonly TravelDocument[] = [],
): string[] {
  const names = [
    person.name,
    ...(person.nameOriginalScript ? [person.nameOriginalScript] : []),
    ...(person.aliases ?? []),
  ];
  const tokens = new Set(names.flatMap((n) => nameTokens([n.family, ...n.given].join(' '))));
  const out = new Set<string>();
  for (const t of tokens) out.add(blindIndex(key, 'name', t));
  for (const v of dobTerms(key, person.dateOfBirth)) out.add(v);
  // A past passport finds the person too: a document-number search is how staff check one.
  for (const d of [...person.travelDocuments, ...pastDocuments]) {
    const n = normaliseDocumentNumber(d.number);
    if (n.length > 0) out.add(blindIndex(key, 'doc', n));
  }
  return [...out].sort();
}

export interface RegistrantQuery {
  /** Any name, any script; every token must match (family and given, in any order). */
  name?: string;
  /** "YYYY" (year) or "YYYY-MM-DD" (exact). */
  dateOfBirth?: string;
  documentNumber?: string;
}

/**
 * The index values a record must all carry to match the query (AND). Empty when the query has no
 * searchable content — callers must refuse such a query rather than list everyone.
 */
export function searchTerms(query: RegistrantQuery, key: SymmetricKey): string[] {
  const terms = new Set<string>();
  if (query.name !== undefined) for (const t of nameTokens(query.name)) terms.add(blindIndex(key, 'name', t));
  if (query.dateOfBirth !== undefined) {
    const d = query.dateOfBirth;
    if (!/^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$/.test(d)) {
      throw new TnxError('invalid_request', 'dateOfBirth must be YYYY or YYYY-MM-DD', { pointer: 'dateOfBirth' });
    }
    terms.add(d.length === 4 ? blindIndex(key, 'dob_year', d) : blindIndex(key, 'dob', d));
  }
  if (query.documentNumber !== undefined) {
    const n = normaliseDocumentNumber(query.documentNumber);
    if (n.length > 0) terms.add(blindIndex(key, 'doc', n));
  }
  return [...terms].sort();
}

/** True when `indexes` holds every term (the in-memory form of the store's query). */
export function matchesAll(indexes: readonly string[], terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  const have = new Set(indexes);
  return terms.every((t) => have.has(t));
}
