/**
 * Weights and threshold of the screening score, with their defaults. One object, so an operator can
 * tune the matcher from configuration and a reviewer can read every number in one place.
 *
 * The score is a Fellegi–Sunter match weight on a fixed scale: each compared feature adds the
 * log-likelihood ratio log2(m/u) of what it shows — m the chance a true match shows it, u the chance
 * a different person does — divided by `bitsPerUnit`, so a contribution of 0.1 is a factor of
 * 2^(0.1·bitsPerUnit) for or against. Agreements on names, dates of birth and nationality take u from
 * the registry's own frequencies (frequencies.ts): a common name or date weighs less. Levels that
 * cannot be counted (a typo, a swapped date, a different sex) are fixed contributions below, each
 * derived in docs/screening.md from an m and a u. The threshold was chosen on the benchmark's two
 * populations (BENCHMARKS.md, "Screening").
 */
export interface ScreeningWeights {
  /** Candidates scoring at least this are reported for review. */
  threshold: number;
  /** Bits of evidence (log2 of the likelihood ratio) per 1.0 of score. */
  bitsPerUnit: number;
  name: {
    /** Similarity given to two tokens with equal phonetic keys (≥ 3 symbols) whose spelling is further apart. */
    phoneticFloor: number;
    /** Similarity of an initial ("J") to a name starting with that letter. */
    initial: number;
    /**
     * Token similarities are Jaro-Winkler stretched so that unrelated tokens (JW ≈ 0.5–0.6) count
     * for little: s = max(0, (JW − stretchFrom) / (1 − stretchFrom)).
     */
    stretchFrom: number;
    /** Score per token present in one name and not the other (dropped middle name)… */
    extraToken: number;
    /** …at most this much in total. */
    extraTokenMax: number;
    /** m of an exactly agreeing token: the chance the registrant's token is written the same way. */
    agreementM: number;
    /** Bits one agreeing token may bring at most: even a rare token has namesakes in the population. */
    maxTokenBits: number;
    /** Bits all agreeing tokens together may bring at most. */
    maxNameBits: number;
    /** Share of its agreement weight a token one edit away brings (SCHMIDT/SCCHMIDT, MEYER/MEYE). */
    oneEditAgreement: number;
    /** A paired token at this similarity or above (a phonetic or spelling variant)… */
    agreeFrom: number;
    /** …brings this share of its agreement weight. */
    nearAgreement: number;
    /** Below this similarity a paired token counts against the match… */
    differsFrom: number;
    /** …and at or below this it is a different name, and costs `tokenDiffers` in full. */
    differsBelow: number;
    /** Score of a paired token that is clearly a different name (a family name that is not his). */
    tokenDiffers: number;
  };
  dateOfBirth: {
    /** m of an agreeing (full or partial) date of birth. */
    agreementM: number;
    /** Added when one date is partial and otherwise off (year ±1): less is known. */
    partial: number;
    /** Same year, day and month exchanged (03-07 vs 07-03): a clerical error, and a rare coincidence. */
    dayMonthSwapped: number;
    /** One day apart: the commonest keying error of a date. */
    oneDayOff: number;
    /** One digit of YYYYMMDD differs (1953 for 1963, 18 for 13): a keying error. */
    oneDigit: number;
    /** Same year, month or day differs otherwise: both dates come from documents, so a different date. */
    dayDiffers: number;
    /** Same year, month and day both differ (and not swapped). */
    monthAndDayDiffer: number;
    /** Year one apart, same day and month: a year typo, but also a namesake's pattern — less than a typo. */
    yearOffByOne: number;
    /** Year one apart and the day or month differs: added to dayDiffers. */
    yearOffByOneDayDiffers: number;
    /** Year further apart, not one digit. */
    yearDiffers: number;
  };
  document: {
    /** Same document number (present or past document of the registrant). */
    exact: number;
    /** Document number one edit apart (one character substituted, inserted, deleted or two swapped). */
    oneEdit: number;
    /**
     * Both carry documents and none is near: weak evidence against — passports are renewed, so a
     * registrant often travels on a number the registry has not seen (m ≈ 0.3 against u ≈ 1).
     */
    differs: number;
  };
  /** Passenger's nationality is none of the registrant's citizenships (OpenSanctions "country"). */
  nationalityDiffers: number;
  /** m of an agreeing nationality (u is the citizenship's share of the registry). */
  nationalityAgreementM: number;
  /** Bits an agreeing nationality may bring at most. */
  nationalityMaxBits: number;
  /** Both sexes known (F/M) and different (OpenSanctions "gender"). */
  sexDiffers: number;
  /** Priors of the registry frequencies (frequencies.ts) and how many registrants they weigh as. */
  frequency: {
    /** Pseudo-registrants behind the priors: below a few thousand registrants the priors dominate. */
    pseudoCount: number;
    /** Share of a name token in a population (≈ 1/5000: a name neither rare nor common). */
    token: number;
    /** Share of one birth year (≈ 1/70: adult birth years). Year-month is /12, a full date /365. */
    year: number;
    /** Share of one citizenship. */
    nationality: number;
    /**
     * Registry size the threshold was chosen at. Every registrant is one more chance of a
     * coincidence, so a registry twice as large needs one more bit of evidence for the same
     * confidence: above this size the score carries log2(referenceSize / size) as `registry_size`.
     */
    referenceSize: number;
  };
}

export type ScreeningWeightsInput = {
  [K in keyof ScreeningWeights]?: ScreeningWeights[K] extends object
    ? Partial<ScreeningWeights[K]>
    : ScreeningWeights[K];
};

export const DEFAULT_WEIGHTS: ScreeningWeights = Object.freeze({
  threshold: 0.75,
  bitsPerUnit: 32,
  name: Object.freeze({
    phoneticFloor: 0.85,
    initial: 0.8,
    stretchFrom: 0.5,
    extraToken: 0.03,
    extraTokenMax: 0.06,
    agreementM: 0.9,
    maxTokenBits: 12,
    maxNameBits: 24,
    oneEditAgreement: 0.75,
    agreeFrom: 0.85,
    nearAgreement: 0.5,
    differsFrom: 0.7,
    differsBelow: 0.45,
    tokenDiffers: -0.35,
  }),
  dateOfBirth: Object.freeze({
    agreementM: 0.95,
    partial: -0.05,
    dayMonthSwapped: 0.2,
    oneDayOff: 0.22,
    oneDigit: 0.14,
    dayDiffers: -0.35,
    monthAndDayDiffer: -0.45,
    yearOffByOne: 0.12,
    yearOffByOneDayDiffers: -0.2,
    yearDiffers: -0.45,
  }),
  document: Object.freeze({ exact: 0.5, oneEdit: 0.2, differs: -0.05 }),
  nationalityDiffers: -0.2,
  nationalityAgreementM: 0.95,
  nationalityMaxBits: 4,
  sexDiffers: -0.2,
  frequency: Object.freeze({ pseudoCount: 2000, token: 2e-4, year: 1 / 70, nationality: 0.02, referenceSize: 200_000 }),
});

/** Input (any subset) → resolved, frozen weights. */
export function resolveWeights(input: ScreeningWeightsInput = {}): ScreeningWeights {
  const d = DEFAULT_WEIGHTS;
  return Object.freeze({
    threshold: input.threshold ?? d.threshold,
    bitsPerUnit: input.bitsPerUnit ?? d.bitsPerUnit,
    name: Object.freeze({ ...d.name, ...input.name }),
    dateOfBirth: Object.freeze({ ...d.dateOfBirth, ...input.dateOfBirth }),
    document: Object.freeze({ ...d.document, ...input.document }),
    nationalityDiffers: input.nationalityDiffers ?? d.nationalityDiffers,
    nationalityAgreementM: input.nationalityAgreementM ?? d.nationalityAgreementM,
    nationalityMaxBits: input.nationalityMaxBits ?? d.nationalityMaxBits,
    sexDiffers: input.sexDiffers ?? d.sexDiffers,
    frequency: Object.freeze({ ...d.frequency, ...input.frequency }),
  });
}
