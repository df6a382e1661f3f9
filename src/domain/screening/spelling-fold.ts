/**
 * Folds the spelling differences between romanisation systems, so that Jaro-Winkler compares
 * "the same name written another way" as equal: YURIY / IURII / JURIJ / YURI → IURI,
 * KHALED / HALED, SHCHUKIN / SCHUKIN, KAREEM / KARIM, HASSAN / HASAN, PAPADOPOULOS / PAPADOPOYLOS,
 * WLADIMIR / VLADIMIR. Unlike the phonetic key it keeps vowels, so unrelated names stay apart.
 * Sources: ICAO 9303 Part 3 vs BGN/PCGN and German/French conventions for Cyrillic; ELOT 743 vs
 * letter-by-letter Greek; common Arabic romanisations (ee/i, oo/u, doubled consonants).
 */
const RULES: Array<[RegExp, string]> = [
  [/OY(?![AEIOU]|$)/g, 'U'], // Greek ΟΥ letter by letter
  [/^[YJ](?=[AEIOU])/, 'I'],
  [/(?<=[AEIOU])[YJ](?=[AEIOU])/g, 'I'],
  [/(IY|IJ|II|YI|Y)$/, 'I'],
  [/SHTCH|SHCH|SCH/g, 'SH'],
  [/KH/g, 'H'],
  [/TZ|TS/g, 'C'],
  [/PH/g, 'F'],
  [/W/g, 'V'],
  [/OU|OO/g, 'U'],
  [/EE/g, 'I'],
  [/([A-Z])\1+/g, '$1'],
];

const cache = new Map<string, string>();

export function foldSpelling(token: string): string {
  let f = cache.get(token);
  if (f !== undefined) return f;
  f = token;
  for (const [re, to] of RULES) f = f.replace(re, to);
  if (cache.size > 200_000) cache.clear();
  cache.set(token, f);
  return f;
}
