/**
 * Weights and threshold of the screening score, with their defaults. One object, so an operator can
 * tune the matcher from configuration and a reviewer can read every number in one place.
 *
 * Reference: OpenSanctions' published matcher (logic-v1): name 0.8–1.0, birth year differs −0.15,
 * birth day differs −0.2, country differs −0.2, gender differs −0.2, threshold 0.70. Deviations, and
 * why (docs/screening.md): on a passenger manifest the date of birth is read from the passport's
 * machine-readable zone, not from a press release, so a date that differs is strong evidence of a
 * namesake — a different day or month costs −0.35 (−0.45 when both differ), a year off by more than
 * one −0.45 — and one deviation (variant spelling, dropped name, partial date, year off by one,
 * swapped day/month) stays above the threshold while two fall below it: with a million
 * registrants two small differences are more often a namesake. A matching document number adds,
 * since passports are re-used across trips. Measured effect: docs/screening.md, BENCHMARKS.md.
 */
export interface ScreeningWeights {
  /** Candidates scoring at least this are reported for review. */
  threshold: number;
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
    /** Subtracted per token present in one name and not the other (dropped middle name)… */
    extraToken: number;
    /** …up to this much in total. */
    extraTokenMax: number;
  };
  dateOfBirth: {
    /** One date is partial (year, or year and month): less evidence than a full date. Added to the other date penalties. */
    partial: number;
    /** Same year, day and month exchanged (03-07 vs 07-03): a frequent clerical error. */
    dayMonthSwapped: number;
    /** Same year, either the month or the day differs (OpenSanctions "birth day differs", −0.2 there). */
    dayDiffers: number;
    /** Same year, month and day both differ (and are not swapped): two fields wrong is rarely a typo. */
    monthAndDayDiffer: number;
    /** Year one apart (OpenSanctions "birth year differs"); added to dayDiffers if month/day differ too. */
    yearOffByOne: number;
    /** Year two or more apart. */
    yearDiffers: number;
  };
  document: {
    /** Same document number. */
    exact: number;
    /** Document number one edit apart (one character substituted, inserted, deleted or two swapped). */
    oneEdit: number;
  };
  /** Passenger's nationality is none of the registrant's citizenships (OpenSanctions "country"). */
  nationalityDiffers: number;
  /** Both sexes known (F/M) and different (OpenSanctions "gender"). */
  sexDiffers: number;
}

export type ScreeningWeightsInput = {
  [K in keyof ScreeningWeights]?: ScreeningWeights[K] extends object
    ? Partial<ScreeningWeights[K]>
    : ScreeningWeights[K];
};

export const DEFAULT_WEIGHTS: ScreeningWeights = Object.freeze({
  threshold: 0.7,
  name: Object.freeze({ phoneticFloor: 0.85, initial: 0.8, stretchFrom: 0.5, extraToken: 0.2, extraTokenMax: 0.4 }),
  dateOfBirth: Object.freeze({
    partial: -0.2,
    dayMonthSwapped: -0.1,
    dayDiffers: -0.35,
    monthAndDayDiffer: -0.45,
    yearOffByOne: -0.2,
    yearDiffers: -0.45,
  }),
  document: Object.freeze({ exact: 0.25, oneEdit: 0.1 }),
  nationalityDiffers: -0.2,
  sexDiffers: -0.2,
});

/** Input (any subset) → resolved, frozen weights. */
export function resolveWeights(input: ScreeningWeightsInput = {}): ScreeningWeights {
  return Object.freeze({
    threshold: input.threshold ?? DEFAULT_WEIGHTS.threshold,
    name: Object.freeze({ ...DEFAULT_WEIGHTS.name, ...input.name }),
    dateOfBirth: Object.freeze({ ...DEFAULT_WEIGHTS.dateOfBirth, ...input.dateOfBirth }),
    document: Object.freeze({ ...DEFAULT_WEIGHTS.document, ...input.document }),
    nationalityDiffers: input.nationalityDiffers ?? DEFAULT_WEIGHTS.nationalityDiffers,
    sexDiffers: input.sexDiffers ?? DEFAULT_WEIGHTS.sexDiffers,
  });
}
