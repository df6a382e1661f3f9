/**
 * Transliteration of names to Latin letters A–Z.
 *
 * Library: `any-ascii` (well kept, table-driven, no dependencies) handles every script we do not
 * treat ourselves — Han to pinyin without tones, Latin letters like ß/Ø/Ł/Æ, Hangul, Kana, … —
 * but it follows BGN/PCGN-like conventions letter by letter, which for names differs from what is
 * printed in passports (ICAO Doc 9303 Part 3, §6 "Transliteration of multinational characters"):
 *   - Cyrillic: any-ascii gives Й→Y, Ю→YU, Я→YA, Ъ→', Ь→'; ICAO gives Й→I, Ю→IU, Я→IA, Ъ→IE, Ь→(none).
 *   - Greek: any-ascii maps Υ→Y even in the digraph ΟΥ (so Παπαδόπουλος → "Papadopoylos");
 *     ICAO/ELOT 743 give ΟΥ→OU, ΑΥ→AV, ΕΥ→EV, initial ΜΠ→B, ΝΤ→D, ΓΚ→G, ΓΓ→NG, Η→I, Χ→CH.
 *   - Arabic: any-ascii drops unwritten short vowels and keeps ʿayn as "`" (محمد → "mhmd");
 *     we drop the article "ال" as a separate particle, map long vowels (ا و ي) to A/U/I and leave
 *     short vowels unwritten — the phonetic key (phonetic.ts) ignores vowels anyway, so "MHMD" and
 *     "MOHAMMED" share a key.
 * So Cyrillic, Greek and Arabic go through the ICAO-style tables below; the rest through any-ascii.
 * Variants that remain (YU/IU/JU, KH/H, SHCH/SCH) are the matcher's job (Jaro-Winkler + phonetic key).
 */
import anyAscii from 'any-ascii';

/** ICAO 9303 Part 3, Cyrillic (Russian, Ukrainian, Belarusian, Serbian/Macedonian letters). */
const CYRILLIC: Record<string, string> = {
  А: 'A',
  Б: 'B',
  В: 'V',
  Г: 'G',
  Д: 'D',
  Е: 'E',
  Ё: 'E',
  Ж: 'ZH',
  З: 'Z',
  И: 'I',
  Й: 'I',
  К: 'K',
  Л: 'L',
  М: 'M',
  Н: 'N',
  О: 'O',
  П: 'P',
  Р: 'R',
  С: 'S',
  Т: 'T',
  У: 'U',
  Ф: 'F',
  Х: 'KH',
  Ц: 'TS',
  Ч: 'CH',
  Ш: 'SH',
  Щ: 'SHCH',
  Ъ: 'IE',
  Ы: 'Y',
  Ь: '',
  Э: 'E',
  Ю: 'IU',
  Я: 'IA',
  Ґ: 'G',
  Є: 'IE',
  І: 'I',
  Ї: 'I',
  Ў: 'U',
  Ђ: 'D',
  Ј: 'J',
  Љ: 'LJ',
  Њ: 'NJ',
  Ћ: 'C',
  Џ: 'DZ',
  Ѓ: 'G',
  Ќ: 'K',
  Ѕ: 'DZ',
};

/** ICAO 9303 / ELOT 743 Greek, single letters (digraphs handled first, see GREEK_DIGRAPHS). */
const GREEK: Record<string, string> = {
  Α: 'A',
  Β: 'V',
  Γ: 'G',
  Δ: 'D',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'I',
  Θ: 'TH',
  Ι: 'I',
  Κ: 'K',
  Λ: 'L',
  Μ: 'M',
  Ν: 'N',
  Ξ: 'X',
  Ο: 'O',
  Π: 'P',
  Ρ: 'R',
  Σ: 'S',
  Τ: 'T',
  Υ: 'Y',
  Φ: 'F',
  Χ: 'CH',
  Ψ: 'PS',
  Ω: 'O',
};
const GREEK_DIGRAPHS: Array<[RegExp, string]> = [
  [/ΟΥ/g, 'OU'],
  [/ΑΥ/g, 'AV'],
  [/ΕΥ/g, 'EV'],
  [/ΓΓ/g, 'NG'],
  [/(^|\s)ΜΠ/g, '$1B'],
  [/(^|\s)ΝΤ/g, '$1D'],
  [/(^|\s)ΓΚ/g, '$1G'],
  [/ΜΠ/g, 'MP'],
  [/ΝΤ/g, 'NT'],
  [/ΓΚ/g, 'NG'],
];

/** Arabic letters; short vowels are not written in names and are not invented here. */
const ARABIC: Record<string, string> = {
  ا: 'A',
  أ: 'A',
  إ: 'I',
  آ: 'A',
  ٱ: 'A',
  ب: 'B',
  ت: 'T',
  ث: 'TH',
  ج: 'J',
  ح: 'H',
  خ: 'KH',
  د: 'D',
  ذ: 'DH',
  ر: 'R',
  ز: 'Z',
  س: 'S',
  ش: 'SH',
  ص: 'S',
  ض: 'D',
  ط: 'T',
  ظ: 'Z',
  ع: '',
  غ: 'GH',
  ف: 'F',
  ق: 'Q',
  ك: 'K',
  ل: 'L',
  م: 'M',
  ن: 'N',
  ه: 'H',
  ة: 'A',
  و: 'U',
  ي: 'I',
  ى: 'A',
  ء: '',
  ؤ: 'U',
  ئ: 'I',
  پ: 'P',
  چ: 'CH',
  ژ: 'ZH',
  گ: 'G',
  ک: 'K',
  ی: 'I',
};

const HAS_CYRILLIC = /[\u0400-\u04FF]/;
const HAS_GREEK = /[\u0370-\u03FF]/;
const HAS_ARABIC = /[\u0600-\u06FF]/;

function mapLetters(s: string, table: Record<string, string>): string {
  let out = '';
  for (const ch of s) out += table[ch] ?? ch;
  return out;
}

function arabic(s: string): string {
  // The definite article "ال" written onto a name is a particle: "الحسن" → "AL HASAN" (normalize.ts drops AL).
  // Not in "الله" (Allah, as in عبد الله = ABDULLAH), where the letters are part of the word.
  const split = s.replace(/(^|\s)ال(?=\S)(?!له(\s|$))/g, '$1ال ');
  // و and ي at the start of a word are consonants (W, Y), elsewhere long vowels (U, I).
  // ع at the start of a word carries the vowel written A in passports (عمر → OMAR/UMAR, علي → ALI).
  const initial = split
    .replace(/(^|\s)ع/g, '$1A')
    .replace(/(^|\s)و/g, '$1W')
    .replace(/(^|\s)ي/g, '$1Y')
    .replace(/ال(?=\s|$)/g, 'AL');
  return mapLetters(initial, ARABIC);
}

/**
 * Upper-cased input with diacritics already removed (normalize.ts does NFKD first) → ASCII.
 * Greek tonos and dialytika are combining marks after NFKD, so Ά and Α are the same here.
 */
export function transliterate(upper: string): string {
  let s = upper;
  if (HAS_CYRILLIC.test(s)) s = mapLetters(s, CYRILLIC);
  if (HAS_GREEK.test(s)) {
    s = s.replace(/ς/g, 'Σ');
    for (const [re, to] of GREEK_DIGRAPHS) s = s.replace(re, to);
    s = mapLetters(s, GREEK);
  }
  if (HAS_ARABIC.test(s)) s = arabic(s);
  // Everything else (Han, Hangul, Kana, ß, Ø, Ł, Æ, …): any-ascii.
  return /[^\x00-\x7F]/.test(s) ? anyAscii(s) : s;
}
