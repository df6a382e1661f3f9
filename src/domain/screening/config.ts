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
import { Type, type Static } from '@sinclair/typebox';
import { Defaulted, defaultsOf, documentedDefaults, Section, type Input } from '../../core/settings.js';

const weight = (value: number, description: string) =>
  // Every contribution lies in [-1, 1]; the sign says whether a feature adds or costs.
  Defaulted(Type.Number({ minimum: -1, maximum: 1, description }), value);

/**
 * The tunable weights (screening.weights in the configuration, src/config/schema.ts embeds this).
 * The penalty for a partial date of birth is not among them: see PARTIAL_DATE_WEIGHT.
 */
export const screeningWeightsSchema = Section(
  {
    threshold: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'Candidates scoring at least this are reported for review.',
      }),
      0.7,
    ),
    name: Section(
      {
        phoneticFloor: weight(
          0.85,
          'Similarity given to two tokens with equal phonetic keys (≥ 3 symbols) whose spelling is further apart.',
        ),
        initial: weight(0.8, 'Similarity of an initial ("J") to a name starting with that letter.'),
        stretchFrom: weight(
          0.5,
          'Token similarities are Jaro-Winkler stretched so that unrelated tokens (JW ≈ 0.5–0.6) count for little: ' +
            's = max(0, (JW − stretchFrom) / (1 − stretchFrom)).',
        ),
        extraToken: weight(0.2, 'Subtracted per token present in one name and not the other (dropped middle name)…'),
        extraTokenMax: weight(0.4, '…up to this much in total.'),
      },
      { description: 'Name similarity.' },
    ),
    dateOfBirth: Section(
      {
        dayMonthSwapped: weight(
          -0.1,
          'Same year, day and month exchanged (03-07 vs 07-03): a frequent clerical error.',
        ),
        dayDiffers: weight(
          -0.35,
          'Same year, either the month or the day differs (OpenSanctions "birth day differs", −0.2 there).',
        ),
        monthAndDayDiffer: weight(
          -0.45,
          'Same year, month and day both differ (and are not swapped): two fields wrong is rarely a typo.',
        ),
        yearOffByOne: weight(
          -0.2,
          'Year one apart (OpenSanctions "birth year differs"); added to dayDiffers if month/day differ too.',
        ),
        yearDiffers: weight(-0.45, 'Year two or more apart.'),
      },
      { description: 'Date of birth penalties (a partial date costs a fixed −0.2 on top).' },
    ),
    document: Section(
      {
        exact: weight(0.25, 'Same document number.'),
        oneEdit: weight(
          0.1,
          'Document number one edit apart (one character substituted, inserted, deleted or two swapped).',
        ),
      },
      { description: 'Document number bonus.' },
    ),
    nationalityDiffers: weight(
      -0.2,
      'Passenger\'s nationality is none of the registrant\'s citizenships (OpenSanctions "country").',
    ),
    sexDiffers: weight(-0.2, 'Both sexes known (F/M) and different (OpenSanctions "gender").'),
  },
  {
    description:
      'Score weights and threshold of the screening matcher (docs/screening.md); kept as written, ' +
      'defaults applied when screening starts.',
  },
);

/**
 * One date is partial (year, or year and month): less evidence than a full date. Added to the other
 * date penalties. Fixed, not configured: it has never been one of the settings a file may give.
 */
export const PARTIAL_DATE_WEIGHT = -0.2;

type ConfiguredWeights = Static<typeof screeningWeightsSchema>;
export type ScreeningWeights = Omit<ConfiguredWeights, 'dateOfBirth'> & {
  dateOfBirth: ConfiguredWeights['dateOfBirth'] & { partial: number };
};

export type ScreeningWeightsInput = Input<typeof screeningWeightsSchema>;

/**
 * screening.weights as the configuration holds it: what the operator wrote, resolved where screening
 * starts (resolveWeights), so a loaded configuration shows only the tuning. The defaults above are
 * documented there (`x-default`), not filled in by validation.
 */
const { 'x-default': _filled, ...asWritten } = documentedDefaults(screeningWeightsSchema);
export const screeningWeightsSetting = Defaulted(Type.Unsafe<ScreeningWeightsInput>(asWritten), {});

const configured = defaultsOf(screeningWeightsSchema) as ConfiguredWeights;
export const DEFAULT_WEIGHTS: ScreeningWeights = Object.freeze({
  ...configured,
  name: Object.freeze(configured.name),
  dateOfBirth: Object.freeze({ partial: PARTIAL_DATE_WEIGHT, ...configured.dateOfBirth }),
  document: Object.freeze(configured.document),
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
