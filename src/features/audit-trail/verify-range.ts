/**
 * Verify a range of the audit trail now (the console's "verify this range" form): the chain from
 * `fromSeq` to `toSeq`, anchored at the hash of the event before it (or genesis), with the signed
 * checkpoints that fall inside. The state of the trail beside it: its head and its last signed
 * checkpoint, and its last verification. The verification itself is recorded (`audit.verified`, with
 * the range and the result): the latest such event is the "last verification" shown, so a result
 * stands in the trail it speaks about, chained and signed like any other event.
 */
import { GENESIS_HASH } from '../../domain/audit/chain.js';
import type { Principal } from '../../core/principal.js';
import type { GatewayContext } from '../../ports/context.js';
import { TnxError } from '../../core/errors.js';
import { auditJwksFromFile } from './audit-jwks.js';
import { indexCheckpoints, toResult, type VerifyResult } from './verify.js';
import { verifySegment } from './verify-segment.js';

/** Events verified in one request at most: a bigger range is the CLI's job (`tnx audit verify`). */
export const MAX_RANGE = 200_000;

export interface LastVerification {
  at: number;
  actor: string;
  ok: boolean;
  fromSeq: number | null;
  toSeq: number | null;
  events: number | null;
}

export interface TrailState {
  head: { seq: number; hash: string } | null;
  lastCheckpoint: { seq: number; at: number; headHash: string } | null;
  lastVerification: LastVerification | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

export async function trailState(ctx: GatewayContext): Promise<TrailState> {
  const [head, cps, verified] = await Promise.all([
    ctx.store.audit.head(),
    ctx.store.audit.listCheckpoints(),
    // Newest first off the (action, at, seq) index: one row, whatever the trail's size.
    ctx.store.audit.query({ action: 'audit.verified' }, { limit: 1 }),
  ]);
  const last = cps.reduce<(typeof cps)[number] | null>((a, c) => (a === null || c.seq > a.seq ? c : a), null);
  const v = verified.items[0];
  return {
    head,
    lastCheckpoint: last ? { seq: last.seq, at: last.at, headHash: last.headHash } : null,
    lastVerification: v
      ? {
          at: v.at,
          actor: v.actor,
          ok: v.outcome === 'ok',
          fromSeq: num(v.detail?.fromSeq),
          toSeq: num(v.detail?.toSeq),
          events: num(v.detail?.events),
        }
      : null,
  };
}

export async function verifyRange(
  ctx: GatewayContext,
  principal: Principal,
  fromSeq: number,
  toSeq: number,
): Promise<VerifyResult> {
  if (!(Number.isSafeInteger(fromSeq) && Number.isSafeInteger(toSeq) && fromSeq >= 1 && toSeq >= fromSeq))
    throw new TnxError('invalid_request', 'give a range of sequence numbers: from ≥ 1 and to ≥ from', {
      pointer: 'form/fromSeq',
    });
  if (toSeq - fromSeq + 1 > MAX_RANGE)
    throw new TnxError('invalid_request', `at most ${MAX_RANGE} events per verification here; use tnx audit verify`, {
      pointer: 'form/toSeq',
    });
  const before = fromSeq === 1 ? null : ((await ctx.store.audit.range(fromSeq - 1, fromSeq - 1, 1))[0] ?? null);
  const anchor = fromSeq === 1 ? GENESIS_HASH : (before?.hash ?? null);
  const all = await indexCheckpoints(
    await ctx.store.audit.listCheckpoints(),
    auditJwksFromFile(ctx.config.keys.privateJwksPath),
  );
  const seg = await verifySegment(ctx.store.audit, {
    fromSeq,
    toSeq,
    anchor,
    checkpoints: [...all].filter(([seq]) => seq >= fromSeq && seq <= toSeq),
    batchSize: 5000,
    checkBeforeStart: false,
  });
  const result = toResult(seg.events, seg.checkpoints, seg.lastSeq, seg.sealedUpTo, seg.firstBad);
  await ctx.events.publish({
    action: 'audit.verified',
    actor: principal.id,
    at: ctx.clock.now(),
    messageId: null,
    partner: null,
    outcome: result.ok ? 'ok' : 'failed',
    detail: { fromSeq, toSeq, events: result.events, checkpoints: result.checkpoints },
  });
  return result;
}
