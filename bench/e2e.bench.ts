/**
 * `npm run bench:e2e` — the whole gateway, end to end (issue 4 §6).
 *
 * Two gateways (USA → GBR) run as CHILD PROCESSES (`node bin/tnx.mjs serve`), each with its own
 * SQLite file and Redis prefix on one local redis-server, so their RSS is their own. This process is
 * the national system: it POSTs TravelNotifications to USA over keep-alive HTTP with bounded
 * concurrency and waits until every receipt is recorded in USA's store.
 *
 *   1. throughput: N notifications (BENCH_N, default 10,000) submitted as fast as they are accepted
 *      (BENCH_CONCURRENCY clients, default 64); notifications/s = N / (last receipt recorded − first
 *      submission); p50/p99 of submit → receipt recorded (the record's `delivered` transition).
 *   2. steady load: BENCH_STEADY_RATE/s (default 100) for BENCH_STEADY_SECONDS (default 30), open loop;
 *      p50/p99 of submit → receipt recorded.
 *   3. crypto-only ceiling, same run: seal (USA) → open (GBR) → sign receipt (GBR) → verify receipt
 *      (USA) with src/domain/protocol/envelope directly — no HTTP, queue or store — 64 in flight, in this
 *      process (WebCrypto runs on the libuv pool, so one process uses every core).
 *   BENCH_SPLIT=1 runs the sender as two processes (`--http-only`, `--workers-only`).
 *   BENCH_WORKER_CONCURRENCY (default 64) sets the sender's workers and the per-partner limit.
 *   RSS of each gateway is sampled from /proc every 200 ms; the peak is reported.
 *
 * BENCH_PROFILE=1 runs the gateways with `node --cpu-prof` (profiles in the printed folder);
 * BENCH_GATEWAY_NODE_FLAGS passes node flags to them (e.g. "--max-semi-space-size=4").
 * Targets: ≥ 500 notifications/s and ≥ 60 % of the crypto-only ceiling; p99 ≤ 100 ms at 100/s;
 * RSS ≤ 250 MB per gateway. Prints a Markdown block for BENCHMARKS.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { sampleNotification } from '../src/cli/demo/samples.js';
import { cryptoRoundTrip } from './crypto-round-trip.js';
import { cpuSeconds } from './proc-stats.js';
import { REPO_ROOT, tokenFor, writeStateConfigs } from '../src/cli/demo/two-states.js';
import type { Store } from '../src/ports/store/index.js';
import { openSqliteStore } from '../src/adapters/store-sqlite/open-sqlite-store.js';
import { systemClock } from '../src/core/clock.js';
import { freePort, startRedisServer, type LocalRedis } from '../src/runtime/redis-server.js';

const N = intEnv('BENCH_N', 10_000);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 64);
const STEADY_RATE = intEnv('BENCH_STEADY_RATE', 100);
const STEADY_SECONDS = intEnv('BENCH_STEADY_SECONDS', 30);
const CRYPTO_OPS = intEnv('BENCH_CRYPTO_OPS', 3_000);
/** delivery.workerConcurrency of the sender and the directory's per-partner concurrency. */
const WORKERS = intEnv('BENCH_WORKER_CONCURRENCY', 64);
/** BENCH_SPLIT=1: the sender runs as two processes, `--http-only` and `--workers-only` (two event loops). */
const SPLIT = process.env.BENCH_SPLIT === '1';
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Extra node flags for the gateway processes, e.g. "--max-semi-space-size=4" (memory experiments). */
const GATEWAY_NODE_FLAGS = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '')
  .split(' ')
  .filter((f) => /^--[a-z-]+(=[\w.-]+)?$/.test(f));
const HOUR = 3600_000;

function intEnv(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${name} must be a positive integer`);
  return Number(v);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

// ---- gateways as child processes --------------------------------------------------------------------

interface Gateway {
  state: string;
  child: ChildProcess;
  url: string;
  /** Base URL of its metrics listener (its own port; '' for --workers-only). */
  metricsUrl: string;
  peakRssMb: number;
  exited: Promise<number | string>;
}

async function serve(
  state: string,
  configPath: string,
  profileDir: string | null,
  role: string[] = [],
): Promise<Gateway> {
  const flags = [...GATEWAY_NODE_FLAGS];
  const name = `${state.toLowerCase()}${role.length ? role[0]!.replace('--', '-') : ''}`;
  if (profileDir) flags.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.cpuprofile`);
  const child = spawn(
    process.execPath,
    [...flags, join(REPO_ROOT, 'bin/tnx.mjs'), 'serve', '--config', configPath, ...role],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)),
  );
  const end = Date.now() + 30_000;
  for (;;) {
    const m = /tnx serve: (?:listening on (\S+)|workers running)/.exec(out);
    // The HTTP side prints its metrics listener next (the partner port no longer serves /metrics).
    const metrics = /tnx serve: metrics on (\S+)\/metrics/.exec(out);
    if (m && (!m[1] || metrics))
      return {
        state: name.toUpperCase(),
        child,
        url: m[1] ?? '',
        metricsUrl: metrics?.[1] ?? '',
        peakRssMb: 0,
        exited,
      };
    if (child.exitCode !== null || Date.now() > end) throw new Error(`${state} gateway did not start: ${out}`);
    await sleep(50);
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function sampleRss(gateways: Gateway[]): () => void {
  const timer = setInterval(() => {
    for (const g of gateways) g.peakRssMb = Math.max(g.peakRssMb, rssMb(g.child.pid!));
  }, 200);
  return () => clearInterval(timer);
}

// ---- the national system: submissions and completion ----------------------------------------------

interface Submitted {
  id: string;
  startedAt: number;
  acceptedAt: number;
}

function bodies(count: number, base: number): string[] {
  const template = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: base + 48 * HOUR });
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    // Departures spread over 2–30 days so the queue's departure priorities differ.
    const dep = base + (48 + (i % 672)) * HOUR;
    const n = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: dep, reportedAt: base });
    out.push(JSON.stringify({ ...template, travel: n.travel, report: n.report }));
  }
  return out;
}

async function submitOne(pool: Pool, token: string, body: string): Promise<Submitted> {
  const startedAt = Date.now();
  const res = await pool.request({
    path: '/api/v1/notifications',
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const text = await res.body.text();
  if (res.statusCode !== 202) throw new Error(`submission answered ${res.statusCode}: ${text.slice(0, 300)}`);
  return { id: (JSON.parse(text) as { id: string }).id, startedAt, acceptedAt: Date.now() };
}

async function submitAll(pool: Pool, token: string, all: string[], concurrency: number): Promise<Submitted[]> {
  const out: Submitted[] = new Array(all.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= all.length) return;
        out[i] = await submitOne(pool, token, all[i]!);
      }
    }),
  );
  return out;
}

/** Open loop: one submission every 1000/rate ms whatever the answers do (no coordinated omission). */
async function submitSteady(pool: Pool, token: string, all: string[], rate: number): Promise<Submitted[]> {
  const interval = 1000 / rate;
  const t0 = Date.now();
  const pending: Promise<Submitted>[] = [];
  for (let i = 0; i < all.length; i += 1) {
    const due = t0 + i * interval;
    const wait = due - Date.now();
    if (wait > 1) await sleep(wait);
    pending.push(submitOne(pool, token, all[i]!));
  }
  return Promise.all(pending);
}

/** Heap figures of a gateway from its metrics listener (prom-client default metrics), MB. */
async function heapMb(url: string): Promise<{ heapUsed: number; heapTotal: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string): number =>
    Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20;
  return {
    heapUsed: read('nodejs_heap_size_used_bytes'),
    heapTotal: read('nodejs_heap_size_total_bytes'),
    external: read('nodejs_external_memory_bytes'),
  };
}

/** Messages GBR accepted from USA, from GBR's /metrics (works whichever USA process delivers). */
async function receivedCount(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('tnx_inbound_total{') && l.includes('iss="USA"') && l.includes('outcome="accepted"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/**
 * Wait until GBR has received `target` messages in total, then until USA has recorded the receipt of
 * every id in `subs` (its `delivered` transition) — read from USA's store, so the wait ends on what
 * the measurement measures.
 */
async function waitDelivered(
  gbrMetricsUrl: string,
  store: Store,
  target: number,
  subs: Submitted[],
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const n = await receivedCount(gbrMetricsUrl);
    if (n >= target) break;
    if (Date.now() > end) throw new Error(`only ${n} of ${target} received after ${timeoutMs} ms`);
    await sleep(100);
  }
  let pending = subs.map((s) => s.id);
  while (pending.length > 0) {
    const still: string[] = [];
    for (const id of pending) if ((await store.outbound.get(id))?.state !== 'delivered') still.push(id);
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() > end) throw new Error(`${pending.length} receipts not recorded after ${timeoutMs} ms`);
    await sleep(100);
  }
}

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  lastRecordedAt: number;
  notDelivered: number;
}

/** submit → receipt recorded, from USA's own store (updatedAt of the `delivered` transition). */
async function latencies(store: Store, subs: Submitted[]): Promise<Latencies> {
  {
    const lat: number[] = [];
    let last = 0;
    let notDelivered = 0;
    for (const s of subs) {
      const r = await store.outbound.get(s.id);
      if (!r || r.state !== 'delivered') {
        notDelivered += 1;
        continue;
      }
      lat.push(r.updatedAt - s.startedAt);
      last = Math.max(last, r.updatedAt);
    }
    lat.sort((a, b) => a - b);
    return {
      p50: quantile(lat, 0.5),
      p99: quantile(lat, 0.99),
      max: lat.at(-1) ?? Number.NaN,
      lastRecordedAt: last,
      notDelivered,
    };
  }
}

// ---- crypto-only ceiling ------------------------------------------------------------------------------

async function cryptoCeiling(
  usaConfigPath: string,
  gbrConfigPath: string,
  ops: number,
  inFlight: number,
): Promise<{ rate: number; cpuMs: number }> {
  const one = await cryptoRoundTrip(usaConfigPath, gbrConfigPath);
  for (let i = 0; i < 200; i += 1) await one(); // warm-up
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < ops) await one();
    }),
  );
  const cpu = process.cpuUsage(cpu0); // the whole process: the thread-pool work is included
  return { rate: ops / ((performance.now() - t0) / 1000), cpuMs: (cpu.user + cpu.system) / 1000 / ops };
}

// ---- main -------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tnx-bench-e2e-'));
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'tnx-bench-prof-')) : null;
  let redis: LocalRedis | null = null;
  const gateways: Gateway[] = [];
  try {
    const redisUrl = process.env.REDIS_URL ?? (redis = await startRedisServer({ stderr: 'ignore' })).url;
    const setups = writeStateConfigs({
      dir,
      redisUrl,
      ports: { USA: await freePort(), GBR: await freePort() },
      overrides: {
        delivery: { workerConcurrency: WORKERS, backoffBaseMs: 100, backoffCapMs: 2_000 },
        audit: { checkpointIntervalSeconds: 60 },
        log: { level: 'error' },
      },
      // The benchmark measures the gateway, not the directory's courtesy limits toward a partner.
      partnerLimits: { concurrency: WORKERS, ratePerSecond: 100_000 },
    });
    const usaSetup = setups.USA!;
    const gbrSetup = setups.GBR!;
    gateways.push(await serve('GBR', gbrSetup.configPath, profileDir));
    gateways.push(await serve('USA', usaSetup.configPath, profileDir, SPLIT ? ['--http-only'] : []));
    if (SPLIT) gateways.push(await serve('USA', usaSetup.configPath, profileDir, ['--workers-only']));
    const [gbr, usa] = gateways as [Gateway, Gateway];
    const senders = gateways.slice(1);
    const stopRss = sampleRss(gateways);
    const token = tokenFor(usaSetup.tokens, 'submitter');
    const pool = new Pool(usa.url, { connections: CONCURRENCY, pipelining: 1 });
    const gbrMetrics = `${gbr.metricsUrl}/metrics`;
    // A reader on USA's SQLite file (WAL: it never blocks the gateway's writes).
    const usaStore = await openSqliteStore({ path: usaSetup.sqlitePath, clock: systemClock });
    let delivered = 0;

    const log = (s: string): void => void process.stderr.write(`${s}\n`);
    log(
      `bench:e2e  N=${N} concurrency=${CONCURRENCY} steady=${STEADY_RATE}/s×${STEADY_SECONDS}s  gateways USA ${usa.url} GBR ${gbr.url}`,
    );

    // Warm-up (JIT, connection pools, SQLite caches): not measured.
    const warm = Math.min(500, N);
    const warmSubs = await submitAll(pool, token, bodies(warm, Date.now()), CONCURRENCY);
    delivered += warm;
    await waitDelivered(gbrMetrics, usaStore, delivered, warmSubs, 120_000);

    // 1. throughput
    const all = bodies(N, Date.now());
    const cpu0 = gateways.map((g) => cpuSeconds(g.child.pid!));
    const redisCpu0 = redis ? cpuSeconds(redis.pid) : Number.NaN;
    const own0 = process.cpuUsage();
    const t0 = Date.now();
    const subs = await submitAll(pool, token, all, CONCURRENCY);
    const acceptedAllAt = Date.now();
    delivered += N;
    await waitDelivered(gbrMetrics, usaStore, delivered, subs, 30 * 60_000);
    // CPU per notification: independent of what else the machine runs, unlike wall-clock rates.
    const cpuMs = gateways.map((g, i) => ((cpuSeconds(g.child.pid!) - cpu0[i]!) * 1000) / N);
    const redisCpuMs = ((cpuSeconds(redis?.pid ?? -1) - redisCpu0) * 1000) / N;
    const own = process.cpuUsage(own0);
    const heaps = await Promise.all([heapMb(gbr.metricsUrl), heapMb(usa.metricsUrl)]); // (in split mode: the HTTP process)
    const clientCpuMs = (own.user + own.system) / 1000 / N;
    const lat = await latencies(usaStore, subs);
    const firstStart = Math.min(...subs.map((s) => s.startedAt));
    const throughput = N / ((lat.lastRecordedAt - firstStart) / 1000);
    const acceptRate = N / ((acceptedAllAt - t0) / 1000);
    log(
      `throughput ${throughput.toFixed(0)}/s (accepted ${acceptRate.toFixed(0)}/s), p50 ${lat.p50} ms, p99 ${lat.p99} ms`,
    );

    // 2. steady load
    const steadyN = STEADY_RATE * STEADY_SECONDS;
    const steadySubs = await submitSteady(pool, token, bodies(steadyN, Date.now()), STEADY_RATE);
    delivered += steadyN;
    await waitDelivered(gbrMetrics, usaStore, delivered, steadySubs, 10 * 60_000);
    const steady = await latencies(usaStore, steadySubs);
    await usaStore.close();
    const steadyAccept = steadySubs.map((s) => s.acceptedAt - s.startedAt).sort((a, b) => a - b);
    log(`steady ${STEADY_RATE}/s: p50 ${steady.p50} ms, p99 ${steady.p99} ms`);
    stopRss();
    await pool.close();

    // 3. crypto-only ceiling (gateways idle meanwhile)
    const { rate: ceiling, cpuMs: cryptoCpuMs } = await cryptoCeiling(
      usaSetup.configPath,
      gbrSetup.configPath,
      CRYPTO_OPS,
      64,
    );
    log(`crypto-only ceiling ${ceiling.toFixed(0)}/s, ${cryptoCpuMs.toFixed(2)} ms CPU per op`);
    const senderCpuMs = cpuMs.slice(1).reduce((a, b) => a + b, 0);
    const gatewayCpuMs = cpuMs[0]! + senderCpuMs;

    for (const g of gateways) g.child.kill('SIGTERM');
    const codes = await Promise.all(gateways.map((g) => g.exited));

    const pct = (100 * throughput) / ceiling;
    const mark = (ok: boolean): string => (ok ? 'met' : '**not met**');
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const out = [
      `### ${new Date().toISOString().slice(0, 16).replace('T', ', ')} UTC — ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}, load average at the end ${loadavg()[0]!.toFixed(1)}`,
      '',
      `N = ${N} (after ${warm} warm-up), ${CONCURRENCY} concurrent HTTP clients, ${WORKERS} delivery workers (partner limit ${WORKERS} in flight, rate unlimited); steady ${STEADY_RATE}/s for ${STEADY_SECONDS} s; gateways as child processes${SPLIT ? ' (USA split into --http-only + --workers-only)' : ''}${PROFILE ? ' (with --cpu-prof)' : ''}${GATEWAY_NODE_FLAGS.length ? ` with node ${GATEWAY_NODE_FLAGS.join(' ')}` : ''}.`,
      '',
      '| measure | value | target |',
      '|---|---|---|',
      `| throughput, submit → every receipt recorded | ${throughput.toFixed(0)} notifications/s | ≥ 500/s: ${mark(throughput >= 500)} |`,
      `| acceptance rate (all 202s returned) | ${acceptRate.toFixed(0)} /s | — |`,
      `| latency submit → receipt recorded, at full load | p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms | — |`,
      `| crypto-only ceiling (seal+open+receipt sign+verify, 64 in flight, one process) | ${ceiling.toFixed(0)} /s | — |`,
      `| throughput / ceiling | ${pct.toFixed(0)} % | ≥ 60 %: ${mark(pct >= 60)} |`,
      `| CPU per notification: USA ${senderCpuMs.toFixed(2)} ms${SPLIT ? ` (${senders.map((g, i) => `${g.state} ${cpuMs[i + 1]!.toFixed(2)}`).join(' + ')})` : ''} + GBR ${cpuMs[0]!.toFixed(2)} ms = ${gatewayCpuMs.toFixed(2)} ms (redis-server ${Number.isNaN(redisCpuMs) ? 'n/a' : redisCpuMs.toFixed(2)} ms, bench client ${clientCpuMs.toFixed(2)} ms) | crypto-only ${cryptoCpuMs.toFixed(2)} ms per op → CPU ratio ${((100 * cryptoCpuMs) / gatewayCpuMs).toFixed(0)} % | — |`,
      `| latency at a steady ${STEADY_RATE}/s | p50 ${steady.p50} ms, p99 ${steady.p99} ms, max ${steady.max} ms (202 itself: p50 ${quantile(steadyAccept, 0.5)} ms, p99 ${quantile(steadyAccept, 0.99)} ms) | p99 ≤ 100 ms: ${mark(steady.p99 <= 100)} |`,
      ...senders.map(
        (g) =>
          `| peak RSS, ${g.state} gateway process (sender) | ${g.peakRssMb.toFixed(0)} MB | ≤ 250 MB: ${mark(g.peakRssMb <= 250)} |`,
      ),
      `| peak RSS, GBR gateway (receiver) | ${gbr.peakRssMb.toFixed(0)} MB | ≤ 250 MB: ${mark(gbr.peakRssMb <= 250)} |`,
      `| V8 heap right after the throughput phase (used / total, external) | USA ${heaps[1].heapUsed.toFixed(0)} / ${heaps[1].heapTotal.toFixed(0)} MB, ${heaps[1].external.toFixed(0)} MB; GBR ${heaps[0].heapUsed.toFixed(0)} / ${heaps[0].heapTotal.toFixed(0)} MB, ${heaps[0].external.toFixed(0)} MB | — |`,
      '',
      `Not delivered: ${lat.notDelivered + steady.notDelivered}. Gateway exit codes after SIGTERM: ${codes.join(', ')}.${profileDir ? ` CPU profiles: ${profileDir}` : ''}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    for (const g of gateways) if (g.child.exitCode === null) g.child.kill('SIGKILL');
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
