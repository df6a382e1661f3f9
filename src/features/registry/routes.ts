/**
 * Routes of the national workflow, mounted through createApp's `extraRoutes` so they get the same
 * naming, authentication, role checks and problem+json answers as the built-in table:
 *   registry staff (role `registry`): registrants and their travel reports;
 *   points of contact: the directory (read: admin, poc, auditor; change: admin);
 *   statistics (role `auditor`), JSON or CSV by Accept.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Role } from '../../config/schema.js';
import { TnxError } from '../../core/errors.js';
import type { HttpDeps } from '../../http/handlers/deps.js';
import { parseBody } from '../../http/middleware/parse-body.js';
import type { Route } from '../../http/routes.js';
import { bodyOf, principalOf } from '../../http/state.js';
import type { RegistryKeys } from '../../domain/registry/registry-keys.js';
import { statsCsv } from '../statistics/render.js';
import { buildStatsReport, parseRange } from '../statistics/report.js';
import { nationalDeps, type NationalDeps } from './deps.js';
import { changePartner, describeDirectory } from '../directory/directory-service.js';
import {
  createRegistrant,
  endRegistration,
  eraseRegistrant,
  readRegistrant,
  searchRegistrants,
  updateRegistrant,
} from './registry-service.js';
import {
  cancelTravelReport,
  changeTravelReport,
  createTravelReport,
  readTravelReport,
} from '../travel-reports/travel-report-service.js';

export const NATIONAL_ROLES = {
  registry: ['registry'],
  directoryRead: ['admin', 'poc', 'auditor'],
  directoryChange: ['admin'],
  stats: ['auditor'],
} as const satisfies Record<string, readonly Role[]>;

type Handler = (req: Request, res: Response) => Promise<unknown>;

/** A step that answers with `status` and the handler's JSON result. */
function answer(name: string, status: number, fn: Handler): RequestHandler {
  const step = async (req: Request, res: Response): Promise<void> => {
    res.status(status).json(await fn(req, res));
  };
  Object.defineProperty(step, 'name', { value: name });
  return step;
}

const param = (req: Request, name: string): string => String(req.params[name]);
const query = (req: Request): Record<string, unknown> => req.query;

function registryRoutes(deps: HttpDeps, n: NationalDeps, body: RequestHandler): Route[] {
  const roles = NATIONAL_ROLES.registry;
  const p = (res: Response) => principalOf(res);
  return [
    {
      name: 'createRegistrant',
      method: 'POST',
      path: '/api/v1/registrants',
      roles,
      steps: [body, answer('createRegistrantStep', 201, (_q, res) => createRegistrant(n, p(res), bodyOf(res).value))],
    },
    {
      name: 'searchRegistrants',
      method: 'GET',
      path: '/api/v1/registrants',
      roles,
      steps: [answer('searchRegistrantsStep', 200, (req, res) => searchRegistrants(n, p(res), query(req)))],
    },
    {
      name: 'readRegistrant',
      method: 'GET',
      path: '/api/v1/registrants/:id',
      roles,
      steps: [
        answer('readRegistrantStep', 200, (req, res) =>
          readRegistrant(n, p(res), param(req, 'id'), query(req).purpose),
        ),
      ],
    },
    {
      name: 'updateRegistrant',
      method: 'PUT',
      path: '/api/v1/registrants/:id',
      roles,
      steps: [
        body,
        answer('updateRegistrantStep', 200, (req, res) =>
          updateRegistrant(n, p(res), param(req, 'id'), bodyOf(res).value),
        ),
      ],
    },
    {
      name: 'eraseRegistrant',
      method: 'DELETE',
      path: '/api/v1/registrants/:id',
      roles,
      steps: [answer('eraseRegistrantStep', 200, (req, res) => eraseRegistrant(n, p(res), param(req, 'id')))],
    },
    {
      name: 'endRegistration',
      method: 'POST',
      path: '/api/v1/registrants/:id/end',
      roles,
      steps: [
        body,
        answer('endRegistrationStep', 200, (req, res) =>
          endRegistration(n, p(res), param(req, 'id'), bodyOf(res).value),
        ),
      ],
    },
    {
      name: 'createTravelReport',
      method: 'POST',
      path: '/api/v1/registrants/:id/travel-reports',
      roles,
      steps: [
        body,
        answer('createTravelReportStep', 201, (req, res) =>
          createTravelReport(n, p(res), param(req, 'id'), bodyOf(res).value),
        ),
      ],
    },
    {
      name: 'readTravelReport',
      method: 'GET',
      path: '/api/v1/travel-reports/:id',
      roles,
      steps: [
        answer('readTravelReportStep', 200, (req, res) =>
          readTravelReport(n, p(res), param(req, 'id'), query(req).purpose),
        ),
      ],
    },
    {
      name: 'changeTravelReport',
      method: 'PUT',
      path: '/api/v1/travel-reports/:id',
      roles,
      steps: [
        body,
        answer('changeTravelReportStep', 200, (req, res) =>
          changeTravelReport(n, p(res), param(req, 'id'), bodyOf(res).value),
        ),
      ],
    },
    {
      name: 'cancelTravelReport',
      method: 'POST',
      path: '/api/v1/travel-reports/:id/cancel',
      roles,
      steps: [
        body,
        answer('cancelTravelReportStep', 200, (req, res) =>
          cancelTravelReport(n, p(res), param(req, 'id'), bodyOf(res).value),
        ),
      ],
    },
  ];
}

function statsStep(deps: HttpDeps): RequestHandler {
  return async function statsStep(req: Request, res: Response): Promise<void> {
    const format =
      req.headers.accept === undefined ? 'application/json' : req.accepts(['application/json', 'text/csv']);
    if (!format)
      throw new TnxError('not_acceptable', 'this endpoint produces application/json or text/csv', {
        detail: { allowed: ['application/json', 'text/csv'] },
      });
    for (const k of Object.keys(req.query)) {
      if (k !== 'from' && k !== 'to')
        throw new TnxError('invalid_request', `unknown query parameter ${k}`, { pointer: `query/${k}` });
    }
    const report = await buildStatsReport(
      deps.ctx.store,
      parseRange(req.query.from, req.query.to),
      deps.ctx.config.delivery.onTimeThresholdHours,
    );
    if (format === 'text/csv') res.status(200).type('text/csv; charset=utf-8').send(statsCsv(report));
    else res.status(200).json(report);
  };
}

export interface NationalRouteOptions {
  /** Registry keys (loaded once, by src/runtime/create-context.ts); without them the registry routes are left out. */
  keys?: RegistryKeys;
}

/** For createApp({ extraRoutes: nationalRoutes() }). */
export function nationalRoutes(options: NationalRouteOptions = {}): (deps: HttpDeps) => Route[] {
  return (deps) => {
    const body = parseBody({ kinds: ['json'], limit: deps.ctx.config.http.bodyLimitBytes });
    const routes: Route[] = [
      {
        name: 'readDirectory',
        method: 'GET',
        path: '/api/v1/directory',
        roles: NATIONAL_ROLES.directoryRead,
        steps: [answer('readDirectoryStep', 200, async () => describeDirectory(deps.ctx))],
      },
      {
        name: 'changeDirectoryPartner',
        method: 'PATCH',
        path: '/api/v1/directory/:state',
        roles: NATIONAL_ROLES.directoryChange,
        steps: [
          body,
          answer('changeDirectoryPartnerStep', 200, (req, res) =>
            changePartner(deps.ctx, principalOf(res), param(req, 'state'), bodyOf(res).value),
          ),
        ],
      },
      {
        name: 'statistics',
        method: 'GET',
        path: '/api/v1/stats',
        roles: NATIONAL_ROLES.stats,
        steps: [statsStep(deps)],
      },
    ];
    if (options.keys) {
      const submit = {
        ctx: deps.ctx,
        queue: deps.queue,
        ...(deps.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: deps.enqueueTimeoutMs } : {}),
      };
      routes.push(...registryRoutes(deps, nationalDeps(submit, options.keys), body));
    }
    return routes;
  };
}
