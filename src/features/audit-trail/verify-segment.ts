/**
 * Walk one contiguous segment of the trail in the store, in batches. A whole-trail verification is
 * one segment from seq 1 anchored at the genesis hash (./verify.ts); a parallel verification splits
 * the trail into segments walked by worker threads and checks that they link up (./verify-parallel.ts).
 * Everything here is plain data in and out, so it crosses a worker boundary unchanged.
 */
import type { AuditEvent, AuditRepo } from '../../ports/store/index.js';
import { ChainWalker, type BadEntry } from './walker.js';

export interface SegmentSpec {
  fromSeq: number;
  /** Inclusive end; null = to the end of the trail, whatever it is when the walk gets there. */
  toSeq: number | null;
  /** prevHash the first event must carry; null = check the link outside (parallel segments). */
  anchor: string | null;
  /** Checkpoint checks for seqs in this segment (from indexCheckpoints), as entries to survive postMessage. */
  checkpoints: [number, { headHash: string; problem?: BadEntry['problem'] }[]][];
  batchSize: number;
  /** Refuse checkpoints before fromSeq (only meaningful for the segment that starts at 1). */
  checkBeforeStart: boolean;
}

export interface SegmentResult {
  ok: boolean;
  events: number;
  checkpoints: number;
  firstBad?: BadEntry;
  /** The first event seen: where the link to the previous segment is checked. */
  first: { seq: number; id: string; prevHash: string } | null;
  lastSeq: number;
  lastHash: string | null;
  sealedUpTo: number;
}

export async function verifySegment(audit: AuditRepo, spec: SegmentSpec): Promise<SegmentResult> {
  const walker = new ChainWalker(new Map(spec.checkpoints), {
    anchor: spec.anchor,
    firstSeq: spec.fromSeq,
  });
  const end = spec.toSeq ?? Number.MAX_SAFE_INTEGER;
  let first: SegmentResult['first'] = null;
  while (walker.expectedSeq <= end) {
    let batch: AuditEvent[];
    try {
      batch = await audit.range(walker.expectedSeq, end, spec.batchSize);
    } catch {
      // A row the adapter cannot decode (an edited JSON column): find it by reading one at a time.
      batch = await readOne(audit, walker.expectedSeq, end);
      if (batch.length === 0) {
        walker.fail({ seq: walker.expectedSeq, id: null, problem: 'event unreadable (event altered)' });
        break;
      }
    }
    if (batch.length === 0) break;
    if (!first && batch[0]) first = { seq: batch[0].seq, id: batch[0].id, prevHash: batch[0].prevHash };
    for (const e of batch) if (!walker.step(e)) break;
    if (walker.firstBad) break;
    // A turn of the event loop between batches: the SQLite adapter answers synchronously, so without
    // it a serving gateway's periodic or console verification would hold every request for the walk.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  walker.finish({ checkBeforeStart: spec.checkBeforeStart });
  const r = walker.result();
  return {
    ok: r.ok,
    events: r.events,
    checkpoints: r.checkpoints,
    ...(r.firstBad ? { firstBad: r.firstBad } : {}),
    first,
    lastSeq: walker.lastSeq,
    lastHash: walker.lastHash,
    sealedUpTo: walker.sealedUpTo,
  };
}

async function readOne(audit: AuditRepo, seq: number, end: number): Promise<AuditEvent[]> {
  try {
    return await audit.range(seq, end, 1);
  } catch {
    return [];
  }
}
