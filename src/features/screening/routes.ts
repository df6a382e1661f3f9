/**
 * The manifest-screening endpoints, served where screening runs (with the registry):
 *
 *   POST /api/v1/manifests                                     screening  receive, screen, store
 *   GET  /api/v1/manifests                                     screening  manifests received, newest first
 *   GET  /api/v1/manifests/:id                                 screening  result (+ ?purpose: candidates' data)
 *   POST /api/v1/manifests/:id/candidates/:cid/decision        screening  confirm or reject a candidate
 *   GET  /api/v1/cases                                         screening, auditor  unreported-travel cases
 *   GET  /api/v1/cases/:id                                     screening, auditor
 */
import { CURSOR, ID, ID_FILTER, PURPOSE, pagedPeriod } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, routesOf, type Route } from '../route.js';
import { receiveManifest } from './intake.js';
import { manifestUpload } from './manifest-upload.js';
import { listCases, listManifests, readCase, readManifest } from './reads.js';
import { decideCandidate, parseDecision } from './review.js';
import { candidateView, caseView, manifestView, reveal } from './view.js';

/** An id that cannot exist is simply not found. */
const id = { pattern: ID } as const;
export const screeningRoutes: readonly Route[] = routesOf('screening', ROLES_BY_CONCERN.screening, (route) => [
  route('receiveManifest', {
    method: 'POST',
    path: '/api/v1/manifests',
    query: { purpose: PURPOSE },
    body: { kinds: ['paxlst', 'json'], limit: 'api', decode: manifestUpload },
    async handle({ principal, query, body }, deps) {
      const got = await receiveManifest(deps, principal, body.format, body.manifest);
      const revealed =
        query.purpose === undefined
          ? undefined
          : await reveal(deps, principal, got.manifest, got.candidates, query.purpose);
      return {
        status: 201,
        headers: { Location: `/api/v1/manifests/${got.manifest.id}` },
        body: manifestView(got.manifest, got.candidates, revealed),
      };
    },
  }),
  route('listManifests', {
    method: 'GET',
    path: '/api/v1/manifests',
    query: {
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
      cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
    },
    async handle({ query }, deps) {
      const page = await listManifests(deps, query);
      return { body: page, next: page.next };
    },
  }),
  route('readManifest', {
    method: 'GET',
    path: '/api/v1/manifests/:id',
    params: { id },
    query: { purpose: PURPOSE },
    async handle({ principal, params, query }, deps) {
      return { body: await readManifest(deps, principal, params.id, query.purpose) };
    },
  }),
  route('decideCandidate', {
    method: 'POST',
    path: '/api/v1/manifests/:id/candidates/:cid/decision',
    params: { id, cid: id },
    // {decision, reason}: a reason is a sentence, not a document.
    body: { kinds: ['json'], limit: 16_384, decode: bodyValue },
    async handle({ principal, params, body }, deps) {
      const r = await decideCandidate(deps, principal, params.id, params.cid, parseDecision(body));
      return {
        body: {
          candidate: candidateView(r.candidate),
          case: r.case ? caseView(r.case) : null,
          alreadyNotified: r.alreadyNotified,
        },
      };
    },
  }),
  route('listCases', {
    method: 'GET',
    path: '/api/v1/cases',
    roles: ROLES_BY_CONCERN.cases,
    query: {
      registrantId: ID_FILTER,
      ...pagedPeriod(500, 50),
    },
    async handle({ query }, deps) {
      return { body: await listCases(deps, query) };
    },
  }),
  route('readCase', {
    method: 'GET',
    path: '/api/v1/cases/:id',
    roles: ROLES_BY_CONCERN.cases,
    params: { id },
    async handle({ params }, deps) {
      return { body: await readCase(deps, params.id) };
    },
  }),
]);
