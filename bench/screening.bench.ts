/**
 * Screening benchmark: recall, precision, blocking's pairs completeness and time per manifest, for
 * two independent synthetic populations (bench/screening/generators.ts) at several registry sizes,
 * with and without passenger documents the registry has seen.
 *
 *   npm run bench:screening
 *   BENCH_GENERATORS=B BENCH_SIZES=20000,200000 BENCH_MANIFESTS=50 npm run bench:screening
 *
 * Environment: BENCH_GENERATORS (A,B), BENCH_SIZES (20000,200000,1000000), BENCH_MANIFESTS (100),
 * BENCH_SHOW (20 worst false candidates and misses per run; 0 to hide), BENCH_THRESHOLDS (extra
 * thresholds to report recall/precision at, e.g. 0.6,0.65 — used to choose the default), BENCH_WEIGHTS
 * (JSON, any subset of screening.weights laid over the defaults — e.g. the weights before a change:
 * '{"document":{"expiresBeforeKnown":-0.05,"expiresAfterKnown":-0.05}}').
 * Ground truth stays in the bench: the matcher sees only the registry and the manifest.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CandidateIndex } from '../src/domain/screening/candidate-index.js';
import { resolveWeights, type ScreeningWeightsInput } from '../src/domain/screening/config.js';
import { GENERATORS, type Generator } from './screening/generators.js';
import { evaluate, printEvaluation } from './screening/evaluate.js';

const list = (v: string | undefined, d: string): string[] => (v ?? d).split(',').filter((x) => x !== '');
const GENS = list(process.env.BENCH_GENERATORS, 'A,B');
const SIZES = list(process.env.BENCH_SIZES ?? process.env.BENCH_REGISTRY, '20000,200000,1000000').map(Number);
const MANIFESTS = Number(process.env.BENCH_MANIFESTS ?? 100);
const SHOW = Number(process.env.BENCH_SHOW ?? 20);
const THRESHOLDS = list(process.env.BENCH_THRESHOLDS, '').map(Number);
const WEIGHTS_INPUT = JSON.parse(process.env.BENCH_WEIGHTS ?? '{}') as ScreeningWeightsInput;
const WEIGHTS = resolveWeights(WEIGHTS_INPUT);

function memory(): { heapMB: number; externalMB: number; rssMB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (x: number): number => Math.round(x / 1048576);
  return { heapMB: mb(m.heapUsed), externalMB: mb(m.external), rssMB: mb(m.rss) };
}

function build(g: Generator, size: number): { index: CandidateIndex; buildMs: number; memMB: string } {
  const before = memory();
  const index = new CandidateIndex();
  const t0 = performance.now();
  for (let i = 0; i < size; i++) for (const r of g.registrant(i)) index.upsert(r);
  const buildMs = performance.now() - t0;
  const after = memory();
  const heap = after.heapMB - before.heapMB;
  const ext = after.externalMB - before.externalMB;
  return {
    index,
    buildMs,
    memMB: `heap +${heap} MB, off-heap +${ext} MB (posting table ${Math.round(index.tableBytes / 1048576)} MB); index total ${heap + ext} MB; RSS ${after.rssMB} MB`,
  };
}

console.log(`screening benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}`);
console.log(`threshold ${WEIGHTS.threshold}; ${MANIFESTS} manifests × 400 passengers per run`);
if (process.env.BENCH_WEIGHTS) console.log(`weights over the defaults: ${JSON.stringify(WEIGHTS_INPUT)}`);
for (const size of SIZES) {
  for (const name of GENS) {
    const g = GENERATORS[name];
    if (!g) throw new Error(`unknown generator ${name}`);
    const { index, buildMs, memMB } = build(g, size);
    console.log(
      `\n=== generator ${name}, registry ${size.toLocaleString('en')} (${index.keyCount.toLocaleString('en')} blocking keys), built in ${(buildMs / 1000).toFixed(1)} s; ${memMB}`,
    );
    for (const withDocuments of [true, false]) {
      const e = evaluate(g, index, size, MANIFESTS, withDocuments, THRESHOLDS, SHOW, WEIGHTS);
      printEvaluation(e, withDocuments);
    }
    console.log(
      `machine: ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} (timings on a shared machine follow the other processes' load)`,
    );
  }
}
