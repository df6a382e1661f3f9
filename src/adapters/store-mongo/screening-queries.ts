/**
 * Every MongoDB filter, update and pipeline of the manifest and case repositories, as plain data
 * built by pure functions (same rule as ./queries.ts): tested without a server by running them with
 * mingo on fixture documents (tests/store/manifest-queries.test.ts). Values appear only as operands
 * of explicit operators, so a caller-supplied string cannot become a query operator.
 */
import type { TimeKey } from '../store-common/paging.js';
import type { CandidateOutcome, CaseFilter, ManifestDecision } from '../../ports/store/index.js';
import type { Filter, Sort } from './queries.js';

export const DUE_FIRST: Sort = { purgeAfter: 1, _id: 1 };
export const CASES_NEWEST_FIRST: Sort = { openedAt: -1, _id: -1 };
export const MANIFESTS_NEWEST_FIRST: Sort = { receivedAt: -1, _id: -1 };

/** The manifest list: everything, or strictly after the cursor's (receivedAt, id). */
export function manifestListFilter(after: TimeKey | null): Filter {
  if (!after) return {};
  return { $or: [{ receivedAt: { $lt: after.t } }, { receivedAt: { $eq: after.t }, _id: { $lt: after.id } }] };
}

export function byId(id: string): Filter {
  return { _id: { $eq: id } };
}

/** The candidate, only while still pending: of two racing decisions exactly one matches. */
export function pendingCandidateFilter(manifestId: string, candidateId: string): Filter {
  return {
    _id: { $eq: manifestId },
    candidates: { $elemMatch: { id: { $eq: candidateId }, decision: { $eq: 'pending' } } },
  };
}

/** `$[c]` is the candidate selected by candidateArrayFilters (the element the filter matched). */
export function decisionUpdate(d: ManifestDecision): Record<string, unknown> {
  return {
    $set: {
      'candidates.$[c].decidedBy': d.decidedBy,
      'candidates.$[c].decidedAt': d.decidedAt,
      'candidates.$[c].reason': d.reason,
      'candidates.$[c].decision': d.decision,
    },
  };
}

/** The array filter naming one candidate (and, for a decision, only while it is pending). */
export function candidateArrayFilters(candidateId: string, pendingOnly = false): Record<string, unknown>[] {
  return [{ 'c.id': { $eq: candidateId }, ...(pendingOnly ? { 'c.decision': { $eq: 'pending' } } : {}) }];
}

/** The candidate, only while it has no outcome: an outcome is recorded once (a repeat matches nothing). */
export function openOutcomeFilter(candidateId: string): Filter {
  return { candidates: { $elemMatch: { id: { $eq: candidateId }, outcome: { $eq: null } } } };
}

export function outcomeUpdate(outcome: CandidateOutcome, caseId: string | null): Record<string, unknown> {
  return { $set: { 'candidates.$[c].outcome': outcome, 'candidates.$[c].caseId': caseId } };
}

export function dueFilter(now: number): Filter {
  return { purgedAt: { $eq: null }, purgeAfter: { $lte: now } };
}

/** Purge only an unpurged manifest, so the first purge wins and a repeat changes nothing. */
export function purgeFilter(id: string): Filter {
  return { _id: { $eq: id }, purgedAt: { $eq: null } };
}

export function purgeUpdate(at: number): Record<string, unknown> {
  return { $set: { sealedPeople: null, wrappedKey: null, purgedAt: at } };
}

/** Manifests received in [from, to): counts of manifests, people, candidates, pending decisions. */
export function manifestStatsPipeline(from: number, to: number): Record<string, unknown>[] {
  return [
    { $match: { receivedAt: { $gte: from, $lt: to } } },
    {
      $group: {
        _id: null,
        manifests: { $sum: 1 },
        people: { $sum: { $add: ['$passengerCount', '$crewCount'] } },
        candidates: { $sum: '$candidateCount' },
        pending: {
          $sum: { $size: { $filter: { input: '$candidates', as: 'c', cond: { $eq: ['$$c.decision', 'pending'] } } } },
        },
      },
    },
  ];
}

/** Decisions taken in [from, to), whatever the manifest's age. */
export function decisionStatsPipeline(from: number, to: number): Record<string, unknown>[] {
  return [
    { $match: { candidates: { $elemMatch: { decidedAt: { $gte: from, $lt: to } } } } },
    { $unwind: '$candidates' },
    { $match: { 'candidates.decidedAt': { $gte: from, $lt: to } } },
    { $group: { _id: '$candidates.decision', n: { $sum: 1 } } },
  ];
}

export function caseListFilter(f: CaseFilter, after: TimeKey | null): Filter {
  const parts: Filter[] = [];
  if (f.registrantId !== undefined) parts.push({ registrantId: { $eq: f.registrantId } });
  const r: Record<string, number> = {};
  if (f.from !== undefined) r.$gte = f.from;
  if (f.to !== undefined) r.$lt = f.to;
  if (Object.keys(r).length) parts.push({ openedAt: r });
  if (after)
    parts.push({ $or: [{ openedAt: { $lt: after.t } }, { openedAt: { $eq: after.t }, _id: { $lt: after.id } }] });
  return parts.length === 0 ? {} : parts.length === 1 ? (parts[0] as Filter) : { $and: parts };
}

export function caseCountFilter(from: number, to: number): Filter {
  return { openedAt: { $gte: from, $lt: to } };
}

export function tripFilter(tripKey: string): Filter {
  return { tripKey: { $eq: tripKey } };
}
