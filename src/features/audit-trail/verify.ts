/**
 * Verify the whole audit trail in the store: stream every event in seq order in fixed-size batches
 * (memory stays flat however long the trail), recompute every hash (src/domain/audit/chain.ts), check the
 * sequence is gapless from 1, and check every checkpoint's signature against the public JWKS and its
 * headHash against the chain at its seq. Stops at the first problem: after it, everything downstream
 * disagrees anyway, and the first bad event is what an investigator needs.
 */
import type { JSONWebKeySet } from 'jose';
import type { AuditCheckpoint, AuditRepo } from '../../ports/store/index.js';
import { GENESIS_HASH } from '../../domain/audit/chain.js';
import { checkCheckpoint } from './checkpoint.js';
import { verifySegment } from './verify-segment.js';
import type { BadEntry } from './walker.js';

export type { BadEntry, Problem } from './walker.js';

export interface VerifyResult {
  ok: boolean;
  /** Events whose hash was recomputed and found right. */
  events: number;
  /** Checkpoints whose signature and headHash were found right. */
  checkpoints: number;
  /** Events after the last good checkpoint: intact as far as the chain shows, but not yet signed. */
  unsealed: number;
  firstBad?: BadEntry;
}

export interface VerifyOptions {
  /** Events read per store round trip. */
  batchSize?: number;
}

/** Checkpoint checks, indexed by seq: problems first, so a bad one wins over a good one at the same seq. */
export async function indexCheckpoints(
  cps: readonly AuditCheckpoint[],
  jwks: JSONWebKeySet,
): Promise<Map<number, { headHash: string; problem?: BadEntry['problem'] }[]>> {
  const bySeq = new Map<number, { headHash: string; problem?: BadEntry['problem'] }[]>();
  for (const cp of cps) {
    const check = await checkCheckpoint(cp, jwks);
    const entry = check.ok ? { headHash: cp.headHash } : { headHash: cp.headHash, problem: check.problem };
    const list = bySeq.get(cp.seq) ?? [];
    if (entry.problem) list.unshift(entry);
    else list.push(entry);
    bySeq.set(cp.seq, list);
  }
  return bySeq;
}

export async function verifyTrail(
  audit: AuditRepo,
  jwks: JSONWebKeySet,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const checkpoints = await indexCheckpoints(await audit.listCheckpoints(), jwks);
  const seg = await verifySegment(audit, {
    fromSeq: 1,
    toSeq: null,
    anchor: GENESIS_HASH,
    checkpoints: [...checkpoints],
    batchSize: options.batchSize ?? 5000,
    checkBeforeStart: true,
  });
  return toResult(seg.events, seg.checkpoints, seg.lastSeq, seg.sealedUpTo, seg.firstBad);
}

export function toResult(
  events: number,
  checkpoints: number,
  lastSeq: number,
  sealedUpTo: number,
  firstBad?: BadEntry,
): VerifyResult {
  const base = { ok: !firstBad, events, checkpoints, unsealed: events === 0 ? 0 : lastSeq - sealedUpTo };
  return firstBad ? { ...base, firstBad } : base;
}
