/**
 * The words a reviewer reads beside each feature of a candidate's score: what was compared and what
 * it found. One sentence per feature the scorer can emit (./score.ts); a record-typed map, so adding a
 * feature without its explanation does not compile.
 */
import type { Feature, FeatureContribution } from './score.js';

export const FEATURE_EXPLANATIONS: Readonly<Record<Feature, string>> = {
  name: 'Name similarity of the best-matching name pair (Jaro-Winkler over normalised tokens)',
  name_phonetic: 'The names also sound alike (phonetic codes agree)',
  name_token_differs: 'A name part present on both sides differs',
  dob_missing: 'Date of birth missing on one side: not compared',
  dob_exact: 'Date of birth identical',
  dob_partial: 'Date of birth only partly known, and the known parts agree',
  dob_day_month_swapped: 'Date of birth with day and month swapped',
  dob_one_day_off: 'Date of birth one day apart',
  dob_one_digit: 'Date of birth differs in one digit (a likely typing error)',
  dob_day_differs: 'Date of birth: same year and month, another day',
  dob_month_and_day_differ: 'Date of birth: same year, month and day differ',
  dob_year_off_by_one: 'Date of birth: day and month agree, year one apart',
  dob_year_off_by_one_day_differs: 'Date of birth: year one apart and the day differs',
  dob_year_differs: 'Date of birth: the years differ',
  document_exact: 'A travel document number identical',
  document_one_edit: 'A travel document number one character apart',
  document_differs: 'Travel document numbers on both sides, none alike',
  document_expires_after_known:
    "Travel document numbers none alike; the passenger's expires after the newest the registry knows (a renewal?)",
  document_expires_before_known:
    "Travel document numbers none alike; the passenger's expires before the newest the registry knows (issued earlier, never reported)",
  nationality_match: 'A nationality in common',
  nationality_differs: 'Nationalities on both sides, none in common',
  sex_match: 'Same sex recorded',
  sex_differs: 'Different sex recorded',
  registry_size: 'Adjustment for the size of the registry (more people, more chance look-alikes)',
};

export interface ExplainedFeature extends FeatureContribution {
  explanation: string;
  /** How the feature moved the score. */
  effect: 'raises' | 'lowers' | 'neutral';
}

/** Features as stored with a candidate, explained; an unknown name (an older scorer) is shown as is. */
export function explainFeatures(features: readonly { feature: string; contribution: number }[]): ExplainedFeature[] {
  return features.map((f) => ({
    feature: f.feature as Feature,
    contribution: f.contribution,
    explanation: Object.hasOwn(FEATURE_EXPLANATIONS, f.feature)
      ? FEATURE_EXPLANATIONS[f.feature as Feature]
      : f.feature,
    effect: f.contribution > 0 ? 'raises' : f.contribution < 0 ? 'lowers' : 'neutral',
  }));
}
