/**
 * A point of contact reports back on a notification received (POST /api/v1/inbox/{id}/follow-ups):
 * the FollowUpReport goes to the notification's origin through the same submission path as any
 * outbound message — validated, stored durably, audited, enqueued, idempotent.
 */
import { isoTime } from '../../core/clock.js';
import { TnxError } from '../../core/errors.js';
import { ID } from '../query-schema.js';
import { submitMessage, type SubmitDeps, type SubmitResult } from '../submission/submit.js';
import type { Principal } from '../../core/principal.js';

/** What a PoC may say; the gateway fills everything that identifies the notification and the parties. */
const FOLLOW_UP_FIELDS = ['followUpId', 'action', 'actionAt', 'note'] as const;

export async function createFollowUp(
  deps: SubmitDeps,
  principal: Principal,
  inboundId: string,
  body: unknown,
  idempotencyKey: string | null,
): Promise<SubmitResult> {
  const { ctx } = deps;
  const r = ID.test(inboundId) ? await ctx.store.inbound.get(inboundId) : null;
  if (!r) throw new TnxError('not_found', 'no such inbox message');
  if (r.messageType !== 'TravelNotification') {
    throw new TnxError('conflict', 'follow-ups are reported on received TravelNotifications only');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TnxError('invalid_message', 'the body must be an object', { pointer: '' });
  }
  const given = body as Record<string, unknown>;
  for (const k of Object.keys(given)) {
    if (!(FOLLOW_UP_FIELDS as readonly string[]).includes(k)) {
      // The unknown name is input: the pointer is the body, the allowed names say what was expected.
      throw new TnxError('invalid_message', `unknown field (allowed: ${FOLLOW_UP_FIELDS.join(', ')})`, {
        pointer: '',
        detail: { allowed: FOLLOW_UP_FIELDS },
      });
    }
  }
  const report: Record<string, unknown> = {
    v: '1',
    type: 'FollowUpReport',
    ...given,
    notificationId: r.notificationId,
    origin: ctx.config.state,
    destination: r.iss,
  };
  if (report.actionAt === undefined) report.actionAt = isoTime(ctx.clock.now());
  return submitMessage(deps, {
    principal,
    idempotencyKey,
    body: report,
    expect: 'FollowUpReport',
    hashBasis: { inboundId: r.id, ...given },
  });
}
