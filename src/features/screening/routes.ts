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
import { CURSOR, ID, PURPOSE } from '../query-schema.js';
import { ROLES_BY_CONCERN } from '../roles.js';
import { bodyValue, defineRoute, type Route } from '../route.js';
import { receiveManifest } from './intake.js';
import { manifestUpload } from './manifest-upload.js';
import { listCases, listManifests, readCase, readManifest } from './reads.js';
import { decideCandidate, parseDecision } from './review.js';
import { candidateView, caseView, manifestView, reveal } from './view.js';

/** An id that cannot exist is simply not found. */
const id = { pattern: ID } as const;

export const screeningRoutes: readonly Route[] = [
  defineRoute({
    name: 'receiveManifest',
    method: 'POST',
    path: '/api/v1/manifests',
    part: 'screening',
    roles: ROLES_BY_CONCERN.screening,
    query: { purpose: PURPOSE },
    body: { kinds: ['paxlst', 'json'], limit: 'api', decode: manifestUpload },
    produces: ['json'],
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
  defineRoute({
    name: 'listManifests',
    method: 'GET',
    path: '/api/v1/manifests',
    part: 'screening',
    roles: ROLES_BY_CONCERN.screening,
    query: {
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
      cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
    },
    produces: ['json'],
    async handle({ query }, deps) {
      const page = await listManifests(deps, query);
      return { body: page, next: page.next };
    },
  }),
  defineRoute({
    name: 'readManifest',
    method: 'GET',
    path: '/api/v1/manifests/:id',
    part: 'screening',
    roles: ROLES_BY_CONCERN.screening,
    params: { id },
    query: { purpose: PURPOSE },
    produces: ['json'],
    async handle({ principal, params, query }, deps) {
      return { body: await readManifest(deps, principal, params.id, query.purpose) };
    },
  }),
  defineRoute({
    name: 'decideCandidate',
    method: 'POST',
    path: '/api/v1/manifests/:id/candidates/:cid/decision',
    part: 'screening',
    roles: ROLES_BY_CONCERN.screening,
    params: { id, cid: id },
    query: {},
    // {decision, reason}: a reason is a sentence, not a document.
    body: { kinds: ['json'], limit: 16_384, decode: bodyValue },
    produces: ['json'],
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
  defineRoute({
    name: 'listCases',
    method: 'GET',
    path: '/api/v1/cases',
    part: 'screening',
    roles: ROLES_BY_CONCERN.cases,
    query: {
      registrantId: { type: 'string', pattern: ID, what: 'an id' },
      from: { type: 'instant' },
      to: { type: 'instant' },
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
      cursor: { type: 'string', pattern: CURSOR, what: 'a cursor from a previous page' },
    },
    produces: ['json'],
    async handle({ query }, deps) {
      return { body: await listCases(deps, query) };
    },
  }),
  defineRoute({
    name: 'readCase',
    method: 'GET',
    path: '/api/v1/cases/:id',
    part: 'screening',
    roles: ROLES_BY_CONCERN.cases,
    params: { id },
    query: {},
    produces: ['json'],
    async handle({ params }, deps) {
      return { body: await readCase(deps, params.id) };
    },
  }),
];
