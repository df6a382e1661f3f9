/**
 * `npm run bench:store` — the audit trail on SQLite (issue 3 §4).
 *
 *   1. append throughput: several appender PROCESSES on one file, each publishing through the
 *      EventBus and the audit subscriber (the gateway's path) in the batch sizes the gateway
 *      produces (1–3 events per step; 5 for a submission), for a fixed time.   target ≥ 5,000 events/s
 *   2. a trail of N events (default 1,000,000) with a checkpoint every 10,000, built in bulk;
 *      `audit verify` over it, in a fresh process so its peak memory is its own.  target ≤ 10 s
 *   3. filtered audit query latency, first page of 100, by messageId / partner / action / time range
 *      and combined, over those N events.                                        target p99 ≤ 50 ms
 *
 * Options: --events N  --appenders P  --concurrency C  --seconds S  --keep (leave the temp folder)
 *          --only query (build the trail and measure 3 only: no append run, no verify)
 * Prints a Markdown block for BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import type { JSONWebKeySet } from 'jose';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { auditJwksOf } from '../src/features/audit-trail/audit-jwks.js';
import { signCheckpoint } from '../src/features/audit-trail/checkpoint.js';
import { attachAuditTrail } from '../src/features/audit-trail/subscriber.js';
import { verifyTrail } from '../src/features/audit-trail/verify.js';
import { verifySqliteTrail } from '../src/runtime/audit-verify/verify-parallel.js';
import { EventBus, type DomainEvent } from '../src/domain/audit/event-bus.js';
import { generateKeySet } from '../src/domain/keys/generate.js';
import type { Jwks } from '../src/domain/keys/jwk.js';
import { KeyRing } from '../src/domain/keys/keyring.js';
import type { AuditFilter } from '../src/ports/store/index.js';
import { openSqliteStore } from '../src/adapters/store-sqlite/open-sqlite-store.js';
import { systemClock } from '../src/core/clock.js';

const SELF = fileURLToPath(import.meta.url);
const PARTNERS = [
  'XAB',
  'XAC',
  'XAD',
  'XAE',
  'XAF',
  'XAG',
  'XAH',
  'XAI',
  'XAJ',
  'XAK',
  'XAL',
  'XAM',
  'XAN',
  'XAO',
  'XAP',
  'XAQ',
  'XAR',
  'XAS',
  'XAT',
  'XAU',
];
const T_START = Date.parse('2026-10-01T00:00:00Z');
const SPAN_MS = 30 * 24 * 3600 * 1000;
const EVENTS_PER_MESSAGE = 6;

/** Deterministic PRNG (mulberry32) so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The six events of one notification's life, as the gateway publishes them. */
function lifecycle(msg: number, at: number, rand: () => number): DomainEvent[][] {
  const messageId = `n-${msg.toString(36).padStart(8, '0')}`;
  const partner = PARTNERS[Math.floor(rand() * PARTNERS.length)]!;
  const base = { messageId, partner };
  return [
    [
      {
        ...base,
        action: 'notification.accepted',
        actor: 'submitter-1',
        at,
        outcome: 'accepted',
        detail: { source: 'manifest_match' },
      },
      { ...base, action: 'notification.sealed', actor: 'system', at, detail: { kid: 'XAA-sig-1' } },
      { ...base, action: 'notification.queued', actor: 'system', at },
    ],
    [
      { ...base, action: 'notification.delivering', actor: 'system', at: at + 50 },
      {
        ...base,
        action: 'delivery.attempt',
        actor: 'system',
        at: at + 80,
        outcome: 'delivered',
        detail: { attempt: 1, httpStatus: 200, durationMs: 30 },
      },
    ],
    [
      {
        ...base,
        action: 'notification.delivered',
        actor: 'system',
        at: at + 81,
        outcome: 'delivered',
        detail: { receiptDigest: 'x'.repeat(43) },
      },
    ],
  ];
}

// ---------------------------------------------------------------------------------------------
// child: one appender process

async function appender(
  path: string,
  startAt: number,
  endAt: number,
  seed: number,
  concurrency: number,
): Promise<void> {
  const store = await openSqliteStore({ path });
  const bus = new EventBus();
  attachAuditTrail(bus, store.audit);
  const lat: number[] = [];
  let events = 0;
  let msg = seed * 10_000_000;
  while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 5));
  const cpu0 = process.cpuUsage();
  // `concurrency` async workers per process, like the delivery workers of one gateway process.
  const worker = async (w: number) => {
    const rand = rng(seed * 1000 + w);
    while (Date.now() < endAt) {
      for (const step of lifecycle(msg++, Date.now(), rand)) {
        const t0 = process.hrtime.bigint();
        await bus.publish(...step);
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        events += step.length;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  const cpuUsPerEvent = round((cpu.user + cpu.system) / Math.max(1, events));
  process.stdout.write(`${JSON.stringify({ events, publishes: lat.length, lat: percentiles(lat), cpuUsPerEvent })}\n`);
}

// child: verify in a clean process, so its peak RSS is the verifier's alone
async function verifier(path: string, jwksJson: string, parallelism: number): Promise<void> {
  const jwks = JSON.parse(jwksJson) as JSONWebKeySet;
  const segments = parallelism === 1 ? 1 : Math.min(8, availableParallelism());
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage(); // the whole process: worker threads included
  const r = await verifySqliteTrail({ sqlitePath: path, jwks, parallelism: segments });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  process.stdout.write(
    `${JSON.stringify({ ...r, ms, cpuMs, segments, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
}

function child(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>)
        : reject(new Error(`child exited ${code}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------

function percentiles(xs: number[]): { p50: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(s[s.length - 1] ?? 0) };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

interface AppendResult {
  appenders: number;
  concurrency: number;
  seconds: number;
  events: number;
  perSecond: number;
  perProcess: { events: number; publishes: number; lat: ReturnType<typeof percentiles>; cpuUsPerEvent: number }[];
  chainIntact: boolean;
}

async function benchAppend(
  dir: string,
  appenders: number,
  concurrency: number,
  seconds: number,
  jwks: Jwks,
): Promise<AppendResult> {
  const path = join(dir, `append-${appenders}x${concurrency}.sqlite`);
  await (await openSqliteStore({ path })).close(); // create + migrate once, before the race
  const startAt = Date.now() + 2500; // every child has loaded and opened by then
  const endAt = startAt + seconds * 1000;
  const perProcess = (await Promise.all(
    Array.from({ length: appenders }, (_, i) =>
      child(['appender', path, String(startAt), String(endAt), String(i + 1), String(concurrency)]),
    ),
  )) as unknown as AppendResult['perProcess'];
  const events = perProcess.reduce((s, r) => s + r.events, 0);
  const store = await openSqliteStore({ path });
  const check = await verifyTrail(store.audit, auditJwksOf(jwks));
  await store.close();
  return {
    appenders,
    concurrency,
    seconds,
    events,
    perSecond: Math.round(events / seconds),
    perProcess,
    chainIntact: check.ok && check.events === events,
  };
}

async function buildTrail(path: string, n: number, keys: KeyRing) {
  const store = await openSqliteStore({ path });
  const rand = rng(42);
  const t0 = Date.now();
  let buf: DomainEvent[] = [];
  let msg = 0;
  let written = 0;
  const stepMs = SPAN_MS / (n / EVENTS_PER_MESSAGE);
  while (written < n) {
    for (const step of lifecycle(msg, Math.round(T_START + msg * stepMs), rand)) buf.push(...step);
    msg += 1;
    if (buf.length >= 10_000 || written + buf.length >= n) {
      const batch = buf.slice(0, Math.min(buf.length, n - written, 10_000));
      buf = buf.slice(batch.length);
      await store.audit.append(batch);
      written += batch.length;
      if (written % 10_000 === 0) {
        const head = (await store.audit.head())!;
        await store.audit.saveCheckpoint(
          await signCheckpoint({ seq: head.seq, headHash: head.hash, at: Date.now(), state: 'XAA' }, keys.signingKey()),
        );
      }
    }
  }
  const ms = Date.now() - t0;
  return { store, ms, messages: msg };
}

function queryKinds(messages: number): Record<string, () => AuditFilter> {
  const rand = rng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const actions = ['notification.accepted', 'delivery.attempt', 'notification.delivered', 'notification.queued'];
  const hour = 3600 * 1000;
  const kinds: Record<string, () => AuditFilter> = {
    messageId: () => ({
      messageId: `n-${Math.floor(rand() * messages)
        .toString(36)
        .padStart(8, '0')}`,
    }),
    partner: () => ({ partner: pick(PARTNERS) }),
    action: () => ({ action: pick(actions) }),
    'time range (1 h)': () => {
      const from = T_START + Math.floor(rand() * (SPAN_MS - hour));
      return { from, to: from + hour };
    },
    'time range (7 d)': () => {
      const from = T_START + Math.floor(rand() * (SPAN_MS - 7 * 24 * hour));
      return { from, to: from + 7 * 24 * hour };
    },
    'partner + action + 1 d': () => {
      const from = T_START + Math.floor(rand() * (SPAN_MS - 24 * hour));
      return { partner: pick(PARTNERS), action: pick(actions), from, to: from + 24 * hour };
    },
    'actor + 7 d': () => {
      const from = T_START + Math.floor(rand() * (SPAN_MS - 7 * 24 * hour));
      return { actor: pick(['system', 'submitter-1']), from, to: from + 7 * 24 * hour };
    },
    'partner + action + 7 d': () => {
      const from = T_START + Math.floor(rand() * (SPAN_MS - 7 * 24 * hour));
      return { partner: pick(PARTNERS), action: pick(actions), from, to: from + 7 * 24 * hour };
    },
    'all six filters, 7 d': () => {
      const from = T_START + Math.floor(rand() * (SPAN_MS - 7 * 24 * hour));
      const messageId = `n-${Math.floor(rand() * messages)
        .toString(36)
        .padStart(8, '0')}`;
      return {
        messageId,
        partner: pick(PARTNERS),
        action: pick(actions),
        actor: 'system',
        from,
        to: from + 7 * 24 * hour,
      };
    },
  };
  return kinds;
}

async function benchQueries(store: Awaited<ReturnType<typeof openSqliteStore>>, messages: number) {
  const kinds = queryKinds(messages);
  const out: Record<string, { p50: number; p99: number; max: number; avgItems: number }> = {};
  const all: number[] = [];
  for (const [name, make] of Object.entries(kinds)) {
    for (let i = 0; i < 20; i++) await store.audit.query(make(), { limit: 100 }); // warm the page cache
    const lat: number[] = [];
    let items = 0;
    for (let i = 0; i < 300; i++) {
      const filter = make();
      const t0 = process.hrtime.bigint();
      const page = await store.audit.query(filter, { limit: 100 });
      lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      items += page.items.length;
    }
    all.push(...lat);
    out[name] = { ...percentiles(lat), avgItems: Math.round(items / 300) };
  }
  // A later page: the 20th page of 100 of a 7-day range, following the cursors; only the 20th
  // request is timed. The cursor must bound the index scan, or each page re-reads those before it.
  const week = kinds['time range (7 d)']!;
  const deep: number[] = [];
  for (let i = 0; i < 60; i++) {
    const filter = week();
    let cursor: string | null = null;
    for (let p = 1; p < 20; p++) cursor = (await store.audit.query(filter, { limit: 100, cursor })).next;
    const t0 = process.hrtime.bigint();
    await store.audit.query(filter, { limit: 100, cursor });
    deep.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { byFilter: out, overall: percentiles(all), page20: percentiles(deep) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      appenders: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '5' },
      keep: { type: 'boolean' },
      only: { type: 'string' },
    },
  });
  if (values.only !== undefined && values.only !== 'query') throw new Error('--only takes "query"');
  const onlyQuery = values.only === 'query';
  const n = Number(values.events);
  const appenders = Number(values.appenders);
  const seconds = Number(values.seconds);
  const dir = mkdtempSync(join(tmpdir(), 'tnx-bench-store-'));
  const privateJwks = await generateKeySet('XAA', systemClock);
  const keys = await KeyRing.fromJwks(privateJwks);
  const jwks = auditJwksOf(privateJwks);
  try {
    const append: AppendResult[] = [];
    for (const concurrency of onlyQuery ? [] : [1, Number(values.concurrency)]) {
      console.error(`append: ${appenders} processes × ${concurrency} publishers × ${seconds} s …`);
      append.push(await benchAppend(dir, appenders, concurrency, seconds, privateJwks));
      console.error(`append: ${append.at(-1)!.perSecond} events/s`);
    }

    console.error(`building a trail of ${n} events …`);
    const path = join(dir, 'trail.sqlite');
    const built = await buildTrail(path, n, keys);
    console.error(`built in ${built.ms} ms${onlyQuery ? '' : '; verifying …'}`);
    const verifySequential = onlyQuery
      ? null
      : ((await child(['verify', path, JSON.stringify(jwks), '1'])) as unknown as VerifyFigures);
    const verifyParallel = onlyQuery
      ? null
      : ((await child(['verify', path, JSON.stringify(jwks), '0'])) as unknown as VerifyFigures);
    if (verifySequential && verifyParallel)
      console.error(
        `verify: ${Math.round(verifySequential.ms)} ms sequential, ${Math.round(verifyParallel.ms)} ms parallel`,
      );
    console.error('queries …');
    const queries = await benchQueries(built.store, built.messages);
    await built.store.close();

    const report: Report = {
      date: new Date().toISOString(),
      machine: `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} vCPU, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`,
      append,
      bulkBuild: { events: n, ms: built.ms, perSecond: Math.round(n / (built.ms / 1000)) },
      verifySequential,
      verifyParallel,
      queries,
      load: loadavg().map((x) => round(x, 1)),
    };
    console.log(JSON.stringify(report, null, 2));
    console.log(markdown(report));
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

interface VerifyFigures {
  ok: boolean;
  events: number;
  checkpoints: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  segments: number;
}

interface Report {
  date: string;
  machine: string;
  append: AppendResult[];
  bulkBuild: { events: number; ms: number; perSecond: number };
  /** null with --only query */
  verifySequential: VerifyFigures | null;
  verifyParallel: VerifyFigures | null;
  queries: Awaited<ReturnType<typeof benchQueries>>;
  /** 1/5/15-minute load averages at the end: the machine is shared, so say how busy it was. */
  load: number[];
}

function markdown(r: Report): string {
  const verifyRow = (v: VerifyFigures, how: string) =>
    `| \`audit verify\` ${how}, ${v.events.toLocaleString('en')} events + ${v.checkpoints} checkpoints | **${(v.ms / 1000).toFixed(2)} s** wall, ${(v.cpuMs / 1000).toFixed(2)} s CPU (ok: ${v.ok}), peak RSS ${v.maxRssMb} MB | ≤ 10 s |`;
  const lines = [
    `Run ${r.date} on ${r.machine}.`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    ...r.append.flatMap((a) => [
      `| audit append: ${a.appenders} processes × ${a.concurrency} concurrent publisher(s), ${a.seconds} s, EventBus → subscriber → SQLite, 1–3 events per publish | **${a.perSecond.toLocaleString('en')} events/s** (chain intact: ${a.chainIntact}) | ≥ 5,000 events/s |`,
      `| — publish latency (per process p50 / p99) | ${a.perProcess.map((p) => `${p.lat.p50} / ${p.lat.p99} ms`).join('; ')} | |`,
      `| — CPU per appended event (per process) | ${a.perProcess.map((p) => `${p.cpuUsPerEvent} µs`).join('; ')} → one core sustains ≈ ${Math.round(1e6 / (a.perProcess.reduce((x, p) => x + p.cpuUsPerEvent, 0) / a.perProcess.length)).toLocaleString('en')} events/s | |`,
    ]),
    `| bulk build (appends of 10,000, checkpoint every 10,000) | ${r.bulkBuild.perSecond.toLocaleString('en')} events/s | — |`,
    ...(r.verifySequential ? [verifyRow(r.verifySequential, 'one walk')] : []),
    ...(r.verifyParallel
      ? [verifyRow(r.verifyParallel, `in ${r.verifyParallel.segments} parallel segments (as the CLI runs it)`)]
      : []),
    ...Object.entries(r.queries.byFilter).map(
      ([k, v]) =>
        `| query, first page of 100, ${k} | p50 ${v.p50} ms, p99 ${v.p99} ms (avg ${v.avgItems} items) | p99 ≤ 50 ms |`,
    ),
    `| query, all filters above together | **p50 ${r.queries.overall.p50} ms, p99 ${r.queries.overall.p99} ms** | p99 ≤ 50 ms |`,
    `| query, time range (7 d), 20th page via cursors (60 runs) | p50 ${r.queries.page20.p50} ms, p99 ${r.queries.page20.p99} ms | p99 ≤ 50 ms |`,
    '',
    `Load average at the end of the run (1/5/15 min): ${r.load.join(' / ')} on ${cpus().length} vCPU.`,
  ];
  return lines.join('\n');
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'appender') await appender(rest[0]!, Number(rest[1]), Number(rest[2]), Number(rest[3]), Number(rest[4]));
else if (mode === 'verify') await verifier(rest[0]!, rest[1]!, Number(rest[2]));
else if (mode === 'build') {
  // `build PATH N`: only build a trail (kept) for investigating plans and profiles by hand.
  const keys = await KeyRing.fromJwks(await generateKeySet('XAA', systemClock));
  const built = await buildTrail(rest[0]!, Number(rest[1]), keys);
  await built.store.close();
  console.error(`built ${rest[1]} events in ${built.ms} ms at ${rest[0]}`);
} else await main();
