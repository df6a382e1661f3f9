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
import { Type, type Static } from '@sinclair/typebox';
import { Defaulted, defaultsOf, documentedDefaults, Section, type Input } from '../../core/settings.js';

const weight = (value: number, description: string) =>
  // A contribution lies in [-1, 1]; the sign says whether a feature adds or costs.
  Defaulted(Type.Number({ minimum: -1, maximum: 1, description }), value);
const share = (value: number, description: string) =>
  // A probability or a similarity: m of an agreement, a share of a population, a cut-off.
  Defaulted(Type.Number({ exclusiveMinimum: 0, maximum: 1, description }), value);
const bits = (value: number, description: string) =>
  Defaulted(Type.Number({ exclusiveMinimum: 0, maximum: 64, description }), value);

/** The tunable weights (screening.weights in the configuration, src/config/schema.ts embeds this). */
export const screeningWeightsSchema = Section(
  {
    threshold: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'Candidates scoring at least this are reported for review.',
      }),
      0.75,
    ),
    bitsPerUnit: bits(32, 'Bits of evidence (log2 of the likelihood ratio) per 1.0 of score.'),
    name: Section(
      {
        phoneticFloor: share(
          0.85,
          'Similarity given to two tokens with equal phonetic keys (≥ 3 symbols) whose spelling is further apart.',
        ),
        initial: share(0.8, 'Similarity of an initial ("J") to a name starting with that letter.'),
        stretchFrom: share(
          0.5,
          'Token similarities are Jaro-Winkler stretched so that unrelated tokens (JW ≈ 0.5–0.6) count for little: ' +
            's = max(0, (JW − stretchFrom) / (1 − stretchFrom)).',
        ),
        extraToken: weight(0.03, 'Score per token present in one name and not the other (dropped middle name)…'),
        extraTokenMax: weight(0.06, '…at most this much in total.'),
        agreementM: share(
          0.9,
          "m of an exactly agreeing token: the chance the registrant's token is written the same way.",
        ),
        maxTokenBits: bits(12, 'Bits one agreeing token may bring at most: even a rare token has namesakes.'),
        maxNameBits: bits(24, 'Bits all agreeing tokens together may bring at most.'),
        oneEditAgreement: share(
          0.75,
          'Share of its agreement weight a token one edit away brings (SCHMIDT/SCCHMIDT, MEYER/MEYE).',
        ),
        agreeFrom: share(0.85, 'A paired token at this similarity or above (a phonetic or spelling variant)…'),
        nearAgreement: share(0.5, '…brings this share of its agreement weight.'),
        differsFrom: share(0.7, 'Below this similarity a paired token counts against the match…'),
        differsBelow: share(0.45, '…and at or below this it is a different name, and costs `tokenDiffers` in full.'),
        tokenDiffers: weight(-0.35, 'Score of a paired token that is clearly a different name.'),
      },
      { description: 'Name similarity and the weight of agreeing names.' },
    ),
    dateOfBirth: Section(
      {
        agreementM: share(0.95, 'm of an agreeing (full or partial) date of birth.'),
        partial: weight(-0.05, 'Added when one date is partial and otherwise off (year ±1): less is known.'),
        dayMonthSwapped: weight(0.2, 'Same year, day and month exchanged (03-07 vs 07-03): a clerical error.'),
        oneDayOff: weight(0.22, 'One day apart: the commonest keying error of a date.'),
        oneDigit: weight(0.14, 'One digit of YYYYMMDD differs (1953 for 1963, 18 for 13): a keying error.'),
        dayDiffers: weight(-0.35, 'Same year, month or day differs otherwise: a different date.'),
        monthAndDayDiffer: weight(-0.45, 'Same year, month and day both differ (and not swapped).'),
        yearOffByOne: weight(0.12, "Year one apart, same day and month: a year typo, but also a namesake's pattern."),
        yearOffByOneDayDiffers: weight(-0.2, 'Year one apart and the day or month differs: added to dayDiffers.'),
        yearDiffers: weight(-0.45, 'Year further apart, not one digit.'),
      },
      { description: 'Date of birth: agreement, typing errors and differences.' },
    ),
    document: Section(
      {
        exact: weight(0.5, 'Same document number (a present or past document of the registrant).'),
        oneEdit: weight(
          0.2,
          'Document number one edit apart (one character substituted, inserted, deleted or two swapped).',
        ),
        differs: weight(-0.05, 'Both carry documents and none is near: weak evidence, since passports are renewed.'),
        expiresAfterKnown: weight(
          -0.025,
          'None near, and a passenger document of the same issuer expires after the newest the registry knows: ' +
            'what a renewal looks like (replaces `differs`).',
        ),
        expiresBeforeKnown: weight(
          -0.18,
          'None near, and a passenger document of the same issuer expires before the newest the registry knows: ' +
            'a passport issued earlier that the registry never saw, rare for the same person (replaces `differs`).',
        ),
      },
      { description: 'Document numbers.' },
    ),
    nationalityDiffers: weight(-0.2, "Passenger's nationality is none of the registrant's citizenships."),
    nationalityAgreementM: share(0.95, "m of an agreeing nationality (u is the citizenship's share of the registry)."),
    nationalityMaxBits: bits(4, 'Bits an agreeing nationality may bring at most.'),
    sexDiffers: weight(-0.2, 'Both sexes known (F/M) and different.'),
    frequency: Section(
      {
        pseudoCount: Defaulted(
          Type.Integer({
            minimum: 0,
            maximum: 10_000_000,
            description: 'Pseudo-registrants behind the priors: below a few thousand registrants the priors dominate.',
          }),
          2000,
        ),
        token: share(2e-4, 'Prior share of a name token in a population (≈ 1/5000).'),
        year: share(1 / 70, 'Prior share of one birth year (≈ 1/70); year-month is /12, a full date /365.'),
        nationality: share(0.02, 'Prior share of one citizenship.'),
        referenceSize: Defaulted(
          Type.Integer({
            minimum: 1,
            maximum: 1_000_000_000,
            description:
              'Registry size the threshold was chosen at; above it the score carries log2(referenceSize / size).',
          }),
          200_000,
        ),
      },
      { description: 'Priors of the registry frequencies (frequencies.ts).' },
    ),
  },
  {
    description:
      'Score weights and threshold of the screening matcher (docs/screening.md); kept as written, ' +
      'defaults applied when screening starts.',
  },
);

export type ScreeningWeights = Static<typeof screeningWeightsSchema>;
export type ScreeningWeightsInput = Input<typeof screeningWeightsSchema>;

/**
 * screening.weights as the configuration holds it: what the operator wrote, resolved where screening
 * starts (resolveWeights), so a loaded configuration shows only the tuning. The defaults above are
 * documented there (`x-default`), not filled in by validation.
 */
const { 'x-default': _filled, ...asWritten } = documentedDefaults(screeningWeightsSchema);
export const screeningWeightsSetting = Defaulted(Type.Unsafe<ScreeningWeightsInput>(asWritten), {});

const d = defaultsOf(screeningWeightsSchema) as ScreeningWeights;
export const DEFAULT_WEIGHTS: ScreeningWeights = Object.freeze({
  ...d,
  name: Object.freeze(d.name),
  dateOfBirth: Object.freeze(d.dateOfBirth),
  document: Object.freeze(d.document),
  frequency: Object.freeze(d.frequency),
});

/** Input (any subset) → resolved, frozen weights. */
export function resolveWeights(input: ScreeningWeightsInput = {}): ScreeningWeights {
  const w = DEFAULT_WEIGHTS;
  return Object.freeze({
    threshold: input.threshold ?? w.threshold,
    bitsPerUnit: input.bitsPerUnit ?? w.bitsPerUnit,
    name: Object.freeze({ ...w.name, ...input.name }),
    dateOfBirth: Object.freeze({ ...w.dateOfBirth, ...input.dateOfBirth }),
    document: Object.freeze({ ...w.document, ...input.document }),
    nationalityDiffers: input.nationalityDiffers ?? w.nationalityDiffers,
    nationalityAgreementM: input.nationalityAgreementM ?? w.nationalityAgreementM,
    nationalityMaxBits: input.nationalityMaxBits ?? w.nationalityMaxBits,
    sexDiffers: input.sexDiffers ?? w.sexDiffers,
    frequency: Object.freeze({ ...w.frequency, ...input.frequency }),
  });
}
