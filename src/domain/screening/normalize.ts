/**
 * Name normalisation for matching: one function from a name as written (any script, any case,
 * with accents, hyphens, apostrophes, particles) to a list of tokens of letters A–Z.
 *
 * Steps: Unicode NFKD (compatibility forms like ligatures and full-width letters are unfolded, accents
 * become separate combining marks) → combining marks removed → upper case (case folding for names;
 * Greek final sigma handled in transliterate.ts) → Cyrillic/Greek/Arabic/other scripts to Latin
 * (transliterate.ts) → apostrophes joined (O'BRIEN → OBRIEN, as in the MRZ), hyphens and other
 * punctuation split tokens → particles and titles dropped → tokens.
 *
 * Order: the result is a bag of tokens; family and given names are pooled, so a name reported with
 * family and given swapped (common for Chinese, Hungarian and Korean names) compares equal.
 */
import { transliterate } from './transliterate.js';

/**
 * Particles and titles that are written, omitted or joined inconsistently across documents
 * ("AL HASSAN" / "ALHASSAN" / "HASSAN", "VAN DER BERG" / "VANDERBERG"). Dropped when another token
 * of the same name part follows them — a given name that is itself "DE" or "LE" (Chinese, Vietnamese)
 * is a name, not a particle.
 */
const PARTICLES = new Set([
  'AL',
  'EL',
  'BIN',
  'BEN',
  'IBN',
  'BINT',
  'BINTI',
  'BINTE',
  'VAN',
  'VON',
  'DER',
  'DEN',
  'DE',
  'DA',
  'DI',
  'DEL',
  'DELLA',
  'DOS',
  'DAS',
  'DO',
  'DU',
  'LA',
  'LE',
  'Y',
  'E',
  'MR',
  'MRS',
  'MS',
  'MISS',
  'DR',
]);

const COMBINING = /\p{M}/gu;
const APOSTROPHES = /['\u2019\u02BC\u0060\u00B4]/g;

/** One string (a family name, a given name, or a whole name) → tokens, particles kept. */
export function nameTokensRaw(text: string): string[] {
  // Fast path: manifests are upper-case ASCII (MRZ alphabet) — nothing to fold or transliterate.
  if (/^[A-Z ]*$/.test(text)) return text.split(' ').filter((t) => t !== '');
  const folded = text.normalize('NFKD').replace(COMBINING, '').toUpperCase();
  const latin = transliterate(folded).toUpperCase().replace(APOSTROPHES, '');
  return latin.split(/[^A-Z]+/).filter((t) => t !== '');
}

/** Family name and given names → the bag of tokens used for matching. */
export function normalizeName(familyName: string, givenNames: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const part of [familyName, ...givenNames]) {
    const tokens = nameTokensRaw(part);
    tokens.forEach((t, i) => {
      if (i === tokens.length - 1 || !PARTICLES.has(t)) out.push(t);
    });
  }
  return out;
}

/**
 * The Arabic article is often written onto the name ("ALDOSSARY", "ELKHATIB") where the registry
 * keeps it apart or drops it ("AL DOSSARY", "KHATIB"). For a name with such a token, the same name
 * with the article removed — a second form to compare and to look up; null when there is none.
 * (ALEXANDER gets a harmless second form EXANDER: it only adds a candidate that scoring judges.)
 */
export function withoutJoinedArticle(tokens: readonly string[]): string[] | null {
  if (!tokens.some((t) => JOINED_ARTICLE.test(t))) return null;
  return tokens.map((t) => (JOINED_ARTICLE.test(t) ? t.slice(2) : t));
}
const JOINED_ARTICLE = /^(AL|EL)[A-Z]{4,}$/;

/** Document numbers compare without spaces, hyphens or the MRZ filler '<', upper case. */
export function normalizeDocumentNumber(n: string): string {
  return n.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
