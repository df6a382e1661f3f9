/**
 * Screening benchmark (issue 6 §3): a synthetic registry (default 1,000,000 people; BENCH_REGISTRY to
 * change), manifests of 400 passengers with registrants written in realistic variants, namesakes and
 * strangers; reports recall and precision at the configured threshold, p50/p99 screening time per
 * manifest, index build time and memory.
 *
 *   npm run bench:screening
 *   BENCH_REGISTRY=100000 BENCH_MANIFESTS=20 npm run bench:screening
 *
 * Ground truth stays in this file: the matcher sees only the registry and the manifest.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CandidateIndex } from '../src/domain/screening/candidate-index.js';
import { DEFAULT_WEIGHTS } from '../src/domain/screening/config.js';
import type { Manifest, ManifestPassenger } from '../src/domain/screening/manifest.js';
import { passengerQuery, screenManifest } from '../src/domain/screening/screen.js';
import { scoreMatch } from '../src/domain/screening/score.js';
import { rng, syntheticPerson, toRegistrant, type SyntheticPerson } from '../tests/screening/synthetic/population.js';
import {
  namesake,
  registrantOnBoard,
  stranger,
  VARIANT_KINDS,
  type VariantKind,
} from '../tests/screening/synthetic/variants.js';

const REGISTRY = Number(process.env.BENCH_REGISTRY ?? 1_000_000);
const MANIFESTS = Number(process.env.BENCH_MANIFESTS ?? 50);
const PASSENGERS = 400;
const REGISTRANTS_ON_BOARD = 20;
const NAMESAKES = 40;
const SEED = 20261128;

/** Person i of the registry, regenerated on demand so the bench does not hold a second copy. */
function registryPerson(i: number): SyntheticPerson {
  return syntheticPerson(rng(SEED ^ Math.imul(i + 1, 0x9e3779b1)), `R${i}`);
}

function memory(): { heapMB: number; externalMB: number; rssMB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (x: number): number => Math.round(x / 1048576);
  // `external` includes `arrayBuffers` (the index's typed arrays).
  return { heapMB: mb(m.heapUsed), externalMB: mb(m.external), rssMB: mb(m.rss) };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** For tuning: the registrant alone in an index, and what the matcher makes of the passenger. */
function explainMiss(p: ManifestPassenger, t: Truth): string {
  const i = Number(t.registrantId!.slice(1));
  const r = rng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
  const reg = toRegistrant(syntheticPerson(r, t.registrantId!), r);
  const solo = new CandidateIndex();
  solo.upsert(reg);
  const q = passengerQuery(p);
  const found = solo.candidates(q).slots.length > 0;
  const s = scoreMatch(q, solo.subject(0), DEFAULT_WEIGHTS);
  return `${t.kind}: ${q.tokens.join(' ')} ${p.dateOfBirth} vs ${solo
    .subject(0)
    .names.map((n) => n.join(' '))
    .join(
      ' / ',
    )} ${reg.dateOfBirth} — ${found ? 'candidate' : 'not a candidate'}, score ${s.score} ${s.features.map((f) => `${f.feature}:${f.contribution}`).join(' ')}`;
}

const before = memory();
const index = new CandidateIndex();
const t0 = performance.now();
for (let i = 0; i < REGISTRY; i++) {
  const r = rng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
  const p = syntheticPerson(r, `R${i}`);
  index.upsert(toRegistrant(p, r));
  if (i > 0 && i % 200_000 === 0) console.error(`  indexed ${i}`);
}
const buildMs = performance.now() - t0;
const after = memory();

interface Truth {
  registrantId: string | null;
  kind: VariantKind | 'namesake' | 'stranger';
}
const r = rng(SEED + 1);
const manifests: Array<{ manifest: Manifest; truth: Truth[] }> = [];
for (let m = 0; m < MANIFESTS; m++) {
  const rows: Array<{ p: ManifestPassenger; t: Truth }> = [];
  for (let k = 0; k < REGISTRANTS_ON_BOARD; k++) {
    const i = Math.floor(r() * REGISTRY);
    const kind = VARIANT_KINDS[(m * REGISTRANTS_ON_BOARD + k) % VARIANT_KINDS.length]!;
    const newPassport = syntheticPerson(r, 'new').passport;
    rows.push({ p: registrantOnBoard(registryPerson(i), kind, r, newPassport), t: { registrantId: `R${i}`, kind } });
  }
  for (let k = 0; k < NAMESAKES; k++) {
    const p = registryPerson(Math.floor(r() * REGISTRY));
    rows.push({ p: namesake(p, r, syntheticPerson(r, 'N', p.origin)), t: { registrantId: null, kind: 'namesake' } });
  }
  while (rows.length < PASSENGERS) rows.push({ p: stranger(r, 'S'), t: { registrantId: null, kind: 'stranger' } });
  for (let k = rows.length - 1; k > 0; k--) {
    const j = Math.floor(r() * (k + 1));
    [rows[k], rows[j]] = [rows[j]!, rows[k]!];
  }
  manifests.push({
    manifest: {
      flight: {
        carrier: 'TX',
        flightNumber: `TX${1000 + m}`,
        departureAirport: 'AAA',
        arrivalAirport: 'BBB',
        scheduledDeparture: null,
        scheduledArrival: null,
      },
      passengers: rows.map((x) => x.p),
    },
    truth: rows.map((x) => x.t),
  });
}

for (const { manifest } of manifests.slice(0, 3)) screenManifest(manifest, index); // warm-up (JIT)

const times: number[] = [];
const cpuTimes: number[] = [];
let tp = 0,
  fp = 0,
  found = 0,
  onBoard = 0,
  scored = 0,
  candidates = 0;
const byKind = new Map<string, { total: number; found: number; fp: number }>();
const misses: string[] = [];
const falses: string[] = [];
const SHOW_FALSE = Number(process.env.BENCH_SHOW_FALSE ?? 0);
for (const { manifest, truth } of manifests) {
  const s = performance.now();
  const c0 = process.cpuUsage();
  const result = screenManifest(manifest, index, DEFAULT_WEIGHTS);
  const c1 = process.cpuUsage(c0);
  times.push(performance.now() - s);
  cpuTimes.push((c1.user + c1.system) / 1000);
  scored += result.stats.scored;
  candidates += result.stats.candidates;
  result.passengers.forEach((ps, k) => {
    const t = truth[k]!;
    const stat = byKind.get(t.kind) ?? { total: 0, found: 0, fp: 0 };
    byKind.set(t.kind, stat);
    stat.total++;
    for (const c of ps.candidates) {
      if (c.registrantId === t.registrantId) tp++;
      else {
        fp++;
        stat.fp++;
        if (falses.length < SHOW_FALSE) {
          const p = manifest.passengers[k]!;
          falses.push(
            `${t.kind}: ${p.familyName}/${p.givenNames.join(' ')} ${p.dateOfBirth} → ${c.registrantId} ${c.score} ${c.features.map((f) => `${f.feature}:${f.contribution}`).join(' ')}`,
          );
        }
      }
    }
    if (t.registrantId !== null) {
      onBoard++;
      if (ps.candidates.some((c) => c.registrantId === t.registrantId)) {
        found++;
        stat.found++;
      } else if (misses.length < Number(process.env.BENCH_SHOW_MISSES ?? 0))
        misses.push(explainMiss(manifest.passengers[k]!, t));
    }
  });
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);

const recall = found / onBoard;
const precision = tp / Math.max(1, tp + fp);
const fmt = (x: number, d = 1): string => x.toFixed(d);
console.log(`screening benchmark — ${new Date().toISOString().slice(0, 10)}, node ${process.version}`);
console.log(
  `registry ${REGISTRY.toLocaleString('en')} registrants, ${index.keyCount.toLocaleString('en')} blocking keys`,
);
console.log(
  `manifests ${MANIFESTS} × ${PASSENGERS} passengers (${REGISTRANTS_ON_BOARD} registrants in variants, ${NAMESAKES} namesakes, rest strangers); threshold ${DEFAULT_WEIGHTS.threshold}`,
);
console.log(`recall    ${fmt(recall, 4)} (${found}/${onBoard})`);
console.log(`precision ${fmt(precision, 4)} (${tp} true / ${fp} false candidates)`);
console.log(
  `time per manifest  p50 ${fmt(quantile(times, 0.5))} ms  p99 ${fmt(quantile(times, 0.99))} ms  max ${fmt(times[times.length - 1]!)} ms (wall clock)`,
);
console.log(
  `CPU per manifest   p50 ${fmt(quantile(cpuTimes, 0.5))} ms  p99 ${fmt(quantile(cpuTimes, 0.99))} ms (user+system; less sensitive to other load)`,
);
console.log(
  `machine: ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
console.log(
  `per passenger (mean): ${fmt(candidates / (MANIFESTS * PASSENGERS))} candidates from blocking, ${fmt(scored / (MANIFESTS * PASSENGERS))} names compared`,
);
console.log(
  `index build ${fmt(buildMs / 1000, 1)} s (incl. generating the people); memory after GC: heap +${after.heapMB - before.heapMB} MB, off-heap +${after.externalMB - before.externalMB} MB (posting table ${Math.round(index.tableBytes / 1048576)} MB); index total ${after.heapMB - before.heapMB + after.externalMB - before.externalMB} MB; RSS ${after.rssMB} MB`,
);
console.log('by kind: kind, passengers, recall, false candidates');
for (const [kind, s] of [...byKind].sort()) {
  console.log(
    `  ${kind.padEnd(22)} ${String(s.total).padStart(6)}  ${kind === 'namesake' || kind === 'stranger' ? '   -  ' : fmt(s.found / s.total, 3)}  ${s.fp}`,
  );
}
for (const m of misses) console.log('  miss:', m);
for (const f of falses) console.log('  false:', f);
