/**
 * The manifest-screening endpoints, mounted into the one route table through createApp's
 * `extraRoutes` (same authentication, roles, named steps and problem+json as every endpoint):
 *
 *   POST /api/v1/manifests                                     screening  receive, screen, store
 *   GET  /api/v1/manifests/:id                                 screening  result (+ ?purpose: candidates' data)
 *   POST /api/v1/manifests/:id/candidates/:cid/decision        screening  confirm or reject a candidate
 *   GET  /api/v1/cases                                         screening, auditor  unreported-travel cases
 *   GET  /api/v1/cases/:id                                     screening, auditor
 */
import type { Request, Response } from 'express';
import type { Role } from '../../config/schema.js';
import { TnxError } from '../../core/errors.js';
import { CURSOR, ID, limitParam, patternParam, readQuery, timeParam } from '../query-params.js';
import { parseBody } from '../../http/middleware/parse-body.js';
import type { Route } from '../../http/routes.js';
import { bodyOf, principalOf } from '../../http/state.js';
import type { CaseRecord } from '../../ports/store/index.js';
import { receiveManifest } from './intake.js';
import { parsedManifestOf, parseManifestBody } from '../../http/manifest-body.js';
import { decideCandidate, parseDecision } from './review.js';
import type { ScreeningDeps } from './screening-deps.js';
import { candidateView, manifestView, reveal } from './view.js';

export const SCREENING_ROLES = {
  screening: ['screening'],
  cases: ['screening', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;

const iso = (ms: number): string => new Date(ms).toISOString();

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
    openedAt: iso(k.openedAt),
    notification: k.notification,
    notificationId: k.notificationId,
    statusUrl: k.notificationId ? `/api/v1/notifications/${k.notificationId}` : null,
  };
}

function idParam(req: Request, name: string): string {
  const v = String(req.params[name] ?? '');
  if (!ID.test(v)) throw new TnxError('not_found', `no such ${name}`);
  return v;
}

function receive(deps: ScreeningDeps) {
  return async function receiveManifestStep(req: Request, res: Response): Promise<void> {
    const q = readQuery(req.query, ['purpose']);
    const principal = principalOf(res);
    const { format, manifest } = parsedManifestOf(res);
    const got = await receiveManifest(deps, principal, format, manifest);
    const revealed =
      q.purpose === undefined ? undefined : await reveal(deps, principal, got.manifest, got.candidates, q.purpose);
    res.setHeader('Location', `/api/v1/manifests/${got.manifest.id}`);
    res.status(201).json(manifestView(got.manifest, got.candidates, revealed));
  };
}

function read(deps: ScreeningDeps) {
  return async function readManifestStep(req: Request, res: Response): Promise<void> {
    const q = readQuery(req.query, ['purpose']);
    const m = await deps.ctx.store.manifests.get(idParam(req, 'id'));
    if (!m) throw new TnxError('not_found', 'no such manifest');
    const candidates = await deps.ctx.store.manifests.candidates(m.id);
    const revealed =
      q.purpose === undefined ? undefined : await reveal(deps, principalOf(res), m, candidates, q.purpose);
    res.status(200).json(manifestView(m, candidates, revealed));
  };
}

function decide(deps: ScreeningDeps) {
  return async function decideCandidateStep(req: Request, res: Response): Promise<void> {
    readQuery(req.query, []);
    const r = await decideCandidate(
      deps,
      principalOf(res),
      idParam(req, 'id'),
      idParam(req, 'cid'),
      parseDecision(bodyOf(res).value),
    );
    res.status(200).json({
      candidate: candidateView(r.candidate),
      case: r.case ? caseView(r.case) : null,
      alreadyNotified: r.alreadyNotified,
    });
  };
}

function listCases(deps: ScreeningDeps) {
  return async function listCasesStep(req: Request, res: Response): Promise<void> {
    const q = readQuery(req.query, ['registrantId', 'from', 'to', 'limit', 'cursor']);
    const registrantId = patternParam(q.registrantId, 'registrantId', ID, 'an id');
    const from = timeParam(q.from, 'from');
    const to = timeParam(q.to, 'to');
    const page = await deps.ctx.store.cases.list(
      {
        ...(registrantId ? { registrantId } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      },
      {
        limit: limitParam(q.limit),
        cursor: patternParam(q.cursor, 'cursor', CURSOR, 'a cursor from a previous page') ?? null,
      },
    );
    res.status(200).json({ items: page.items.map(caseView), next: page.next });
  };
}

function readCase(deps: ScreeningDeps) {
  return async function readCaseStep(req: Request, res: Response): Promise<void> {
    readQuery(req.query, []);
    const k = await deps.ctx.store.cases.get(idParam(req, 'id'));
    if (!k) throw new TnxError('not_found', 'no such case');
    res.status(200).json(caseView(k));
  };
}

export function manifestRoutes(deps: ScreeningDeps): Route[] {
  const limit = deps.ctx.config.http.bodyLimitBytes;
  return [
    {
      name: 'receiveManifest',
      method: 'POST',
      path: '/api/v1/manifests',
      roles: SCREENING_ROLES.screening,
      steps: [parseManifestBody(limit), receive(deps)],
    },
    {
      name: 'readManifest',
      method: 'GET',
      path: '/api/v1/manifests/:id',
      roles: SCREENING_ROLES.screening,
      steps: [read(deps)],
    },
    {
      name: 'decideCandidate',
      method: 'POST',
      path: '/api/v1/manifests/:id/candidates/:cid/decision',
      roles: SCREENING_ROLES.screening,
      steps: [parseBody({ kinds: ['json'], limit: 16_384 }), decide(deps)],
    },
    { name: 'listCases', method: 'GET', path: '/api/v1/cases', roles: SCREENING_ROLES.cases, steps: [listCases(deps)] },
    {
      name: 'readCase',
      method: 'GET',
      path: '/api/v1/cases/:id',
      roles: SCREENING_ROLES.cases,
      steps: [readCase(deps)],
    },
  ];
}
