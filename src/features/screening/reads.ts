/**
 * Reading screening results: a manifest with its candidates (their personal data only with a purpose,
 * audited first — ./view.ts), and the unreported-travel cases review opened.
 */
import { TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { CaseFilter } from '../../ports/store/index.js';
import type { ScreeningDeps } from './screening-deps.js';
import { caseView, manifestSummary, manifestView, reveal, type ManifestSummary } from './view.js';

export async function readManifest(
  deps: ScreeningDeps,
  principal: Principal,
  id: string,
  purpose: string | undefined,
): Promise<Record<string, unknown>> {
  const m = await deps.ctx.store.manifests.get(id);
  if (!m) throw new TnxError('not_found', 'no such manifest');
  const candidates = await deps.ctx.store.manifests.candidates(m.id);
  const revealed = purpose === undefined ? undefined : await reveal(deps, principal, m, candidates, purpose);
  return manifestView(m, candidates, revealed);
}

/**
 * Manifests received, newest first, each with how many of its candidates still wait for a decision:
 * references and counts only, no person.
 */
export async function listManifests(
  deps: ScreeningDeps,
  q: { limit: number; cursor?: string },
): Promise<{ items: ManifestSummary[]; next: string | null }> {
  const page = await deps.ctx.store.manifests.list({ limit: q.limit, cursor: q.cursor ?? null });
  const items = await Promise.all(
    page.items.map(async (m) => manifestSummary(m, await deps.ctx.store.manifests.candidates(m.id))),
  );
  return { items, next: page.next };
}

/** What the case list can be filtered by (GET /api/v1/cases, checked by its query schema). */
export interface CaseQuery {
  registrantId?: string;
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

export async function listCases(
  deps: ScreeningDeps,
  q: CaseQuery,
): Promise<{ items: Record<string, unknown>[]; next: string | null }> {
  const filter: CaseFilter = {
    ...(q.registrantId ? { registrantId: q.registrantId } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
  };
  const page = await deps.ctx.store.cases.list(filter, { limit: q.limit, cursor: q.cursor ?? null });
  return { items: page.items.map(caseView), next: page.next };
}

export async function readCase(deps: ScreeningDeps, id: string): Promise<Record<string, unknown>> {
  const k = await deps.ctx.store.cases.get(id);
  if (!k) throw new TnxError('not_found', 'no such case');
  return caseView(k);
}
