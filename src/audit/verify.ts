/**
 * Verify the whole audit trail in the store: stream every event in seq order in fixed-size batches
 * (memory stays flat however long the trail), recompute every hash (src/audit/chain.ts), check the
 * sequence is gapless from 1, and check every checkpoint's signature against the public JWKS and its
 * headHash against the chain at its seq. Stops at the first problem: after it, everything downstream
 * disagrees anyway, and the first bad event is what an investigator needs.
 */
import type { JSONWebKeySet } from 'jose';
import type { AuditCheckpoint, AuditEvent, AuditRepo } from '../store/port.js';
import { GENESIS_HASH } from './chain.js';
import { checkCheckpoint } from './checkpoint.js';
import { ChainWalker, type BadEntry } from './walker.js';

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

export async function verifyTrail(audit: AuditRepo, jwks: JSONWebKeySet, options: VerifyOptions = {}): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 5000;
  const walker = new ChainWalker(await indexCheckpoints(await audit.listCheckpoints(), jwks), { anchor: GENESIS_HASH, firstSeq: 1 });
  for (;;) {
    let batch: AuditEvent[];
    try {
      batch = await audit.range(walker.expectedSeq, Number.MAX_SAFE_INTEGER, batchSize);
    } catch {
      // A row the adapter cannot even decode (edited JSON column): find it by reading one at a time.
      batch = await readOne(audit, walker.expectedSeq);
      if (batch.length === 0) {
        walker.fail({ seq: walker.expectedSeq, id: null, problem: 'event unreadable (event altered)' });
        break;
      }
    }
    if (batch.length === 0) break;
    for (const e of batch) if (!walker.step(e)) break;
    if (walker.firstBad) break;
  }
  walker.finish();
  return walker.result();
}

async function readOne(audit: AuditRepo, seq: number): Promise<AuditEvent[]> {
  try {
    return await audit.range(seq, Number.MAX_SAFE_INTEGER, 1);
  } catch {
    return [];
  }
}
