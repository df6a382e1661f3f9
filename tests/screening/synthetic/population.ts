/**
 * A deterministic synthetic population (seeded PRNG) for screening tests and the benchmark: people of
 * several origins and scripts with names, dates of birth, sex, nationality and passports. The same
 * seed always gives the same people. Only synthetic data; no real person is described.
 */
import type { Sex } from '../../../src/domain/protocol/types.js';
import type { RegistrantForScreening } from '../../../src/domain/screening/candidate-index.js';
import { transliterate } from '../../../src/domain/screening/transliterate.js';
import * as N from './names.js';

/**
 * sfc32 (128-bit state) seeded through splitmix32: streams from different seeds do not overlap,
 * so a "stranger" can never be a copy of a registry person generated from another seed.
 */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

export type Rng = () => number;
export const pick = <T>(r: Rng, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
/** Zipf-like pick: common names are common. */
export const pickSkewed = <T>(r: Rng, a: readonly T[]): T => a[Math.floor(Math.pow(r(), 1.6) * a.length)]!;

export type Origin = 'english' | 'slavic' | 'greek' | 'arabic' | 'spanish' | 'chinese';
export const ORIGINS: Array<[Origin, number]> = [
  ['english', 0.28],
  ['slavic', 0.2],
  ['greek', 0.07],
  ['arabic', 0.15],
  ['spanish', 0.15],
  ['chinese', 0.15],
];
const NATIONALITIES: Record<Origin, string[]> = {
  english: ['GBR', 'USA', 'CAN', 'AUS', 'IRL', 'NZL'],
  slavic: ['RUS', 'UKR', 'BLR', 'KAZ'],
  greek: ['GRC', 'CYP'],
  arabic: ['EGY', 'SAU', 'JOR', 'MAR', 'IRQ', 'SYR', 'LBN', 'ARE'],
  spanish: ['ESP', 'MEX', 'COL', 'ARG', 'CHL', 'PER'],
  chinese: ['CHN', 'TWN', 'SGP', 'HKG'],
};

/** Everything needed to write the person in other ways (variants.ts). */
export interface SyntheticPerson {
  id: string;
  origin: Origin;
  /** Latin form as the registry holds it. */
  family: string;
  given: string[];
  /** Original script, when not Latin. */
  original: { family: string; given: string[]; script: string } | null;
  /** Arabic only: indexes into the spelling-variant lists, for transliteration variants. */
  arabic: { family: number; given: number[] } | null;
  dateOfBirth: string;
  sex: Sex;
  nationality: string;
  passport: string;
}

function originOf(r: Rng): Origin {
  let x = r();
  for (const [o, w] of ORIGINS) {
    if ((x -= w) < 0) return o;
  }
  return 'english';
}

function cyrillicSurname(r: Rng, sex: Sex): string {
  const stem = pickSkewed(r, N.SLAVIC_SURNAME_STEMS);
  if (/(ов|ев|ёв|ин)$/.test(stem)) return sex === 'F' ? stem + 'а' : stem;
  if (/енк$/.test(stem)) return stem + 'о';
  if (/ск$/.test(stem)) return stem + (sex === 'F' ? 'ая' : 'ий');
  const suffix = pick(r, N.SLAVIC_SURNAME_SUFFIXES);
  if (suffix === 'а' || suffix === '') return stem + (sex === 'F' ? 'ова' : 'ов');
  return stem + suffix;
}

const latin = (s: string): string =>
  transliterate(s.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase()).toUpperCase();

export function syntheticPerson(r: Rng, id: string, origin: Origin = originOf(r)): SyntheticPerson {
  const sex: Sex = r() < 0.5 ? 'M' : 'F';
  const y = 1940 + Math.floor(r() * 66);
  const mo = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  const dateOfBirth = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const nationality = pick(r, NATIONALITIES[origin]);
  const passport = passportNumber(r, nationality);
  const base = { id, origin, dateOfBirth, sex, nationality, passport, original: null, arabic: null };
  switch (origin) {
    case 'english': {
      const given = [pickSkewed(r, sex === 'M' ? N.ENGLISH_GIVEN_M : N.ENGLISH_GIVEN_F)];
      if (r() < 0.45) given.push(pick(r, sex === 'M' ? N.ENGLISH_GIVEN_M : N.ENGLISH_GIVEN_F));
      const family = pickSkewed(r, N.ENGLISH_SURNAME_STEMS) + (r() < 0.35 ? pick(r, N.ENGLISH_SURNAME_SUFFIXES) : '');
      return { ...base, family, given };
    }
    case 'slavic': {
      const g = pick(r, sex === 'M' ? N.SLAVIC_GIVEN_M : N.SLAVIC_GIVEN_F);
      const f = cyrillicSurname(r, sex);
      const given = [g];
      if (r() < 0.4) given.push(pick(r, N.SLAVIC_PATRONYMIC_STEMS) + (sex === 'M' ? 'ич' : 'на'));
      return { ...base, family: latin(f), given: given.map(latin), original: { family: f, given, script: 'Cyrl' } };
    }
    case 'greek': {
      const g = pick(r, sex === 'M' ? N.GREEK_GIVEN_M : N.GREEK_GIVEN_F);
      let f = pick(r, N.GREEK_SURNAME_STEMS) + pick(r, N.GREEK_SURNAME_SUFFIXES);
      if (sex === 'F') f = f.replace(/ος$/, 'ου').replace(/ης$/, 'η');
      return { ...base, family: latin(f), given: [latin(g)], original: { family: f, given: [g], script: 'Grek' } };
    }
    case 'arabic': {
      const list = sex === 'M' ? N.ARABIC_GIVEN_M : N.ARABIC_GIVEN_F;
      const gi = [Math.floor(Math.pow(r(), 1.4) * list.length)];
      if (r() < 0.5) gi.push(Math.floor(r() * N.ARABIC_GIVEN_M.length)); // father's name
      const fi = Math.floor(r() * N.ARABIC_SURNAMES.length);
      const givenArabic = gi.map((i, k) => (k === 0 ? list : N.ARABIC_GIVEN_M)[i]!);
      const fam = N.ARABIC_SURNAMES[fi]!;
      return {
        ...base,
        family: fam[1][0]!,
        given: givenArabic.map((g) => g[1][0]!),
        original: { family: fam[0], given: givenArabic.map((g) => g[0]), script: 'Arab' },
        arabic: { family: fi, given: gi },
      };
    }
    case 'spanish': {
      const given = [pickSkewed(r, sex === 'M' ? N.SPANISH_GIVEN_M : N.SPANISH_GIVEN_F)];
      if (r() < 0.3) given.push(pick(r, sex === 'M' ? N.SPANISH_GIVEN_M : N.SPANISH_GIVEN_F));
      return { ...base, family: `${pickSkewed(r, N.SPANISH_SURNAMES)} ${pick(r, N.SPANISH_SURNAMES)}`, given };
    }
    case 'chinese': {
      const [fh, fl] = pickSkewed(r, N.CHINESE_SURNAMES);
      const syl =
        r() < 0.75 ? [pick(r, N.CHINESE_SYLLABLES), pick(r, N.CHINESE_SYLLABLES)] : [pick(r, N.CHINESE_SYLLABLES)];
      return {
        ...base,
        family: fl,
        given: [syl.map((s) => s[1]).join('')],
        original: { family: fh, given: [syl.map((s) => s[0]).join('')], script: 'Hani' },
      };
    }
  }
}

const ALNUM = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
function passportNumber(r: Rng, nationality: string): string {
  // Shapes differ by issuer (letters then digits, digits only); numbers are random within the shape.
  const digitsOnly = ['USA', 'RUS', 'GBR', 'CAN', 'CHN'].includes(nationality) && r() < 0.7;
  let s = digitsOnly ? '' : ALNUM[Math.floor(r() * 23)]! + ALNUM[Math.floor(r() * 23)]!;
  while (s.length < 9)
    s += digitsOnly || r() < 0.8 ? String(Math.floor(r() * 10)) : ALNUM[Math.floor(r() * ALNUM.length)]!;
  return s;
}

/** The registry's view of a synthetic person; a few carry an alias. */
export function toRegistrant(p: SyntheticPerson, r: Rng): RegistrantForScreening {
  const reg: RegistrantForScreening = {
    id: p.id,
    name: { family: p.family, given: p.given },
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    citizenships: [p.nationality],
    travelDocuments: [{ number: p.passport }],
  };
  if (p.original) reg.nameOriginalScript = { family: p.original.family, given: p.original.given };
  if (r() < 0.05) {
    const alias = syntheticPerson(r, 'alias', p.origin);
    reg.aliases = [{ family: alias.family, given: alias.given }];
  }
  if (r() < 0.2) reg.travelDocuments.push({ number: passportNumber(r, p.nationality) });
  return reg;
}
