/**
 * Receiving a manifest (POST /api/v1/manifests): parse → screen against the registry index → store
 * the manifest (people sealed) with its result and its audit events in one atomic insert → answer.
 *
 * Nothing is stored before parsing and screening succeed: a malformed manifest leaves no trace but
 * the refusal's `input.refused` audit event (which names the segment and position, never content).
 * The people are kept only sealed and only until `purgeAfter` (screening.retentionHours; EU API
 * rules: 24 h); ./retention.ts purges them. The result refers to people by their position in the
 * manifest, so it outlives the purge without holding the non-matching passengers' data.
 */
import { uuid7 } from '../../core/uuid7.js';
import { performance } from 'node:perf_hooks';
import type { Principal } from '../../core/principal.js';
import type { Manifest } from '../../domain/screening/manifest.js';
import { screenManifest } from '../../domain/screening/screen.js';
import type { CandidateRecord, ManifestRecord } from '../../ports/store/index.js';
import { manifestReceived, manifestScreened } from './events.js';
import { sealPeople } from './sealed-people.js';
import type { ScreeningDeps } from './screening-deps.js';

export type ManifestFormat = ManifestRecord['format'];

export interface Received {
  manifest: ManifestRecord;
  candidates: CandidateRecord[];
}

export async function receiveManifest(
  deps: ScreeningDeps,
  principal: Principal,
  format: ManifestFormat,
  manifest: Manifest,
): Promise<Received> {
  const { ctx } = deps;
  deps.index.requireReady();
  const id = uuid7();
  const started = performance.now();
  const result = screenManifest(manifest, deps.index.index, deps.weights);
  const screeningMs = performance.now() - started;
  const now = ctx.clock.now();

  const candidates: CandidateRecord[] = result.passengers.flatMap((p) =>
    p.candidates.map((c): CandidateRecord => ({
      id: uuid7(),
      manifestId: id,
      passengerIndex: p.passengerIndex,
      role: p.role,
      registrantId: c.registrantId,
      score: c.score,
      features: c.features.map((f) => ({ feature: f.feature, contribution: f.contribution })),
      decision: 'pending',
      decidedBy: null,
      decidedAt: null,
      reason: null,
      outcome: null,
      caseId: null,
      createdAt: now,
    })),
  );
  const crewCount = manifest.passengers.filter((p) => p.role === 'crew').length;
  const record: ManifestRecord = {
    id,
    format,
    submittedBy: principal.id,
    receivedAt: now,
    flight: { ...manifest.flight },
    passengerCount: manifest.passengers.length - crewCount,
    crewCount,
    ...sealPeople(id, manifest.passengers, deps.keys),
    purgeAfter: now + Math.round(ctx.config.screening.retentionHours * 3_600_000),
    purgedAt: null,
    threshold: result.threshold,
    screeningMs,
    candidateCount: candidates.length,
  };
  await ctx.store.manifests.insert(record, candidates, (stored) => [
    ...manifestReceived(stored, principal.id),
    ...manifestScreened(stored, deps.index.index.size, now),
  ]);
  return { manifest: record, candidates };
}
