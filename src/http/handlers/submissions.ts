/** POST /api/v1/notifications and /api/v1/updates: hand a body to the submission service. */
import type { Request, Response } from 'express';
import { idempotencyKeyOf, submitMessage, type OutboundType } from '../../features/submission/submit.js';
import { bodyOf, principalOf } from '../state.js';
import type { HttpDeps } from './deps.js';

export function submit(deps: HttpDeps, expect: OutboundType) {
  return async function submitStep(req: Request, res: Response): Promise<void> {
    const result = await submitMessage(deps, {
      principal: principalOf(res),
      idempotencyKey: idempotencyKeyOf(req.headers['idempotency-key']),
      body: bodyOf(res).value,
      expect,
    });
    res.setHeader('Location', result.statusUrl);
    res.status(202).json({ id: result.id, status: result.status, statusUrl: result.statusUrl });
  };
}
