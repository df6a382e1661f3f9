/** Inbox endpoints for points of contact. */
import type { Request, Response } from 'express';
import { idempotencyKeyOf } from '../../features/submission/submit.js';
import { createFollowUp } from '../../features/inbox/follow-up.js';
import { listInbox, readInboxMessage } from '../../features/inbox/read.js';
import { bodyOf, principalOf } from '../state.js';
import type { HttpDeps } from './deps.js';

export function listInboxMessages(deps: HttpDeps) {
  return async function listInboxMessagesStep(req: Request, res: Response): Promise<void> {
    res.status(200).json(await listInbox(deps.ctx, req.query));
  };
}

export function readInbox(deps: HttpDeps) {
  return async function readInboxStep(req: Request, res: Response): Promise<void> {
    res.status(200).json(await readInboxMessage(deps.ctx, principalOf(res), String(req.params.id), req.query));
  };
}

export function postFollowUp(deps: HttpDeps) {
  return async function postFollowUpStep(req: Request, res: Response): Promise<void> {
    const result = await createFollowUp(
      deps,
      principalOf(res),
      String(req.params.id),
      bodyOf(res).value,
      idempotencyKeyOf(req.headers['idempotency-key']),
    );
    res.setHeader('Location', result.statusUrl);
    res.status(202).json({ id: result.id, status: result.status, statusUrl: result.statusUrl });
  };
}
