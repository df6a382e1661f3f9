/**
 * `npm run bench:drain` — a partner comes back after an outage: how fast its backlog leaves, and in
 * which order.
 *
 * USA runs as a child process (`tnx serve`) on a local redis-server while GBR is down: BENCH_N (10,000)
 * notifications with departures spread over 2 h … 30 days are submitted, the first attempts are
 * refused, GBR's circuit opens and the jobs wait. Then GBR starts; the figures run from GBR listening
 * to GBR's last accepted message (its /metrics), and from its first to its last:
 *   (a) the directory's default limits toward GBR (concurrency 8, 200/s): target ≥ 95 % of 200/s;
 *   (b) limits raised out of the way (concurrency 64, 100,000/s), 64 workers: target ≥ 400/s.
 * Order: for every pair where a notification departing earlier was delivered after one departing
 * later, by how much (the receipts' receivedAt, GBR's clock; BENCH_ORDER_BY=updated uses the time USA
 * recorded the receipt instead): the worst is reported, target ≤ one probe
 * interval (`delivery.circuitProbeIntervalMs`, 2 s), the shortest wait of a job behind the circuit.
 * The probe that closes the circuit is delivered first of all, so its departure rank is shown too: a
 * probe of rank r makes r earlier departures count as inverted.
 * BENCH_CASES=a or b runs one case.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { sampleNotification } from '../src/cli/demo/samples.js';
import { tokenFor, writeStateConfigs } from '../src/cli/demo/two-states.js';
import { openSqliteStore } from '../src/adapters/store-sqlite/open-sqlite-store.js';
import { systemClock } from '../src/core/clock.js';
import { freePort, startRedisServer, type LocalRedis } from '../src/runtime/redis-server.js';
import { intEnv, receivedCount, serveChild, sleep, type ChildGateway } from './child-gateway.js';

const N = intEnv('BENCH_N', 10_000);
const CASES = (process.env.BENCH_CASES ?? 'a,b').split(',').filter((c) => c === 'a' || c === 'b');
const HOUR = 3600_000;
const PROBE_MS = 2000;
/** Workers of case (a); BENCH_WORKERS_A=8 matches the partner's default concurrency (no deferrals). */
const WORKERS_A = intEnv('BENCH_WORKERS_A', 32);

interface Result {
  label: string;
  target: number;
  fromUpS: number;
  firstToLastS: number;
  rateFromUp: number;
  rateFirstToLast: number;
  worstInversionMs: number;
  inversions: number;
  /** Departure rank (0 = earliest) of the first notification delivered: the probe that closed the circuit. */
  firstRank: number;
  delivered: number;
}

async function runCase(redis: LocalRedis, which: 'a' | 'b'): Promise<Result> {
  const raised = which === 'b';
  const ports = { USA: await freePort(), GBR: await freePort() };
  // GBR's /metrics is on a listener of its own, on a port chosen here so that its URL is known.
  const metricsPorts = { USA: await freePort(), GBR: await freePort() };
  const setups = writeStateConfigs({
    dir: mkdtempSync(join(tmpdir(), `tnx-bench-drain-${which}-`)),
    redisUrl: redis.url,
    ports,
    metricsPorts,
    overrides: {
      log: { level: 'error' },
      audit: { checkpointIntervalSeconds: 60 },
      delivery: { workerConcurrency: raised ? 64 : WORKERS_A, circuitProbeIntervalMs: PROBE_MS },
    },
    ...(raised ? { partnerLimits: { concurrency: 64, ratePerSecond: 100_000 } } : {}),
  });
  const gateways: ChildGateway[] = [];
  try {
    const usa = await serveChild('USA', setups.USA!.configPath);
    gateways.push(usa);
    const token = tokenFor(setups.USA!.tokens, 'submitter');
    const pool = new Pool(usa.url, { connections: 32 });
    const base = Date.now();
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (;;) {
          const i = next++;
          if (i >= N) return;
          // Departures spread pseudo-randomly (a fixed permutation) over 2 h … 30 days.
          const dep = base + 2 * HOUR + ((i * 7919) % N) * Math.floor((28 * 24 * HOUR) / N);
          const body = JSON.stringify(
            sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: dep, reportedAt: base }),
          );
          for (;;) {
            const res = await pool.request({
              path: '/api/v1/notifications',
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body,
            });
            const text = await res.body.text();
            if (res.statusCode === 202) {
              ids.push((JSON.parse(text) as { id: string }).id);
              break;
            }
            if (res.statusCode !== 503) throw new Error(`submission answered ${res.statusCode}: ${text.slice(0, 200)}`);
            await sleep(1000 * Number(res.headers['retry-after'] ?? 1));
          }
        }
      }),
    );
    await pool.close();
    // The backlog settles behind the open circuit (every job tried at most once, then parked).
    await sleep(5_000);

    const gbr = await serveChild('GBR', setups.GBR!.configPath);
    gateways.push(gbr);
    const up = Date.now();
    let first = 0;
    const end = up + 900_000;
    for (;;) {
      const n = await receivedCount(`http://127.0.0.1:${metricsPorts.GBR}`, 'USA');
      if (n > 0 && first === 0) first = Date.now();
      if (n >= N || Date.now() > end) break;
      await sleep(50);
    }
    const last = Date.now();

    // Order: receipts as USA recorded them, against departures (once USA has recorded every receipt).
    const store = await openSqliteStore({ path: setups.USA!.sqlitePath, clock: systemClock });
    const rows: { dep: number; at: number }[] = [];
    const readEnd = Date.now() + 120_000;
    for (const id of ids) {
      for (;;) {
        const r = await store.outbound.get(id);
        if (r?.state === 'delivered' && r.departureAt !== null) {
          rows.push({
            dep: r.departureAt,
            at: process.env.BENCH_ORDER_BY === 'updated' ? r.updatedAt : r.deliveredAt!,
          });
          break;
        }
        if (Date.now() > readEnd) break;
        await sleep(100);
      }
    }
    await store.close();
    rows.sort((x, y) => y.dep - x.dep); // latest departure first
    // The first one delivered is the probe; everything departing before it counts as inverted.
    const firstAt = Math.min(...rows.map((r) => r.at));
    const firstRank = rows.length - 1 - rows.findIndex((r) => r.at === firstAt);
    let minLaterAt = Number.POSITIVE_INFINITY;
    let worst = 0;
    let inversions = 0;
    let i = 0;
    while (i < rows.length) {
      // Equal departures are not an inversion among themselves.
      let j = i;
      while (j < rows.length && rows[j]!.dep === rows[i]!.dep) j += 1;
      for (let k = i; k < j; k += 1) {
        const gap = rows[k]!.at - minLaterAt;
        if (gap > 0) {
          inversions += 1;
          worst = Math.max(worst, gap);
        }
      }
      for (let k = i; k < j; k += 1) minLaterAt = Math.min(minLaterAt, rows[k]!.at);
      i = j;
    }
    const fromUpS = (last - up) / 1000;
    const firstToLastS = (last - first) / 1000;
    return {
      label: raised
        ? '(b) limits raised: 64 in flight, 100,000/s; 64 workers'
        : `(a) default limits: 8 in flight, 200/s; ${WORKERS_A} workers`,
      target: raised ? 400 : 0.95 * 200,
      fromUpS,
      firstToLastS,
      rateFromUp: rows.length / fromUpS,
      rateFirstToLast: rows.length / firstToLastS,
      worstInversionMs: worst,
      firstRank,
      inversions,
      delivered: rows.length,
    };
  } finally {
    for (const g of gateways.reverse()) await g.stop();
  }
}

async function main(): Promise<void> {
  const redis = await startRedisServer({ stderr: 'ignore' });
  const results: Result[] = [];
  try {
    for (const c of CASES) results.push(await runCase(redis, c as 'a' | 'b'));
  } finally {
    await redis.stop();
  }
  const ok = (b: boolean): string => (b ? '✔' : '✘');
  console.log(
    `\n### Backlog drain: ${N} notifications behind a partner that comes back (${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node})\n`,
  );
  console.log(
    "| Case | Delivered | Partner up → last | Rate (from up) | First → last | Rate (first → last) | Target | Worst order inversion (pairs) | Probe's departure rank |",
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.label} | ${r.delivered} | ${r.fromUpS.toFixed(1)} s | ${r.rateFromUp.toFixed(0)}/s | ${r.firstToLastS.toFixed(1)} s | ${r.rateFirstToLast.toFixed(0)}/s | ≥ ${r.target.toFixed(0)}/s ${ok(r.rateFirstToLast >= r.target)} | ${r.worstInversionMs} ms (${r.inversions}) ${ok(r.worstInversionMs <= PROBE_MS)} | ${r.firstRank} of ${r.delivered} |`,
    );
  console.log(
    `\n"Partner up" includes the wait for the next probe (≤ ${PROBE_MS / 1000} s). ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (USA, GBR, Redis and the load generator on one machine)`,
  );
}

await main();
