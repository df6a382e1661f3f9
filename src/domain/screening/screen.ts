/**
 * Screening a manifest: for every passenger (and crew member), the registrants whose score reaches the
 * threshold, best first, with the features that produced the score. A candidate is a lead for a person
 * to confirm or reject (LED Art 11), never a decision.
 *
 * Pure and in memory: no I/O, no logging. The result refers to passengers by their position in the
 * manifest and to registrants by id, so it can be stored for audit and statistics without copying
 * the non-matching passengers' personal data.
 */
import { packBirthDate } from './birth-date.js';
import type { CandidateIndex, CandidateStats, PassengerQuery } from './candidate-index.js';
import { DEFAULT_WEIGHTS, type ScreeningWeights } from './config.js';
import type { Manifest, ManifestPassenger, ManifestRole } from './manifest.js';
import { normalizeDocumentNumber, normalizeName, withoutJoinedArticle } from './normalize.js';
import { documentBonus, packExpiry, scoreMatch, scoreUpperBound, type FeatureContribution } from './score.js';

export interface ScreeningCandidate {
  registrantId: string;
  score: number;
  /** Why: every feature compared and what it contributed. */
  features: FeatureContribution[];
}

export interface PassengerScreening {
  /** Position of the person in `manifest.passengers` (0-based). */
  passengerIndex: number;
  role: ManifestRole;
  /** Candidates at or above the threshold, best first; empty for most passengers. */
  candidates: ScreeningCandidate[];
}

export interface ScreeningStats extends CandidateStats {
  passengers: number;
  /** Candidates whose names were compared (the others were ruled out by date of birth and qualifiers). */
  scored: number;
}

export interface ScreeningResult {
  threshold: number;
  passengers: PassengerScreening[];
  stats: ScreeningStats;
}

/** A manifest person in the form the index and the score compare. */
export function passengerQuery(p: ManifestPassenger): PassengerQuery {
  const tokens = normalizeName(p.familyName, p.givenNames);
  const alternative = withoutJoinedArticle(tokens);
  return {
    tokens,
    names: alternative ? [tokens, alternative] : [tokens],
    dateOfBirth: packBirthDate(p.dateOfBirth),
    sex: p.sex,
    nationalities: p.nationality ? [p.nationality] : [],
    documents: p.documents.map((d) => normalizeDocumentNumber(d.number)).filter((n) => n !== ''),
    documentExpiries: p.documents
      .map((d) => ({ expiresOn: packExpiry(d.expiresOn), issuingState: d.issuingState }))
      .filter((d) => d.expiresOn !== 0),
  };
}

export function screenPassenger(
  q: PassengerQuery,
  index: CandidateIndex,
  weights: ScreeningWeights,
  stats: ScreeningStats,
): ScreeningCandidate[] {
  const out: ScreeningCandidate[] = [];
  const { slots, viaDocument } = index.candidates(q, stats);
  for (const slot of slots) {
    const bound = scoreUpperBound(q, index.qualifiersOf(slot), weights, index.rarity);
    if (bound < weights.threshold) {
      // Only a near document number could lift it: look at documents only then.
      if (!viaDocument.has(slot) || bound + weights.document.exact < weights.threshold) continue;
      if (bound + documentBonus(q.documents, index.documentsOf(slot), weights) < weights.threshold) continue;
    }
    stats.scored++;
    const r = scoreMatch(q, index.subject(slot), weights, index.rarity);
    if (r.score >= weights.threshold)
      out.push({ registrantId: index.idOf(slot), score: r.score, features: r.features });
  }
  return out.sort((a, b) => b.score - a.score || (a.registrantId < b.registrantId ? -1 : 1));
}

export function screenManifest(
  manifest: Manifest,
  index: CandidateIndex,
  weights: ScreeningWeights = DEFAULT_WEIGHTS,
): ScreeningResult {
  const stats: ScreeningStats = {
    postingsVisited: 0,
    candidates: 0,
    passengers: manifest.passengers.length,
    scored: 0,
  };
  const passengers = manifest.passengers.map((p, passengerIndex) => ({
    passengerIndex,
    role: p.role,
    candidates: screenPassenger(passengerQuery(p), index, weights, stats),
  }));
  return { threshold: weights.threshold, passengers, stats };
}
