/**
 * Verify a SQLite trail on several cores. A hash chain is sequential to *build*, but not to *check*:
 * every stored event carries its prevHash, so the trail splits into segments that are walked
 * independently — each in its own worker thread with its own read connection — and then must link:
 * the first prevHash of each segment must equal the last hash of the one before. The result is the
 * same as ./verify.ts gives (same first bad seq, same problem, same counts); only the wall time
 * differs. Recomputing SHA-256 over a million canonical events costs seconds of CPU, and an
 * investigator waiting on `tnx audit verify` has idle cores.
 *
 * The main thread walks the first segment itself, so N segments cost N − 1 workers.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { JSONWebKeySet } from 'jose';
import { openSqliteStore } from '../../adapters/store-sqlite/open-sqlite-store.js';
import { GENESIS_HASH } from '../../domain/audit/chain.js';
import { verifySegment, type SegmentResult, type SegmentSpec } from '../../features/audit-trail/verify-segment.js';
import { indexCheckpoints, toResult, verifyTrail, type VerifyResult } from '../../features/audit-trail/verify.js';

export interface ParallelVerifyOptions {
  sqlitePath: string;
  jwks: JSONWebKeySet;
  /** Segments walked at once (main thread included); default: idle cores (idleCores()). */
  parallelism?: number;
  /** Below this many events per segment a worker costs more than it saves. */
  minEventsPerSegment?: number;
  batchSize?: number;
}

// Compiled (dist/), the worker runs the segment walker's own JavaScript; from the TypeScript sources
// (tests, development) it goes through ./verify-worker.mjs, which registers tsx in the worker first.
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./verify-worker.mjs', import.meta.url)
  : new URL('./verify-segment-worker.js', import.meta.url);

export async function verifySqliteTrail(options: ParallelVerifyOptions): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 10_000;
  const store = await openSqliteStore({ path: options.sqlitePath });
  try {
    // Checkpoints first, then the head: every checkpoint read then covers a seq ≤ head unless events
    // were removed, and events appended meanwhile are walked by the last (open-ended) segment.
    const index = await indexCheckpoints(await store.audit.listCheckpoints(), options.jwks);
    const n = (await store.audit.head())?.seq ?? 0;
    const wanted = options.parallelism ?? idleCores();
    const segments = Math.max(1, Math.min(wanted, Math.floor(n / (options.minEventsPerSegment ?? 100_000))));
    if (segments === 1) return await verifyTrail(store.audit, options.jwks, { batchSize });

    const size = Math.ceil(n / segments);
    const specs: SegmentSpec[] = Array.from({ length: segments }, (_, k) => {
      const fromSeq = 1 + k * size;
      const last = k === segments - 1;
      const toSeq = last ? null : Math.min(n, fromSeq + size - 1);
      const inSegment = (seq: number) => (k === 0 || seq >= fromSeq) && (toSeq === null || seq <= toSeq);
      return {
        fromSeq,
        toSeq,
        anchor: k === 0 ? GENESIS_HASH : null,
        checkpoints: [...index].filter(([seq]) => inSegment(seq)),
        batchSize,
        checkBeforeStart: k === 0,
      };
    });
    let results: SegmentResult[];
    try {
      results = await Promise.all(
        specs.map((spec, k) => (k === 0 ? verifySegment(store.audit, spec) : inWorker(options.sqlitePath, spec))),
      );
    } catch {
      // A worker that could not run (threads unavailable, a loader problem) says nothing about the
      // trail: fall back to one walk rather than report an infrastructure failure as a verdict.
      return await verifyTrail(store.audit, options.jwks, { batchSize });
    }
    return combine(specs, results);
  } finally {
    await store.close();
  }
}

/**
 * Cores nobody else is using (at most 8): on a busy machine extra segments only add worker start-up
 * (BENCHMARKS.md, store section), so the walk stays in one thread there.
 */
export function idleCores(): number {
  const cores = availableParallelism();
  return Math.max(1, Math.min(8, cores - Math.floor(loadavg()[0] ?? 0)));
}

/** Join segment results in chain order; the first problem in seq order wins, as in a sequential walk. */
export function combine(specs: readonly SegmentSpec[], results: readonly SegmentResult[]): VerifyResult {
  let events = 0;
  let checkpoints = 0;
  let sealed = 0;
  let prev: SegmentResult | null = null;
  for (const [k, r] of results.entries()) {
    const spec = specs[k]!;
    // The link is this segment's first prevHash check, so it precedes the segment's own findings.
    if (prev && r.first && r.first.seq === spec.fromSeq && r.first.prevHash !== prev.lastHash) {
      return toResult(events, checkpoints, prev.lastSeq, sealed, {
        seq: r.first.seq,
        id: r.first.id,
        problem: 'prevHash mismatch (events reordered or inserted)',
      });
    }
    events += r.events;
    checkpoints += r.checkpoints;
    sealed = Math.max(sealed, r.sealedUpTo);
    if (r.firstBad) return toResult(events, checkpoints, r.lastSeq, sealed, r.firstBad);
    if (spec.toSeq !== null && r.lastSeq !== spec.toSeq) {
      // The segment ran out before its end although later events exist: rows were removed. Name the
      // event found in the missing one's place, as a single walk would.
      const next = results.slice(k + 1).find((x) => x.first)?.first ?? null;
      return toResult(events, checkpoints, r.lastSeq, sealed, {
        seq: r.lastSeq + 1,
        id: next?.id ?? null,
        problem: 'sequence gap (event removed)',
      });
    }
    prev = r;
  }
  return toResult(events, checkpoints, prev?.lastSeq ?? 0, sealed);
}

function inWorker(path: string, spec: SegmentSpec): Promise<SegmentResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { path, spec } });
    let result: SegmentResult | undefined;
    worker.once('message', (m: SegmentResult) => (result = m));
    // Errors cross the thread boundary as plain objects; wrap them so callers get an Error.
    worker.once('error', (err: unknown) =>
      reject(err instanceof Error ? err : new Error('verify worker failed', { cause: err })),
    );
    worker.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`verify worker exited with code ${code} without a result`)),
    );
  });
}
