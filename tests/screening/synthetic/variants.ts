/**
 * How a registrant shows up on a manifest: the realistic ways a name and date of birth differ from
 * the registry's record. Also namesakes — different people with a registrant's name — and plain
 * non-registrants. Ground truth stays here, with the generator; the matcher never sees it.
 */
import anyAscii from 'any-ascii';
import type { ManifestPassenger } from '../../../src/domain/screening/manifest.js';
import * as N from './names.js';
import { pick, syntheticPerson, type Rng, type SyntheticPerson } from './population.js';

export const VARIANT_KINDS = [
  'exact',
  'transliteration',
  'swapped_order',
  'dropped_middle_name',
  'typo',
  'dob_day_month_swapped',
  'dob_partial',
  'dob_year_off_by_one',
] as const;
export type VariantKind = (typeof VARIANT_KINDS)[number];

/** Upper-case ASCII as printed in a machine-readable zone / sent in PAXLST. */
export const mrz = (s: string): string =>
  anyAscii(s.normalize('NFKD').replace(/\p{M}/gu, ''))
    .toUpperCase()
    .replace(/[^A-Z '-]/g, '');

function retransliterate(original: string, table: Record<string, string[]>, r: Rng): string {
  let out = '';
  const upper = original.toUpperCase().normalize('NFKD').replace(/\p{M}/gu, '');
  for (const ch of upper) {
    const options = table[ch];
    out += options ? pick(r, options) : anyAscii(ch);
  }
  return out.toUpperCase().replace(/[^A-Z ]/g, '');
}

function typo(word: string, r: Rng): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(r() * (word.length - 2));
  const letter = String.fromCharCode(65 + Math.floor(r() * 26));
  switch (Math.floor(r() * 4)) {
    case 0:
      return word.slice(0, i) + letter + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + letter + word.slice(i);
    default:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

interface Name {
  family: string;
  given: string[];
}

export function transliterationVariant(p: SyntheticPerson, r: Rng): Name {
  for (let attempt = 0; attempt < 6; attempt++) {
    let n: Name;
    if (p.origin === 'slavic' && p.original) {
      n = {
        family: retransliterate(p.original.family, N.CYRILLIC_VARIANTS, r),
        given: p.original.given.map((g) => retransliterate(g, N.CYRILLIC_VARIANTS, r)),
      };
    } else if (p.origin === 'greek' && p.original) {
      n = {
        family: retransliterate(p.original.family, N.GREEK_VARIANTS, r),
        given: p.original.given.map((g) => retransliterate(g, N.GREEK_VARIANTS, r)),
      };
    } else if (p.origin === 'arabic' && p.arabic) {
      const gl = p.sex === 'M' ? N.ARABIC_GIVEN_M : N.ARABIC_GIVEN_F;
      n = {
        family: pick(r, N.ARABIC_SURNAMES[p.arabic.family]![1]),
        given: p.arabic.given.map((i, k) => pick(r, (k === 0 ? gl : N.ARABIC_GIVEN_M)[i]![1])),
      };
    } else if (p.origin === 'chinese') {
      // Pinyin given names written split or hyphenated ("XIAO MING", "XIAO-MING") instead of joined.
      const g = p.given[0]!;
      const syl = N.CHINESE_SYLLABLES.map((s) => s[1]).find(
        (s) => g.startsWith(s) && g.length > s.length && N.CHINESE_SYLLABLES.some((t) => t[1] === g.slice(s.length)),
      );
      n = syl
        ? { family: p.family, given: [r() < 0.5 ? `${syl} ${g.slice(syl.length)}` : `${syl}-${g.slice(syl.length)}`] }
        : { family: typo(p.family, r), given: p.given };
    } else {
      n = { family: typo(p.family, r), given: p.given };
    }
    if (mrz(n.family) !== mrz(p.family) || n.given.map(mrz).join() !== p.given.map(mrz).join()) return n;
  }
  return { family: typo(p.family, r), given: p.given };
}

function passenger(n: Name, p: SyntheticPerson, dateOfBirth: string | null, passport: string): ManifestPassenger {
  return {
    role: 'passenger',
    familyName: mrz(n.family),
    givenNames: n.given.map(mrz),
    sex: p.sex,
    dateOfBirth,
    nationality: p.nationality,
    documents: [{ type: 'passport', number: passport, issuingState: p.nationality, expiresOn: null }],
    bookingRef: null,
    embarkation: null,
    debarkation: null,
  };
}

/** The registrant `p` on a manifest, written with variant `kind`. */
export function registrantOnBoard(
  p: SyntheticPerson,
  kind: VariantKind,
  r: Rng,
  newPassport: string,
): ManifestPassenger {
  let name: Name = { family: p.family, given: p.given };
  let dob: string | null = p.dateOfBirth;
  const [y, m, d] = p.dateOfBirth.split('-');
  switch (kind) {
    case 'transliteration':
      name = transliterationVariant(p, r);
      break;
    case 'swapped_order':
      name = { family: p.given.join(' '), given: [p.family] };
      break;
    case 'dropped_middle_name':
      if (p.given.length > 1) name = { family: p.family, given: p.given.slice(0, 1) };
      else if (p.origin === 'spanish')
        name = { family: p.family.split(' ')[0]!, given: p.given }; // second surname dropped
      else name = { family: p.family, given: [...p.given, pick(r, N.ENGLISH_GIVEN_M)] }; // an added middle name
      break;
    case 'typo': {
      const tokens = [p.family, ...p.given];
      const i = Math.floor(r() * tokens.length);
      tokens[i] = typo(mrz(tokens[i]!), r);
      name = { family: tokens[0]!, given: tokens.slice(1) };
      break;
    }
    case 'dob_day_month_swapped':
      dob = Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : `${y}-${m}`;
      break;
    case 'dob_partial':
      dob = r() < 0.5 ? y! : `${y}-${m}`;
      break;
    case 'dob_year_off_by_one':
      dob = `${Number(y) + (r() < 0.5 ? -1 : 1)}-${m}-${d}`;
      break;
    case 'exact':
      break;
  }
  // A quarter travel on a passport the registry does not know yet.
  return passenger(name, p, dob, r() < 0.25 ? newPassport : p.passport);
}

/** A different person with a registrant's name (sometimes spelt differently): not a match. */
export function namesake(p: SyntheticPerson, r: Rng, fresh: SyntheticPerson): ManifestPassenger {
  const name = r() < 0.5 ? { family: p.family, given: p.given } : transliterationVariant(p, r);
  const other = { ...fresh, sex: p.sex, nationality: r() < 0.6 ? p.nationality : fresh.nationality };
  return passenger(name, other, fresh.dateOfBirth, fresh.passport);
}

/** Somebody not in the registry. */
export function stranger(r: Rng, id: string): ManifestPassenger {
  const p = syntheticPerson(r, id);
  return passenger({ family: p.family, given: p.given }, p, p.dateOfBirth, p.passport);
}
