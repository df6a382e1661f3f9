/**
 * THE screening score: one function that says how likely a passenger is a given registrant, and why.
 *
 *   score = clamp01( name + nameDiffers + dateOfBirth + document + nationality + sex )
 *
 * Each term is a Fellegi–Sunter weight, log2(m/u) in units of `bitsPerUnit` bits (config.ts): what the
 * feature shows is that much more (or less) likely for the registrant than for another person.
 *
 *   name         for each pair of tokens (best pairing over the registrant's name forms: Latin name,
 *                transliterated original script, aliases; name-similarity.ts), the agreement weight
 *                log2(m / share of the registrant's token in the registry), in full for an equal or
 *                spelling-equal token, in part for a near one (typo, phonetic variant); capped per
 *                token and in total; less a little per unpaired token (a dropped middle name)
 *   nameDiffers  a paired token that is clearly another name (a different family name): a fixed
 *                penalty that common given names cannot buy back
 *   dateOfBirth  agreement: log2(m / share of that date, or year, in the registry); a typing error (one
 *                day, one digit), swapped day and month, a year one apart: fixed, smaller weights; any
 *                other difference: a penalty (birth-date.ts)
 *   document     an equal (or one edit apart) number of any document the registry has seen for him;
 *                when none is near, whether the passenger's document (same issuer) expires after the
 *                newest one the registry knows — a renewal — or before it — a passport issued earlier
 *                that the registry never saw, which the same person rarely carries
 *   nationality  agreement weighs by the citizenship's share; none shared is a penalty
 *   sex          a penalty when both are known (F/M) and differ
 *
 * Weights and the threshold come from ScreeningWeights (config.ts), frequencies from the index
 * (frequencies.ts). The result lists every feature with its contribution, so a reviewer sees why a
 * candidate was reported. Nothing here logs or keeps the data it compares.
 */
import type { Sex } from '../protocol/types.js';
import { compareBirthDates, isPartial, type BirthDateMatch } from './birth-date.js';
import type { ScreeningWeights } from './config.js';
import { priorRarity, type Rarity } from './frequencies.js';
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
  /** Passenger: expiry (packed YYYYMMDD, 0 unknown) and issuing state of each document carried. */
  documentExpiries?: readonly DocumentExpiry[];
  /** Registrant: the known document that expires last (any upsert, present or past), if any carried a date. */
  newestDocument?: DocumentExpiry | null;
}

/** When a document expires (packed YYYYMMDD) and who issued it. */
export interface DocumentExpiry {
  expiresOn: number;
  issuingState: string | null;
}

/** "YYYY-MM-DD" → YYYYMMDD as an integer (ordered like the dates); 0 for anything else. */
export function packExpiry(date: string | null | undefined): number {
  if (typeof date !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) return 0;
  return Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

export type Feature =
  | 'name'
  | 'name_phonetic'
  | 'name_token_differs'
  | BirthDateMatch
  | 'document_exact'
  | 'document_one_edit'
  | 'document_differs'
  | 'document_expires_after_known'
  | 'document_expires_before_known'
  | 'nationality_match'
  | 'nationality_differs'
  | 'sex_match'
  | 'sex_differs'
  | 'registry_size';

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

/**
 * A passenger document the registry has never seen, set against the newest document it has seen
 * (the one expiring last). Only documents of the same issuer compare: a dual citizen's other passport
 * says nothing. Expiring later is what a renewal looks like; expiring earlier means a passport issued
 * before the newest known one that was never reported — a second passport, an emergency passport, or
 * another person (docs/screening.md derives the weights).
 */
function unknownDocument(
  passenger: readonly DocumentExpiry[] | undefined,
  newest: DocumentExpiry | null | undefined,
): 'document_differs' | 'document_expires_after_known' | 'document_expires_before_known' {
  if (!passenger || !newest || newest.expiresOn === 0 || newest.issuingState === null) return 'document_differs';
  let later = false;
  for (const d of passenger) {
    if (d.expiresOn === 0 || d.issuingState !== newest.issuingState) continue;
    if (d.expiresOn < newest.expiresOn) return 'document_expires_before_known';
    if (d.expiresOn > newest.expiresOn) later = true;
  }
  return later ? 'document_expires_after_known' : 'document_differs';
}

const log2 = Math.log2;
const defaultRarity = new WeakMap<ScreeningWeights['frequency'], Rarity>();

/** Frequencies when the caller has none (a registry not loaded, a unit test): the priors. */
function rarityFor(w: ScreeningWeights, rarity: Rarity | undefined): Rarity {
  if (rarity) return rarity;
  let r = defaultRarity.get(w.frequency);
  if (!r) defaultRarity.set(w.frequency, (r = priorRarity(w.frequency)));
  return r;
}

/** The coarser of two compatible dates: what both say (year, year-month or the full date). */
function commonDate(a: number, b: number): number {
  const coarse = (x: number): number => (x % 10000 === 0 ? 2 : x % 100 === 0 ? 1 : 0);
  return coarse(a) >= coarse(b) ? a : b;
}

function birthDateContribution(m: BirthDateMatch, a: number, b: number, w: ScreeningWeights, rarity: Rarity): number {
  const d = w.dateOfBirth;
  switch (m) {
    case 'dob_exact':
    case 'dob_partial':
      return log2(d.agreementM / rarity.date(commonDate(a, b))) / w.bitsPerUnit;
    case 'dob_day_month_swapped':
      return d.dayMonthSwapped;
    case 'dob_one_day_off':
      return d.oneDayOff;
    case 'dob_one_digit':
      return d.oneDigit;
    case 'dob_day_differs':
      return d.dayDiffers;
    case 'dob_month_and_day_differ':
      return d.monthAndDayDiffer;
    case 'dob_year_off_by_one':
      return d.yearOffByOne;
    case 'dob_year_off_by_one_day_differs':
      return d.yearOffByOneDayDiffers + d.dayDiffers;
    case 'dob_year_differs':
      return d.yearDiffers;
    default:
      return 0;
  }
}

interface NameEvidence {
  /** Agreement, in score units (≥ 0 less the unpaired-token penalty). */
  agreement: number;
  /** Clearly different paired tokens, in score units (≤ 0). */
  differs: number;
  phonetic: number;
}

/** Name evidence of one passenger form against one registrant form. */
function nameEvidence(q: readonly string[], r: readonly string[], w: ScreeningWeights, rarity: Rarity): NameEvidence {
  const n = w.name;
  const m = nameSimilarity(q, r, n);
  let bits = 0;
  let differs = 0;
  for (let i = 0; i < m.pairSimilarities.length; i++) {
    const s = m.pairSimilarities[i]!;
    const qt = m.pairQueryTokens[i]!;
    const rt = m.pairTokens[i]!;
    const share =
      s >= 1 ? 1 : qt.length >= 4 && oneEditApart(qt, rt) ? n.oneEditAgreement : s >= n.agreeFrom ? n.nearAgreement : 0;
    if (share > 0) {
      // Near tokens: another person may bear either spelling — MINH is a name in its own right, not
      // only a typo of HINH — so u counts both; a typo the registry has never seen adds nothing.
      const u = s >= 1 ? rarity.token(rt) : rarity.token(rt) + rarity.token(qt);
      bits += share * Math.min(n.maxTokenBits, Math.max(0, log2(n.agreementM / u)));
    } else if (s <= n.differsBelow) differs += n.tokenDiffers;
    else if (s < n.differsFrom) differs += (n.tokenDiffers * (n.differsFrom - s)) / (n.differsFrom - n.differsBelow);
  }
  // Tokens are not independent (NGUYEN goes with VAN, MOHAMMED with AHMED): the whole name's own
  // share in the registry bounds what agreeing on it can say.
  const whole = Math.max(0, log2(n.agreementM / rarity.name(r)));
  const agreement =
    Math.min(bits, whole, n.maxNameBits) / w.bitsPerUnit - Math.min(n.extraTokenMax, m.unpaired * n.extraToken);
  return { agreement, differs, phonetic: m.phoneticPairs };
}

export function scoreMatch(
  passenger: ScoringSubject,
  registrant: ScoringSubject,
  w: ScreeningWeights,
  rarityIn?: Rarity,
): ScoreResult {
  const rarity = rarityFor(w, rarityIn);
  const features: FeatureContribution[] = [];
  let best: NameEvidence = { agreement: 0, differs: 0, phonetic: 0 };
  let bestTotal = -Infinity;
  for (const qn of passenger.names) {
    for (const rn of registrant.names) {
      const e = nameEvidence(qn, rn, w, rarity);
      if (e.agreement + e.differs > bestTotal) {
        best = e;
        bestTotal = e.agreement + e.differs;
      }
    }
  }
  features.push({ feature: 'name', contribution: round(best.agreement) });
  if (best.differs < 0) features.push({ feature: 'name_token_differs', contribution: round(best.differs) });
  if (best.phonetic > 0) features.push({ feature: 'name_phonetic', contribution: 0 });
  let score = round(best.agreement) + round(best.differs);

  score += qualifiers(passenger, registrant, w, features, rarity);

  const doc = documentFeature(passenger.documents, registrant.documents);
  if (doc !== null) {
    const c = doc === 'document_exact' ? w.document.exact : w.document.oneEdit;
    features.push({ feature: doc, contribution: c });
    score += c;
  } else if (passenger.documents.length > 0 && registrant.documents.length > 0) {
    const f = unknownDocument(passenger.documentExpiries, registrant.newestDocument);
    const c =
      f === 'document_expires_before_known'
        ? w.document.expiresBeforeKnown
        : f === 'document_expires_after_known'
          ? w.document.expiresAfterKnown
          : w.document.differs;
    features.push({ feature: f, contribution: c });
    score += c;
  }

  const size = sizeContribution(w, rarity);
  if (size !== 0) {
    features.push({ feature: 'registry_size', contribution: size });
    score += size;
  }
  return { score: round(Math.min(1, Math.max(0, score))), features };
}

/**
 * The prior: log2(referenceSize / registrants) — more registrants, more namesakes. Never positive: a
 * registry smaller than the reference is no reason to report on less evidence (its frequencies are
 * mostly priors, and a test or demonstration registry of ten people must not lower the bar).
 */
function sizeContribution(w: ScreeningWeights, rarity: Rarity): number {
  if (rarity.size <= w.frequency.referenceSize) return 0;
  return round(log2(w.frequency.referenceSize / rarity.size) / w.bitsPerUnit);
}

function knownSex(x: Sex): boolean {
  return x === 'F' || x === 'M';
}

/**
 * Date of birth, nationality and sex: the sum of their contributions, features appended if asked.
 * Each contribution is rounded as the explanation shows it, so the features add up to the score.
 */
export function qualifiers(
  passenger: Pick<ScoringSubject, 'dateOfBirth' | 'sex' | 'nationalities'>,
  registrant: Pick<ScoringSubject, 'dateOfBirth' | 'sex' | 'nationalities'>,
  w: ScreeningWeights,
  features?: FeatureContribution[],
  rarityIn?: Rarity,
): number {
  const rarity = rarityFor(w, rarityIn);
  const a = passenger.dateOfBirth;
  const b = registrant.dateOfBirth;
  const dob = compareBirthDates(a, b);
  let c = birthDateContribution(dob, a, b, w, rarity);
  if (dob !== 'dob_missing' && dob !== 'dob_partial' && (isPartial(a) || isPartial(b))) {
    c += w.dateOfBirth.partial; // partial and otherwise off (e.g. year ±1): both count
  }
  let sum = round(c);
  features?.push({ feature: dob, contribution: round(c) });
  if (passenger.nationalities.length > 0 && registrant.nationalities.length > 0) {
    let shared: string | null = null;
    for (const n of passenger.nationalities) if (registrant.nationalities.includes(n)) shared = n;
    const nc =
      shared === null
        ? w.nationalityDiffers
        : round(
            Math.min(w.nationalityMaxBits, Math.max(0, log2(w.nationalityAgreementM / rarity.nationality(shared)))) /
              w.bitsPerUnit,
          );
    features?.push({ feature: shared === null ? 'nationality_differs' : 'nationality_match', contribution: nc });
    sum += nc;
  }
  if (knownSex(passenger.sex) && knownSex(registrant.sex)) {
    const same = passenger.sex === registrant.sex;
    features?.push({ feature: same ? 'sex_match' : 'sex_differs', contribution: same ? 0 : w.sexDiffers });
    if (!same) sum += w.sexDiffers;
  }
  return sum;
}

/**
 * The most `scoreMatch` could give without comparing names or documents: the name weight at its cap,
 * plus the qualifiers, plus the document bonus when `mayHaveDocument`. Screening skips the name
 * comparison when this bound is below the threshold — the result is the same, only faster: most
 * candidates from blocking were born on another day.
 */
export function scoreUpperBound(
  passenger: ScoringSubject,
  registrant: Pick<ScoringSubject, 'dateOfBirth' | 'sex' | 'nationalities'>,
  w: ScreeningWeights,
  rarity?: Rarity,
): number {
  const r = rarityFor(w, rarity);
  return (
    w.name.maxNameBits / w.bitsPerUnit +
    qualifiers(passenger, registrant, w, undefined, r) +
    sizeContribution(w, r) +
    0.001
  );
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
