/**
 * The inbox (POST /tnx/v1/messages): open → de-duplicate → check references → store → sign receipt.
 *
 * De-duplication is by (iss, jti) in the store itself (a unique key, `insertOnce`), so it holds across
 * processes. A sender that never saw our receipt sends the same JWE again; it gets the receipt we
 * signed the first time, byte for byte, and the message is not processed twice. The receipt is
 * answered only after the record and its audit events are durable: a receipt is a promise that we have
 * the message.
 */
import { isoTime } from '../../core/clock.js';
import { uuid7 } from '../../core/uuid7.js';
import type { GatewayContext } from '../../ports/context.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import { isTnxError, TnxError } from '../../core/errors.js';
import { open, signReceipt, type Opened } from '../../domain/protocol/envelope/index.js';
import type { StateCode, TnxMessage } from '../../domain/protocol/types.js';
import type { InboundRecord } from '../../ports/store/index.js';

export interface ReceiveOptions {
  /**
   * When the inbox requires client certificates: the partner states the presented certificate was
   * verified for (./client-cert.ts). The verified sender must be one of them — a partner presenting
   * another partner's certificate is refused even if its signature is valid.
   */
  tlsPartners?: readonly StateCode[];
  /** Called after a new message is stored (webhook push to the national system, see docs/http-api.md). */
  onReceived?: (record: InboundRecord) => void;
}

export interface ReceiveResult {
  receiptJws: string;
  duplicate: boolean;
  record: InboundRecord;
}

/** The message-level id: what the sender's audit trail calls this message. */
export function messageIdOf(m: TnxMessage): string {
  switch (m.type) {
    case 'TravelNotification':
      return m.notificationId;
    case 'TravelUpdate':
      return m.updateId;
    case 'FollowUpReport':
      return m.followUpId;
  }
}

export async function receiveMessage(
  ctx: GatewayContext,
  jwe: string,
  options: ReceiveOptions = {},
): Promise<ReceiveResult> {
  let sender: StateCode | null = null;
  try {
    const opened = await open(jwe, {
      keys: ctx.keys,
      directory: ctx.directory,
      state: ctx.config.state,
      clock: ctx.clock,
      maxMessageBytes: ctx.config.protocol.maxMessageBytes,
      clockSkewSeconds: ctx.config.protocol.clockSkewSeconds,
      maxMessageAgeSeconds: ctx.config.protocol.maxMessageAgeSeconds,
    });
    sender = opened.sender;
    if (options.tlsPartners && !options.tlsPartners.includes(opened.sender)) {
      throw new TnxError('sender_mismatch', 'the client certificate belongs to another partner than the signer', {
        pointer: '/iss',
      });
    }
    return await store(ctx, opened, options);
  } catch (err) {
    if (isTnxError(err) && err.status < 500) await refused(ctx, err, sender);
    throw err;
  }
}

async function store(ctx: GatewayContext, opened: Opened, options: ReceiveOptions): Promise<ReceiveResult> {
  const { claims, sender, digest } = opened;
  const msg = claims.tnx;
  if (msg.type === 'FollowUpReport') await checkFollowUpReference(ctx, msg.notificationId, sender);

  const now = ctx.clock.now();
  const receiptJws = await signReceipt(
    { messageId: claims.jti, digest, receivedAt: isoTime(now), sender },
    { keys: ctx.keys, state: ctx.config.state, clock: ctx.clock },
  );
  const base = { actor: sender, at: now, messageId: messageIdOf(msg), partner: sender };
  // The stored message and its reception events commit together (store port AuditWith).
  const { record, created } = await ctx.store.inbound.insertOnce(
    {
      id: uuid7(),
      iss: sender,
      jti: claims.jti,
      messageType: msg.type,
      notificationId: msg.notificationId,
      message: msg,
      digest,
      receivedAt: now,
      receiptJws,
      departureAt: departureOf(msg),
    },
    (r) => receivedEvents(r, msg, base, claims.jti),
  );

  if (!created) {
    if (record.digest !== digest) {
      // Same jti, other bytes: not a retransmission but a reuse of a message id. Answering with the
      // first receipt would confirm bytes we never received.
      throw new TnxError('conflict', 'this message id (jti) was already received with another envelope');
    }
    await ctx.events.publish({
      ...base,
      action: 'message.duplicate',
      outcome: 'duplicate',
      detail: { inboundId: record.id, jti: claims.jti, messageType: msg.type },
    });
    ctx.metrics.inbound.inc({ iss: sender, outcome: 'duplicate' });
    return { receiptJws: record.receiptJws, duplicate: true, record };
  }

  ctx.metrics.inbound.inc({ iss: sender, outcome: 'accepted' });
  options.onReceived?.(record);
  return { receiptJws, duplicate: false, record };
}

/** A follow-up must be about a notification we sent to the state that now reports on it. */
async function checkFollowUpReference(ctx: GatewayContext, notificationId: string, sender: StateCode): Promise<void> {
  const ours = await ctx.store.outbound.get(notificationId);
  if (!ours || ours.messageType !== 'TravelNotification' || ours.partner !== sender) {
    throw new TnxError('unknown_reference', 'no notification with this id was sent to the reporting state', {
      pointer: '/tnx/notificationId',
    });
  }
}

function departureOf(m: TnxMessage): number | null {
  if (m.type === 'TravelNotification') return Date.parse(m.travel.departureAt);
  if (m.type === 'TravelUpdate' && m.travel) return Date.parse(m.travel.departureAt);
  return null;
}

/** Refusals this module audited itself (the sender was known), so the HTTP side does not count them again. */
const audited = new WeakSet<TnxError>();
export function refusalAudited(err: unknown): boolean {
  return err instanceof TnxError && audited.has(err);
}

/**
 * Refusals of a verified sender are audited one by one, by code and sender, never with content. A
 * refusal before the envelope opened names nobody: anyone can send it, so it is only counted (the HTTP
 * error handler aggregates it into `request.refused`), or every garbage POST would be a permanent row.
 */
async function refused(ctx: GatewayContext, err: TnxError, sender: StateCode | null): Promise<void> {
  ctx.metrics.inbound.inc({ iss: sender ?? 'unknown', outcome: err.code });
  if (sender === null) return;
  try {
    await ctx.events.publish({
      action: 'message.refused',
      actor: sender,
      at: ctx.clock.now(),
      messageId: null,
      partner: sender,
      outcome: err.code,
      detail: { status: err.status },
    });
    audited.add(err);
  } catch (auditErr) {
    ctx.log.error({ err: auditErr, code: err.code }, 'could not audit an inbox refusal');
  }
}

/** The audit events of a newly stored inbound message. */
function receivedEvents(
  record: InboundRecord,
  msg: InboundRecord['message'],
  base: Pick<DomainEvent, 'actor' | 'at' | 'messageId' | 'partner'>,
  jti: string,
): DomainEvent[] {
  const detail = { inboundId: record.id, jti, messageType: msg.type, notificationId: msg.notificationId };
  const events: DomainEvent[] = [{ ...base, action: 'message.received', outcome: 'accepted', detail }];
  if (msg.type === 'TravelNotification') {
    // LED 2016/680 Art 25(1): receiving a notification is a collection of personal data.
    events.push({
      ...base,
      action: 'personal_data.created',
      outcome: 'stored',
      detail: { inboundId: record.id, messageType: msg.type },
    });
  } else if (msg.type === 'TravelUpdate') {
    events.push({ ...base, action: 'update.received', outcome: msg.action, detail });
  } else if (msg.type === 'FollowUpReport') {
    // Recorded against our own notification: its id is the messageId a query by notification finds.
    events.push({
      ...base,
      messageId: msg.notificationId,
      action: 'followup.received',
      outcome: msg.action,
      detail: { inboundId: record.id, followUpId: msg.followUpId },
    });
  }
  return events;
}
