/**
 * `npm run bench:overload` — the gateway offered twice what it can take, open loop.
 *
 * Two gateways (USA → GBR) run as child processes on one local redis-server, with the default
 * admission control (`http.maxInFlightSubmissions`, `http.maxQueueReady`). This process is the national
 * system:
 *   1. capacity: closed loop, BENCH_CAPACITY_CLIENTS (16) clients for BENCH_CAPACITY_SECONDS (8 s):
 *      submissions answered 202 per second;
 *   2. overload: open loop at BENCH_FACTOR (2) × that rate for BENCH_SECONDS (30 s) over an undici pool
 *      of BENCH_CONNECTIONS (256) connections — requests leave on schedule whatever the answers do —
 *      while /healthz is probed every 100 ms on its own connection, on the API port and on the metrics
 *      listener, by a process of its own (./healthz-prober.mjs: this one's event loop is busy);
 *   3. every submission answered 202 must then be delivered: USA's receipts recorded and GBR's
 *      accepted count (its /metrics) at least that many.
 * Reported: answers per status, connection errors and timeouts (target 0), answer time p50/p99/max
 * (target: every answer within 1 s), /healthz p99/max on both listeners (target ≤ 100 ms), delivered vs
 * accepted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { sampleNotification } from '../src/cli/demo/samples.js';
import { tokenFor, writeStateConfigs } from '../src/cli/demo/two-states.js';
import { openSqliteStore } from '../src/adapters/store-sqlite/open-sqlite-store.js';
import { systemClock } from '../src/core/clock.js';
import { freePort, startRedisServer } from '../src/runtime/redis-server.js';
import { intEnv, quantile, receivedCount, serveChild, sleep, type ChildGateway } from './child-gateway.js';

const CAP_CLIENTS = intEnv('BENCH_CAPACITY_CLIENTS', 16);
const CAP_SECONDS = intEnv('BENCH_CAPACITY_SECONDS', 8);
const FACTOR = intEnv('BENCH_FACTOR', 2);
const SECONDS = intEnv('BENCH_SECONDS', 30);
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 256);
const HOUR = 3600_000;
/** A client gives up after this: an answer slower than 1 s already misses the target. */
const CLIENT_TIMEOUT_MS = 10_000;

interface Answer {
  status: number | string;
  ms: number;
  id: string | null;
}

function body(i: number, base: number): string {
  const dep = base + (48 + (i % 672)) * HOUR;
  return JSON.stringify(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: dep, reportedAt: base }));
}

async function submit(pool: Pool, token: string, text: string): Promise<Answer> {
  const t = performance.now();
  try {
    const res = await pool.request({
      path: '/api/v1/notifications',
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: text,
      headersTimeout: CLIENT_TIMEOUT_MS,
      bodyTimeout: CLIENT_TIMEOUT_MS,
    });
    const answer = await res.body.text();
    const id = res.statusCode === 202 ? (JSON.parse(answer) as { id: string }).id : null;
    return { status: res.statusCode, ms: performance.now() - t, id };
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).name;
    return { status: code, ms: performance.now() - t, id: null };
  }
}

async function main(): Promise<void> {
  const redis = await startRedisServer({ stderr: 'ignore' });
  const gateways: ChildGateway[] = [];
  const gbrMetricsPort = await freePort();
  const gbrMetrics = `http://127.0.0.1:${gbrMetricsPort}`;
  const usaMetricsPort = await freePort();
  try {
    const setups = writeStateConfigs({
      dir: mkdtempSync(join(tmpdir(), 'tnx-bench-overload-')),
      redisUrl: redis.url,
      ports: { USA: await freePort(), GBR: await freePort() },
      // GBR's /metrics is on a listener of its own, on a port chosen here so that its URL is known.
      metricsPorts: { GBR: gbrMetricsPort, USA: usaMetricsPort },
      overrides: { log: { level: 'error' }, audit: { checkpointIntervalSeconds: 60 } },
      partnerLimits: { concurrency: 64, ratePerSecond: 100_000 },
    });
    const gbr = await serveChild('GBR', setups.GBR!.configPath);
    gateways.push(gbr);
    const usa = await serveChild('USA', setups.USA!.configPath);
    gateways.push(usa);
    const token = tokenFor(setups.USA!.tokens, 'submitter');
    const base = Date.now();
    let n = 0;
    const accepted: string[] = [];

    // 1. capacity, closed loop
    const capPool = new Pool(usa.url, { connections: CAP_CLIENTS });
    const capEnd = performance.now() + CAP_SECONDS * 1000;
    let capOk = 0;
    await Promise.all(
      Array.from({ length: CAP_CLIENTS }, async () => {
        while (performance.now() < capEnd) {
          const a = await submit(capPool, token, body(n++, base));
          if (a.id) {
            capOk += 1;
            accepted.push(a.id);
          } else await sleep(50); // shed: a closed-loop client that retried at once would only spin
        }
      }),
    );
    await capPool.close();
    const capacity = capOk / CAP_SECONDS;
    const rate = Math.max(1, Math.round(capacity * FACTOR));
    // Let the capacity phase's deliveries finish so the overload starts from an empty queue.
    const usaStore = await openSqliteStore({ path: setups.USA!.sqlitePath, clock: systemClock });
    const settleEnd = Date.now() + 300_000;
    while ((await receivedCount(gbrMetrics, 'USA')) < accepted.length && Date.now() < settleEnd) await sleep(200);

    // 2. overload, open loop, with /healthz probed on both listeners from another process
    const pool = new Pool(usa.url, { connections: CONNECTIONS });
    const probeUrls = { api: `${usa.url}/healthz`, metrics: `http://127.0.0.1:${usaMetricsPort}/healthz` };
    const prober = spawn(
      process.execPath,
      [new URL('./healthz-prober.mjs', import.meta.url).pathname, probeUrls.api, probeUrls.metrics],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let proberOut = '';
    prober.stdout.on('data', (d: Buffer) => (proberOut += d.toString()));
    const proberDone = new Promise<void>((resolve) => prober.once('exit', () => resolve()));
    const answers: Promise<Answer>[] = [];
    const t0 = performance.now();
    const total = rate * SECONDS;
    while (answers.length < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (answers.length < due) answers.push(submit(pool, token, body(n++, base)));
      await sleep(2);
    }
    const sentIn = (performance.now() - t0) / 1000;
    const done = await Promise.all(answers);
    prober.stdin.end();
    await proberDone;
    await pool.close();
    const probed = JSON.parse(proberOut) as Record<string, (number | null)[]>;
    const sortedProbes = (url: string): number[] =>
      (probed[url] ?? []).map((ms) => ms ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
    const probeSets = [
      { name: 'API port', probes: sortedProbes(probeUrls.api) },
      { name: 'metrics listener', probes: sortedProbes(probeUrls.metrics) },
    ];

    const byStatus = new Map<string, number>();
    for (const a of done) byStatus.set(String(a.status), (byStatus.get(String(a.status)) ?? 0) + 1);
    for (const a of done) if (a.id) accepted.push(a.id);
    const times = done.map((a) => a.ms).sort((a, b) => a - b);
    const over1s = times.filter((t) => t > 1000).length;
    const failures = done.filter((a) => typeof a.status === 'string').length;

    // 3. every 202 delivered
    const drainStart = Date.now();
    const end = Date.now() + 600_000;
    while ((await receivedCount(gbrMetrics, 'USA')) < accepted.length && Date.now() < end) await sleep(250);
    let notDelivered = 0;
    for (const id of accepted)
      for (;;) {
        if ((await usaStore.outbound.get(id))?.state === 'delivered') break;
        if (Date.now() > end) {
          notDelivered += 1;
          break;
        }
        await sleep(100);
      }
    const received = await receivedCount(gbrMetrics, 'USA');
    const drainS = (Date.now() - drainStart) / 1000;
    await usaStore.close();

    const date = new Date().toISOString().slice(0, 10);
    const ok = (b: boolean): string => (b ? '✔' : '✘');
    console.log(
      `\n### Overload: ${FACTOR}× capacity, open loop, ${SECONDS} s (${date}, Node ${process.versions.node})\n`,
    );
    console.log(
      `Capacity (closed loop, ${CAP_CLIENTS} clients, ${CAP_SECONDS} s): **${capacity.toFixed(0)} submissions/s**.`,
    );
    console.log(
      `Offered: ${rate}/s for ${SECONDS} s (${done.length} requests, sent in ${sentIn.toFixed(1)} s) over ${CONNECTIONS} connections.\n`,
    );
    console.log('| Figure | Value | Target |');
    console.log('|---|---|---|');
    const statuses = [...byStatus.entries()]
      .sort()
      .map(([s, c]) => `${s}: ${c}`)
      .join(', ');
    console.log(`| answers by status | ${statuses} | 202 or 503 only |`);
    console.log(`| connection errors / timeouts | ${failures} | 0 ${ok(failures === 0)} |`);
    console.log(
      `| answer time p50 / p99 / max | ${quantile(times, 0.5).toFixed(0)} / ${quantile(times, 0.99).toFixed(0)} / ${(times.at(-1) ?? 0).toFixed(0)} ms | every answer ≤ 1 s ${ok(over1s === 0)} (${over1s} over) |`,
    );
    for (const { name, probes } of probeSets)
      console.log(
        `| /healthz on the ${name}: p50 / p99 / max (${probes.length} probes) | ${quantile(probes, 0.5).toFixed(1)} / ${quantile(probes, 0.99).toFixed(1)} / ${(probes.at(-1) ?? 0).toFixed(1)} ms | p99 ≤ 100 ms ${ok(quantile(probes, 0.99) <= 100)} |`,
      );
    console.log(
      `| answered 202 (both phases) → delivered | ${accepted.length} → ${accepted.length - notDelivered} (GBR accepted ${received}), drained ${drainS.toFixed(1)} s after the load | all ${ok(notDelivered === 0 && received >= accepted.length)} |`,
    );
    console.log(
      `\n${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} (the load generator runs on the same machine as both gateways and Redis)`,
    );
  } finally {
    for (const g of gateways.reverse()) await g.stop();
    await redis.stop();
  }
}

await main();
