/**
 * A phonetic key for name tokens, built for transliteration variants rather than for English spelling
 * (Soundex/Metaphone assume English). Tokens that sound alike across the usual romanisations get the
 * same key: YURI/IURII/JURIJ, SHCHUKIN/SCHUKIN/SHUKIN, MOHAMMED/MUHAMMAD/MHMD, KHALID/HALID,
 * TSOI/TSOY/COI, PAPADOPOULOS/PAPADOPOYLOS.
 *
 * Rules, in order:
 * 1. digraphs: SHCH, SCH, TSCH, TCH, CH, SH, ZH, CZ, SZ, TS, TZ, DZ → S; KH → H (Х and خ are written
 *    KH, H and X); GH, CK, Q → K; PH → F;
 *    TH, DH → T; X → KS (pinyin X is closer to S, but KS keeps "ALEX"/"ALEKS" together);
 * 2. letter classes: B P F V W → B; C G J? K → K (C before E/I/Y → S); S Z → S; D T → T; L → L;
 *    M N → N (the most confused pair in typing and hearing); R → R;
 *    vowels, Y, H, J → not written (transliterations disagree most on them: Й = Y/I/J, Х = KH/H);
 * 3. a token starting with a vowel (or Y/J + vowel) gets a leading "A", so IVAN and VAN differ; an
 *    initial H does not (Arabic script does not write the vowel: حسن = HSN ~ HASSAN);
 * 4. repeated symbols collapse (PAPA → B); at most MAX_KEY symbols are kept.
 */

export const MAX_KEY = 4;

const DIGRAPHS: Array<[RegExp, string]> = [
  [/TSCH|SHCH|SCH|TCH|CH|SH|ZH|CZ|SZ|TS|TZ|DZ/g, 'S'],
  [/KH/g, 'H'],
  [/GH|CK|Q/g, 'K'],
  [/PH/g, 'F'],
  [/TH|DH/g, 'T'],
  [/X/g, 'KS'],
  [/C(?=[EIY])/g, 'S'],
];

const CLASS: Record<string, string> = {
  B: 'B',
  P: 'B',
  F: 'B',
  V: 'B',
  W: 'B',
  C: 'K',
  G: 'K',
  K: 'K',
  S: 'S',
  Z: 'S',
  D: 'T',
  T: 'T',
  L: 'L',
  M: 'N',
  N: 'N',
  R: 'R',
};

const cache = new Map<string, string>();

export function phoneticKey(token: string): string {
  const hit = cache.get(token);
  if (hit !== undefined) return hit;
  // Doubled letters first: a doubled letter must not make a digraph (SCCHMIDT is SCHMIDT, not S-K-S).
  let s = token.replace(/([A-Z])\1+/g, '$1');
  for (const [re, to] of DIGRAPHS) s = s.replace(re, to);
  let key = /^[YJ]?[AEIOU]/.test(s) ? 'A' : '';
  for (const ch of s) {
    const c = CLASS[ch];
    if (c === undefined || key.endsWith(c)) continue;
    key += c;
    if (key.length === MAX_KEY) break;
  }
  // Tokens of vowels and H only (HE, HU, AI): still a key, or they could not take part in blocking.
  if (key === '' && token !== '') key = 'A';
  if (cache.size > 200_000) cache.clear();
  cache.set(token, key);
  return key;
}
