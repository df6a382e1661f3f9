/**
 * THE screening score: one function that says how likely a passenger is a given registrant, and why.
 *
 *   score = clamp01( name + dateOfBirth + document + nationality + sex )
 *
 *   name         best name similarity over the registrant's name forms (Latin name, name transliterated
 *                from the original script, aliases): Jaro-Winkler over the best token pairing with
 *                phonetic keys as a floor (name-similarity.ts), in 0..1
 *   dateOfBirth  0 when equal, partial-compatible or unknown; penalties for day/month swapped, day or
 *                month differing, year off by one, year further off (birth-date.ts)
 *   document     bonus for an equal document number, smaller bonus for one edit apart
 *   nationality  penalty when the passenger's nationality is none of the registrant's citizenships
 *   sex          penalty when both are known (F/M) and differ
 *
 * Weights and the threshold come from ScreeningWeights (config.ts). The result lists every feature
 * with its contribution, so a reviewer sees why a candidate was reported. Nothing here logs or keeps
 * the data it compares.
 */
import type { Sex } from '../protocol/types.js';
import { compareBirthDates, isPartial, type BirthDateMatch } from './birth-date.js';
import type { ScreeningWeights } from './config.js';
import { nameSimilarity } from './name-similarity.js';

/** One side of a comparison, already normalised (normalize.ts, birth-date.ts). */
export interface ScoringSubject {
  /** Name forms, each a bag of tokens. */
  names: readonly (readonly string[])[];
  /** Packed date of birth (birth-date.ts), 0 when unknown. */
  dateOfBirth: number;
  sex: Sex;
  /** Passenger: one nationality (or none); registrant: all citizenships. */
  nationalities: readonly string[];
  /** Normalised document numbers. */
  documents: readonly string[];
}

export type Feature =
  | 'name'
  | 'name_phonetic'
  | BirthDateMatch
  | 'document_exact'
  | 'document_one_edit'
  | 'nationality_match'
  | 'nationality_differs'
  | 'sex_match'
  | 'sex_differs';

export interface FeatureContribution {
  feature: Feature;
  /** What the feature added to (or took from) the score. */
  contribution: number;
}

export interface ScoreResult {
  score: number;
  features: FeatureContribution[];
}

/** True when a and b differ by one substitution, insertion, deletion or adjacent transposition. */
export function oneEditApart(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1 || a === b) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Document numbers shorter than this are too easy to hit by chance to earn the one-edit bonus. */
const MIN_ONE_EDIT_LENGTH = 6;

function documentFeature(q: readonly string[], r: readonly string[]): 'document_exact' | 'document_one_edit' | null {
  let near = false;
  for (const a of q) {
    for (const b of r) {
      if (a === b) return 'document_exact';
      if (!near && a.length >= MIN_ONE_EDIT_LENGTH && oneEditApart(a, b)) near = true;
    }
  }
  return near ? 'document_one_edit' : null;
}

function birthDateContribution(m: BirthDateMatch, w: ScreeningWeights['dateOfBirth']): number {
  switch (m) {
    case 'dob_partial':
      return w.partial;
    case 'dob_day_month_swapped':
      return w.dayMonthSwapped;
    case 'dob_day_differs':
      return w.dayDiffers;
    case 'dob_month_and_day_differ':
      return w.monthAndDayDiffer;
    case 'dob_year_off_by_one':
      return w.yearOffByOne;
    case 'dob_year_off_by_one_day_differs':
      return w.yearOffByOne + w.dayDiffers;
    case 'dob_year_differs':
      return w.yearDiffers;
    default:
      return 0;
  }
}

export function scoreMatch(passenger: ScoringSubject, registrant: ScoringSubject, w: ScreeningWeights): ScoreResult {
  const features: FeatureContribution[] = [];
  let name = 0;
  let phonetic = 0;
  for (const qn of passenger.names) {
    for (const rn of registrant.names) {
      const m = nameSimilarity(qn, rn, w.name);
      if (m.similarity > name) {
        name = m.similarity;
        phonetic = m.phoneticPairs;
      }
    }
  }
  features.push({ feature: 'name', contribution: round(name) });
  if (phonetic > 0) features.push({ feature: 'name_phonetic', contribution: 0 });
  let score = name;

  score += qualifiers(passenger, registrant, w, features);

  const doc = documentFeature(passenger.documents, registrant.documents);
  if (doc !== null) {
    const c = doc === 'document_exact' ? w.document.exact : w.document.oneEdit;
    features.push({ feature: doc, contribution: c });
    score += c;
  }

  return { score: round(Math.min(1, Math.max(0, score))), features };
}

function knownSex(x: Sex): boolean {
  return x === 'F' || x === 'M';
}

/** Date of birth, nationality and sex: the sum of their contributions (≤ 0), features appended if asked. */
export function qualifiers(
  passenger: Pick<ScoringSubject, 'dateOfBirth' | 'sex' | 'nationalities'>,
  registrant: Pick<ScoringSubject, 'dateOfBirth' | 'sex' | 'nationalities'>,
  w: ScreeningWeights,
  features?: FeatureContribution[],
): number {
  const dob = compareBirthDates(passenger.dateOfBirth, registrant.dateOfBirth);
  let sum = birthDateContribution(dob, w.dateOfBirth);
  if (
    dob !== 'dob_missing' &&
    dob !== 'dob_partial' &&
    (isPartial(passenger.dateOfBirth) || isPartial(registrant.dateOfBirth))
  ) {
    sum += w.dateOfBirth.partial; // partial and otherwise off (e.g. year ±1): both count
  }
  features?.push({ feature: dob, contribution: sum });
  if (passenger.nationalities.length > 0 && registrant.nationalities.length > 0) {
    let shared = false;
    for (const n of passenger.nationalities) if (registrant.nationalities.includes(n)) shared = true;
    features?.push({
      feature: shared ? 'nationality_match' : 'nationality_differs',
      contribution: shared ? 0 : w.nationalityDiffers,
    });
    if (!shared) sum += w.nationalityDiffers;
  }
  if (knownSex(passenger.sex) && knownSex(registrant.sex)) {
    const same = passenger.sex === registrant.sex;
    features?.push({ feature: same ? 'sex_match' : 'sex_differs', contribution: same ? 0 : w.sexDiffers });
    if (!same) sum += w.sexDiffers;
  }
  return sum;
}

/**
 * The most `scoreMatch` could give without comparing names or documents: name similarity at most 1,
 * plus the qualifiers, plus the document bonus when `mayHaveDocument`. Screening skips the name
 * comparison when this bound is below the threshold — the result is the same, only faster: most
 * candidates from blocking were born in another month of the year.
 */
export function scoreUpperBound(
  passenger: ScoringSubject,
  registrant: Pick<ScoringSubject, 'dateOfBirth' | 'sex' | 'nationalities'>,
  w: ScreeningWeights,
): number {
  return 1 + qualifiers(passenger, registrant, w);
}

/** The document bonus one passenger and one registrant would get (0 when no number is near). */
export function documentBonus(
  passenger: readonly string[],
  registrant: readonly string[],
  w: ScreeningWeights,
): number {
  const doc = documentFeature(passenger, registrant);
  return doc === 'document_exact' ? w.document.exact : doc === 'document_one_edit' ? w.document.oneEdit : 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
