/**
 * What the manifest endpoints answer. Without a purpose: references only — flight, counts, and per
 * candidate the passenger's position, the registrant id, the score and its features. With a purpose
 * (`?purpose=…`, screening role only): also the candidate's registry identity and the manifest
 * entry it was matched on, so a reviewer can compare the two; every such read is audited first
 * (personal_data.read with the purpose, per registrant and for the manifest entries). The other,
 * non-matching passengers are never part of any answer.
 */
import { isoTimeOrNull } from '../../core/clock.js';
import type { Principal } from '../../core/principal.js';
import type { Person } from '../../domain/protocol/types.js';
import { registrantRead, requirePurpose } from '../../domain/registry/registry-events.js';
import { openRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { ManifestPassenger } from '../../domain/screening/manifest.js';
import type { CandidateRecord, CaseRecord, ManifestRecord } from '../../ports/store/index.js';
import { isTnxError } from '../../core/errors.js';
import { candidatesRead } from './events.js';
import { openPeople } from './sealed-people.js';
import type { ScreeningDeps } from './screening-deps.js';

export interface Revealed {
  /** Registry identity per registrant id; null when the registrant was erased meanwhile. */
  registrants: Map<string, Omit<Person, never> | null>;
  /** The manifest's people; null once purged. */
  people: ManifestPassenger[] | null;
}

export function candidateView(c: CandidateRecord, revealed?: Revealed): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: c.id,
    passengerIndex: c.passengerIndex,
    role: c.role,
    registrantId: c.registrantId,
    score: c.score,
    features: c.features,
    decision: c.decision,
    decidedBy: c.decidedBy,
    decidedAt: isoTimeOrNull(c.decidedAt),
    reason: c.reason,
    outcome: c.outcome,
    caseId: c.caseId,
  };
  if (revealed) {
    v.registrant = revealed.registrants.get(c.registrantId) ?? null;
    v.passenger = revealed.people?.[c.passengerIndex] ?? null;
  }
  return v;
}

export function manifestView(
  m: ManifestRecord,
  candidates: readonly CandidateRecord[],
  revealed?: Revealed,
): Record<string, unknown> {
  return {
    ...manifestHeader(m),
    purgeAfter: isoTimeOrNull(m.purgeAfter),
    purgedAt: isoTimeOrNull(m.purgedAt),
    screening: {
      threshold: m.threshold,
      durationMs: Math.round(m.screeningMs * 1000) / 1000,
      candidates: m.candidateCount,
    },
    candidates: candidates.map((c) => candidateView(c, revealed)),
  };
}

export interface ManifestSummary {
  id: string;
  format: ManifestRecord['format'];
  receivedAt: string | null;
  flight: ManifestRecord['flight'];
  passengers: number;
  crew: number;
  candidates: number;
  /** Candidates still waiting for a reviewer's decision. */
  pending: number;
  confirmed: number;
  rejected: number;
  purgedAt: string | null;
}

/** Which manifest, which flight and how many on board: how both the full view and the list entry begin. */
function manifestHeader(
  m: ManifestRecord,
): Pick<ManifestSummary, 'id' | 'format' | 'receivedAt' | 'flight' | 'passengers' | 'crew'> {
  return {
    id: m.id,
    format: m.format,
    receivedAt: isoTimeOrNull(m.receivedAt),
    flight: m.flight,
    passengers: m.passengerCount,
    crew: m.crewCount,
  };
}

export function manifestSummary(m: ManifestRecord, candidates: readonly CandidateRecord[]): ManifestSummary {
  const count = (d: CandidateRecord['decision']) => candidates.filter((c) => c.decision === d).length;
  return {
    ...manifestHeader(m),
    candidates: candidates.length,
    pending: count('pending'),
    confirmed: count('confirmed'),
    rejected: count('rejected'),
    purgedAt: isoTimeOrNull(m.purgedAt),
  };
}

export function caseView(k: CaseRecord): Record<string, unknown> {
  return {
    id: k.id,
    kind: k.kind,
    registrantId: k.registrantId,
    manifestId: k.manifestId,
    candidateId: k.candidateId,
    flight: k.flight,
    destination: k.destination,
    openedBy: k.openedBy,
    openedAt: isoTimeOrNull(k.openedAt),
    notification: k.notification,
    notificationId: k.notificationId,
    statusUrl: k.notificationId ? `/api/v1/notifications/${k.notificationId}` : null,
  };
}

/** Open what a reviewer asked to see, auditing the reads (with the purpose) before anything is returned. */
export async function reveal(
  deps: ScreeningDeps,
  principal: Principal,
  m: ManifestRecord,
  candidates: readonly CandidateRecord[],
  purpose: unknown,
): Promise<Revealed> {
  const why = requirePurpose(purpose);
  const { ctx } = deps;
  const registrants = new Map<string, Person | null>();
  for (const id of new Set(candidates.map((c) => c.registrantId))) {
    const sealed = await ctx.store.registry.get(id);
    try {
      registrants.set(id, sealed ? identityOf(openRegistrant(sealed, deps.keys).person) : null);
    } catch (err) {
      if (!isTnxError(err, 'registrant_erased')) throw err;
      registrants.set(id, null);
    }
  }
  const people = candidates.length > 0 ? openPeople(m.id, m, deps.keys) : null;
  const now = ctx.clock.now();
  const opened = [...registrants].filter(([, p]) => p !== null).map(([id]) => id);
  await ctx.events.publish(
    ...opened.map((id) => registrantRead(id, principal.id, why, now, ['person'])),
    ...(people && candidates.length > 0
      ? [
          candidatesRead(
            m.id,
            principal.id,
            why,
            candidates.map((c) => c.id),
            now,
          ),
        ]
      : []),
  );
  return { registrants, people };
}

/** The identity a reviewer compares with the manifest entry: no convictions, no notes. */
function identityOf(p: Person): Person {
  return {
    name: p.name,
    ...(p.nameOriginalScript ? { nameOriginalScript: p.nameOriginalScript } : {}),
    ...(p.aliases ? { aliases: p.aliases } : {}),
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    citizenships: p.citizenships,
    travelDocuments: p.travelDocuments,
  };
}
