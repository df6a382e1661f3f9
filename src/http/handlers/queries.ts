/** Read endpoints for compliance staff: the delivery audit view and the audit trail. */
import type { Request, Response } from 'express';
import { TnxError } from '../../core/errors.js';
import { auditCsv, queryAudit } from '../../features/audit-trail/audit-query.js';
import {
  getNotificationView,
  listNotificationViews,
  readOutboundMessage,
} from '../../features/submission/notification-view.js';
import { purposeOf } from '../../features/inbox/read.js';
import { principalOf } from '../state.js';
import type { HttpDeps } from './deps.js';

/** Link header for the next page (RFC 8288), built from the path and the query minus the cursor. */
function nextLink(req: Request, next: string | null): string | null {
  if (!next) return null;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) if (k !== 'cursor' && typeof v === 'string') params.set(k, v);
  params.set('cursor', next);
  return `<${req.baseUrl}${req.path}?${params.toString()}>; rel="next"`;
}

export function listNotifications(deps: HttpDeps) {
  return async function listNotificationsStep(req: Request, res: Response): Promise<void> {
    const page = await listNotificationViews(deps.ctx, principalOf(res), req.query);
    const link = nextLink(req, page.next);
    if (link) res.setHeader('Link', link);
    res.status(200).json(page);
  };
}

export function getNotification(deps: HttpDeps) {
  return async function getNotificationStep(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    res.status(200).json(await getNotificationView(deps.ctx, principalOf(res), id));
  };
}

export function readNotificationMessage(deps: HttpDeps) {
  return async function readNotificationMessageStep(req: Request, res: Response): Promise<void> {
    const purpose = purposeOf(req.query);
    res.status(200).json(await readOutboundMessage(deps.ctx, principalOf(res), String(req.params.id), purpose));
  };
}

export function queryAuditTrail(deps: HttpDeps) {
  return async function queryAuditTrailStep(req: Request, res: Response): Promise<void> {
    // Explicit negotiation: JSON (default) or CSV, anything else is 406 rather than a surprise format.
    const format =
      req.headers.accept === undefined ? 'application/json' : req.accepts(['application/json', 'text/csv']);
    if (!format)
      throw new TnxError('not_acceptable', 'this endpoint produces application/json or text/csv', {
        detail: { allowed: ['application/json', 'text/csv'] },
      });
    const page = await queryAudit(deps.ctx, principalOf(res), req.query);
    const link = nextLink(req, page.next);
    if (link) res.setHeader('Link', link);
    if (format === 'text/csv') {
      if (page.next) res.setHeader('X-Next-Cursor', page.next);
      res.status(200).type('text/csv; charset=utf-8').send(auditCsv(page.items));
    } else {
      res.status(200).json(page);
    }
  };
}
