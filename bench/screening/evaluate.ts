/**
 * One benchmark run: screen generated manifests against a built index and measure recall, precision
 * (overall and per variant kind), blocking's pairs completeness (share of true passenger–registrant
 * pairs that blocking puts together at all) and time per manifest. Keeps the worst false candidates
 * and misses, explained feature by feature, for tuning.
 */
import { performance } from 'node:perf_hooks';
import type { CandidateIndex } from '../../src/domain/screening/candidate-index.js';
import { resolveWeights, type ScreeningWeights } from '../../src/domain/screening/config.js';
import type { Manifest, ManifestPassenger } from '../../src/domain/screening/manifest.js';
import { passengerQuery, screenManifest, type ScreeningResult } from '../../src/domain/screening/screen.js';
import { scoreMatch, type FeatureContribution } from '../../src/domain/screening/score.js';
import type { Generator, Row } from './generators.js';

const PASSENGERS = 400;
const ON_BOARD = 20;
const HARD = 40;

interface KindStats {
  total: number;
  /** Rows of this kind that are a registrant (all or none). */
  registrants: number;
  found: number;
  blocked: number;
  fp: number;
}

export interface Evaluation {
  generator: string;
  size: number;
  manifests: number;
  recall: number;
  precision: number;
  tp: number;
  fp: number;
  onBoard: number;
  found: number;
  pairsCompleteness: number;
  wallMs: { p50: number; p99: number; max: number };
  cpuMs: { p50: number; p99: number };
  candidatesPerPassenger: number;
  scoredPerPassenger: number;
  byKind: Map<string, KindStats>;
  atThreshold: Array<{ threshold: number; recall: number; precision: number; fp: number }>;
  worstFalse: string[];
  worstMisses: string[];
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

const explain = (f: readonly FeatureContribution[]): string => f.map((x) => `${x.feature}:${x.contribution}`).join(' ');

const describe = (p: ManifestPassenger): string =>
  `${p.familyName}/${p.givenNames.join(' ')} ${p.dateOfBirth ?? '-'} ${p.nationality ?? '-'}${p.documents.length ? ' doc' : ''}`;

function manifestOf(rows: Row[], m: number): Manifest {
  return {
    flight: {
      carrier: 'TX',
      flightNumber: `TX${1000 + m}`,
      departureAirport: 'AAA',
      arrivalAirport: 'BBB',
      scheduledDeparture: null,
      scheduledArrival: null,
    },
    passengers: rows.map((x) => x.p),
  };
}

export function evaluate(
  g: Generator,
  index: CandidateIndex,
  size: number,
  manifests: number,
  withDocuments: boolean,
  thresholds: number[],
  show: number,
  weights: ScreeningWeights,
): Evaluation {
  const runs = Array.from({ length: manifests }, (_, m) =>
    g.manifest(m, size, withDocuments, ON_BOARD, HARD, PASSENGERS),
  );
  for (const rows of runs.slice(0, 3)) screenManifest(manifestOf(rows, 0), index, weights); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  const results: ScreeningResult[] = [];
  runs.forEach((rows, m) => {
    const manifest = manifestOf(rows, m);
    const s = performance.now();
    const c0 = process.cpuUsage();
    results.push(screenManifest(manifest, index, weights));
    const c1 = process.cpuUsage(c0);
    wall.push(performance.now() - s);
    cpu.push((c1.user + c1.system) / 1000);
  });
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);

  let tp = 0;
  let fp = 0;
  let found = 0;
  let onBoard = 0;
  let blocked = 0;
  let candidates = 0;
  let scored = 0;
  const byKind = new Map<string, KindStats>();
  const falses: Array<{ score: number; text: string }> = [];
  const misses: Array<{ score: number; text: string }> = [];
  runs.forEach((rows, m) => {
    const result = results[m]!;
    candidates += result.stats.candidates;
    scored += result.stats.scored;
    result.passengers.forEach((ps, k) => {
      const { p, t } = rows[k]!;
      const st = byKind.get(t.kind) ?? { total: 0, registrants: 0, found: 0, blocked: 0, fp: 0 };
      byKind.set(t.kind, st);
      st.total++;
      for (const c of ps.candidates) {
        if (c.registrantId === t.registrantId) tp++;
        else {
          fp++;
          st.fp++;
          const r = index.subject(index.slotOf(c.registrantId)!);
          falses.push({
            score: c.score,
            text: `${t.kind}: ${describe(p)} → ${c.registrantId} ${r.names.map((n) => n.join(' ')).join(' | ')} ${r.dateOfBirth} ${c.score} ${explain(c.features)}`,
          });
        }
      }
      if (t.registrantId === null) return;
      onBoard++;
      st.registrants++;
      const slot = index.slotOf(t.registrantId)!;
      const q = passengerQuery(p);
      const isCandidate = index.candidates(q).slots.includes(slot);
      if (isCandidate) {
        blocked++;
        st.blocked++;
      }
      if (ps.candidates.some((c) => c.registrantId === t.registrantId)) {
        found++;
        st.found++;
      } else {
        const s = scoreMatch(q, index.subject(slot), weights, index.rarity);
        const r = index.subject(slot);
        misses.push({
          score: isCandidate ? s.score : -1,
          text: `${t.kind}: ${describe(p)} vs ${r.names.map((n) => n.join(' ')).join(' | ')} ${r.dateOfBirth} — ${isCandidate ? 'compared' : 'NOT A CANDIDATE'}, score ${s.score} ${explain(s.features)}`,
        });
      }
    });
  });

  const atThreshold = thresholds.map((threshold) => {
    const w = resolveWeights({ ...weights, threshold });
    let tpT = 0;
    let fpT = 0;
    let foundT = 0;
    runs.forEach((rows, m) => {
      const result = screenManifest(manifestOf(rows, m), index, w);
      result.passengers.forEach((ps, k) => {
        const t = rows[k]!.t;
        for (const c of ps.candidates)
          if (c.registrantId === t.registrantId) tpT++;
          else fpT++;
        if (t.registrantId !== null && ps.candidates.some((c) => c.registrantId === t.registrantId)) foundT++;
      });
    });
    return { threshold, recall: foundT / onBoard, precision: tpT / Math.max(1, tpT + fpT), fp: fpT };
  });

  const n = manifests * PASSENGERS;
  return {
    generator: g.name,
    size,
    manifests,
    recall: found / onBoard,
    precision: tp / Math.max(1, tp + fp),
    tp,
    fp,
    onBoard,
    found,
    pairsCompleteness: blocked / onBoard,
    wallMs: { p50: quantile(wall, 0.5), p99: quantile(wall, 0.99), max: wall[wall.length - 1]! },
    cpuMs: { p50: quantile(cpu, 0.5), p99: quantile(cpu, 0.99) },
    candidatesPerPassenger: candidates / n,
    scoredPerPassenger: scored / n,
    byKind,
    atThreshold,
    worstFalse: falses
      .sort((a, b) => b.score - a.score)
      .slice(0, show)
      .map((x) => x.text),
    worstMisses: misses
      .sort((a, b) => a.score - b.score)
      .slice(0, show)
      .map((x) => x.text),
  };
}

export function printEvaluation(e: Evaluation, withDocuments: boolean): void {
  const f = (x: number, d = 4): string => x.toFixed(d);
  console.log(`--- ${withDocuments ? 'with documents the registry has seen' : 'without known documents'}`);
  console.log(
    `recall ${f(e.recall)} (${e.found}/${e.onBoard})  precision ${f(e.precision)} (${e.tp} true / ${e.fp} false)  pairs completeness ${f(e.pairsCompleteness)}`,
  );
  console.log(
    `time per manifest: wall p50 ${f(e.wallMs.p50, 1)} ms p99 ${f(e.wallMs.p99, 1)} ms max ${f(e.wallMs.max, 1)} ms; CPU p50 ${f(e.cpuMs.p50, 1)} ms p99 ${f(e.cpuMs.p99, 1)} ms; per passenger ${f(e.candidatesPerPassenger, 1)} candidates, ${f(e.scoredPerPassenger, 2)} scored`,
  );
  for (const t of e.atThreshold)
    console.log(`  at threshold ${t.threshold}: recall ${f(t.recall)} precision ${f(t.precision)} (${t.fp} false)`);
  console.log('  kind                               n  recall blocked false');
  for (const [kind, s] of [...e.byKind].sort()) {
    const isTrue = s.registrants > 0;
    console.log(
      `  ${kind.padEnd(34)} ${String(s.total).padStart(5)}  ${isTrue ? f(s.found / s.total, 3) : '  -  '}  ${isTrue ? f(s.blocked / s.total, 3) : '  -  '}  ${s.fp}`,
    );
  }
  for (const x of e.worstFalse) console.log('  false:', x);
  for (const x of e.worstMisses) console.log('  miss: ', x);
}
