/**
 * Submission of outbound messages (TravelNotification, TravelUpdate, FollowUpReport): the one path
 * from "a national system or a PoC asked" to "delivery will happen even if we die now".
 *
 *   check type → idempotency → fill ids/origin → validate → resolve partner/reference
 *   → store durably (outbox state `accepted`, or `no_channel`) → audit → enqueue → `queued`
 *
 * The answer is given only after the store insert and its audit events are durable. Enqueueing comes
 * after and may fail (Redis down): the record then stays `accepted` and the outbox recovery pass
 * (./outbox.ts) hands it over later. Enqueue happens before the `queued` transition, never after it,
 * so a crash in between leaves an `accepted` record (recovered) rather than a `queued` one with no job.
 */
import { isoTime } from '../../core/clock.js';
import { withTimeout } from '../../core/timeout.js';
import { uuid7 } from '../../core/uuid7.js';
import type { GatewayContext } from '../../ports/context.js';
import { isTnxError, TnxError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { validateMessage } from '../../domain/protocol/validate.js';
import type { TnxMessage, TravelNotification, TravelUpdate } from '../../domain/protocol/types.js';
import type { NewOutbound, OutboundRecord, OutboundState } from '../../ports/store/index.js';
import { requestHash } from './request-hash.js';
import { cancelForUpdate } from './cancel.js';
import { outboundEvent } from '../outbound-events.js';

export type OutboundType = OutboundRecord['messageType'];

export interface SubmitInput {
  principal: Principal;
  /** Idempotency-Key header, already checked for shape; null when absent. */
  idempotencyKey: string | null;
  /** The body as parsed (JSON value or the message decoded from XML). */
  body: unknown;
  expect: OutboundType;
  /**
   * What the idempotency fingerprint is computed over, when not the body itself (a follow-up's body
   * is assembled by the gateway with a default time; its fingerprint is what the PoC sent).
   */
  hashBasis?: unknown;
}

export interface SubmitResult {
  id: string;
  status: OutboundState;
  statusUrl: string;
  /** False when this answer repeats an earlier one (idempotent retry). */
  created: boolean;
}

const ID_FIELD: Record<OutboundType, 'notificationId' | 'updateId' | 'followUpId'> = {
  TravelNotification: 'notificationId',
  TravelUpdate: 'updateId',
  FollowUpReport: 'followUpId',
};

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** Check an Idempotency-Key header value (draft-ietf-httpapi-idempotency-key-header: an opaque string). */
export function idempotencyKeyOf(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw new TnxError('invalid_request', 'Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 . _ : -', {
      pointer: 'header/Idempotency-Key',
    });
  }
  return header;
}

export function statusUrl(id: string): string {
  return `/api/v1/notifications/${encodeURIComponent(id)}`;
}

function answer(rec: OutboundRecord, created: boolean): SubmitResult {
  return { id: rec.id, status: rec.state, statusUrl: statusUrl(rec.id), created };
}

/** Same submitter and same body → the first answer; anything else under that key/id → 409. */
function replay(existing: OutboundRecord, principal: Principal, hash: string): SubmitResult {
  if (existing.submittedBy !== principal.id || existing.requestHash !== hash) {
    throw new TnxError('idempotency_conflict', 'this idempotency key or message id was already used with another body');
  }
  return answer(existing, false);
}

import type { SubmitDeps } from './deps.js';

export type { SubmitDeps };

export async function submitMessage(deps: SubmitDeps, input: SubmitInput): Promise<SubmitResult> {
  const { ctx } = deps;
  const { principal, idempotencyKey, expect } = input;
  const body = asObject(input.body);
  checkType(body, expect);
  const hash = requestHash(input.hashBasis === undefined ? body : input.hashBasis);

  if (idempotencyKey !== null) {
    const existing = await ctx.store.outbound.findByIdempotencyKey(principal.id, idempotencyKey);
    if (existing) return replay(existing, principal, hash);
  }
  const idField = ID_FIELD[expect];
  if (typeof body[idField] === 'string') {
    // A client-supplied message id is an idempotency id too.
    const existing = await ctx.store.outbound.get(body[idField]);
    if (existing) return replay(existing, principal, hash);
  }

  const message = validateMessage(fill(ctx, body, expect));
  if (message.type !== expect)
    throw new TnxError('unsupported_message_type', `expected ${expect}`, { pointer: '/type' });
  const plan = await planRecord(ctx, message);

  const now = ctx.clock.now();
  const rec: NewOutbound = {
    id: (message as unknown as Record<string, string>)[idField] as string,
    messageType: expect,
    notificationId: message.notificationId,
    partner: message.destination,
    state: plan.state,
    submittedBy: principal.id,
    idempotencyKey,
    requestHash: hash,
    message,
    source: message.type === 'TravelNotification' ? message.source.kind : null,
    departureAt: plan.departureAt,
    createdAt: now,
  };

  let inserted: { record: OutboundRecord; created: boolean };
  try {
    // The record and its acceptance events commit together (store port AuditWith).
    inserted = await ctx.store.outbound.insert(rec, (r) => acceptedEvents(r, principal, now));
  } catch (err) {
    // Lost a race on a client-supplied id: the other request's record decides.
    if (isTnxError(err, 'conflict')) {
      const existing = await ctx.store.outbound.get(rec.id);
      if (existing) return replay(existing, principal, hash);
    }
    throw err;
  }
  if (!inserted.created) return replay(inserted.record, principal, hash);
  const record = inserted.record;
  ctx.metrics.submissions.inc({ type: expect });

  if (record.state === 'no_channel') {
    ctx.metrics.deliveries.inc({ partner: record.partner, outcome: 'no_channel' });
    return answer(record, true);
  }
  if (message.type === 'TravelUpdate' && message.action === 'cancel') {
    const outcome = await cancelForUpdate(deps, message, principal);
    if (outcome === 'stopped') {
      // The partner never got the notification: there is nothing to cancel on their side.
      const done = await ctx.store.outbound.transition(
        record.id,
        ['accepted'],
        'cancelled',
        { lastError: 'notification_not_delivered' },
        (r) => [
          outboundEvent(
            'notification.cancelled',
            r,
            ctx.clock.now(),
            {
              reason: 'notification_not_delivered',
            },
            principal.id,
          ),
        ],
      );
      if (done) return answer(done, true);
    }
  }
  return answer(await handOver(deps, record), true);
}

/**
 * Enqueue, then mark `queued`. A failure to enqueue is logged and left to the outbox recovery: the
 * record is durable, so the caller's 202 stands. When the queue is already known unreachable the
 * enqueue is not even tried, so a Redis outage does not cost each caller the enqueue timeout.
 */
export async function handOver(deps: SubmitDeps, record: OutboundRecord): Promise<OutboundRecord> {
  const { ctx, queue } = deps;
  // Known down: the record is durable, the outbox recovery hands it over once the queue is back.
  if (queue.available?.() === false) return record;
  try {
    const ms = deps.enqueueTimeoutMs ?? ctx.config.delivery.enqueueTimeoutMs;
    await withTimeout(Promise.resolve(queue.enqueue(record)), ms, `enqueue took longer than ${ms} ms`);
  } catch (err) {
    ctx.log.warn({ id: record.id, err }, 'enqueue failed; the outbox recovery will retry');
    return record;
  }
  const now = ctx.clock.now();
  const queued = await ctx.store.outbound.transition(record.id, ['accepted'], 'queued', { queuedAt: now }, (r) => [
    outboundEvent('notification.queued', r, now),
  ]);
  return queued ?? (await ctx.store.outbound.get(record.id)) ?? record; // null: a worker already moved it on
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new TnxError('invalid_message', 'the body must be one message object', { pointer: '' });
  }
  return body as Record<string, unknown>;
}

function checkType(body: Record<string, unknown>, expect: OutboundType): void {
  if (body.type !== undefined && body.type !== expect) {
    throw new TnxError('unsupported_message_type', `this endpoint takes ${expect}`, { pointer: '/type' });
  }
}

/** Fill what the gateway owns: version, type, our origin, ids, our point of contact, issue time. */
function fill(ctx: GatewayContext, body: Record<string, unknown>, expect: OutboundType): Record<string, unknown> {
  if (body.origin !== undefined && body.origin !== ctx.config.state) {
    throw new TnxError('invalid_message', `origin must be this gateway's state (${ctx.config.state})`, {
      pointer: '/origin',
    });
  }
  const m: Record<string, unknown> = { v: '1', type: expect, ...body, origin: ctx.config.state };
  const idField = ID_FIELD[expect];
  if (m[idField] === undefined) m[idField] = uuid7(); // time-ordered: appends to the id indexes (src/core/uuid7.ts)
  if (expect === 'TravelNotification' && m.pointOfContact === undefined)
    m.pointOfContact = { ...ctx.config.pointOfContact };
  if (expect === 'TravelUpdate' && m.issuedAt === undefined) m.issuedAt = isoTime(ctx.clock.now());
  return m;
}

interface Plan {
  state: 'accepted' | 'no_channel';
  departureAt: number | null;
}

async function planRecord(ctx: GatewayContext, message: TnxMessage): Promise<Plan> {
  let departureAt: number | null = null;
  if (message.type === 'TravelNotification') departureAt = Date.parse(message.travel.departureAt);
  if (message.type === 'TravelUpdate') departureAt = await updateDeparture(ctx, message);
  // Many destination states run no gateway: not an error, the record waits for manual handling.
  const partner = ctx.directory.partner(message.destination);
  const reachable = !!partner && partner.endpoint !== null && partner.accepts.includes(message.type);
  return { state: reachable ? 'accepted' : 'no_channel', departureAt };
}

/** An update must refer to a notification we sent to the same destination. */
async function updateDeparture(ctx: GatewayContext, u: TravelUpdate): Promise<number | null> {
  const ref = await ctx.store.outbound.get(u.notificationId);
  if (!ref || ref.messageType !== 'TravelNotification') {
    throw new TnxError('unknown_reference', 'no notification with this id was sent from here', {
      pointer: '/notificationId',
    });
  }
  if (ref.partner !== u.destination) {
    throw new TnxError('invalid_message', 'destination must be the destination of the notification', {
      pointer: '/destination',
    });
  }
  if (u.action === 'amend' && u.travel) return Date.parse(u.travel.departureAt);
  return ref.departureAt ?? Date.parse((ref.message as TravelNotification).travel.departureAt);
}

function acceptedEvents(record: OutboundRecord, principal: Principal, at: number) {
  const events = [outboundEvent('notification.accepted', record, at, {}, principal.id)];
  // LED 2016/680 Art 25(1): collecting personal data is a logged processing operation.
  if (record.messageType === 'TravelNotification') {
    events.push({
      action: 'personal_data.created',
      actor: principal.id,
      at,
      messageId: record.id,
      partner: record.partner,
      outcome: null,
      detail: { messageType: record.messageType },
    });
  }
  if (record.state === 'no_channel') events.push(outboundEvent('notification.no_channel', record, at));
  return events;
}
