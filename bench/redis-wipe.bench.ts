/**
 * `npm run bench:redis-wipe` — how long from a Redis wipe (kill -9, an empty redis-server on the same
 * port) to every waiting record delivered.
 *
 * Two gateways in this process (USA → GBR) on their own redis-server without persistence. GBR is down
 * while USA accepts BENCH_N notifications (default 1,000), so each fails once and waits for a retry
 * two to five minutes away. Then Redis is wiped and GBR started; the figure is wipe → last record
 * `delivered`. The periodic orphan sweep and outbox pass are set to ten minutes, so only the restart
 * detection (new INFO run_id) can move the records. Target: ≤ 60 s for 1,000 records.
 */
import { cpus, loadavg } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { loadConfigFile } from '../src/config/load.js';
import { tokenFor, writeStateConfigs } from '../src/cli/demo/two-states.js';
import { sampleNotification } from '../src/cli/demo/samples.js';
import { createLogger } from '../src/core/logger.js';
import { startGateway } from '../src/runtime/run-gateway.js';
import { freePort, startRedisServer } from '../src/runtime/redis-server.js';

const N = Number(process.env.BENCH_N ?? 1000);
const HOUR = 3600_000;
const quiet = createLogger({ level: 'silent' });

async function waitFor(what: string, fn: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let redis = await startRedisServer({ stderr: 'ignore' });
const setups = writeStateConfigs({
  dir: mkdtempSync(join(tmpdir(), 'tnx-bench-wipe-')),
  redisUrl: redis.url,
  ports: { USA: await freePort(), GBR: await freePort() },
  overrides: { delivery: { backoffBaseMs: 120_000, backoffCapMs: 300_000 }, log: { level: 'silent' } },
});
const config = (s: 'USA' | 'GBR') => loadConfigFile(setups[s]!.configPath, { REDIS_URL: redis.url });
const timers = {
  log: quiet,
  outboxIntervalMs: 600_000,
  sweepIntervalMs: 600_000,
  worker: { atRiskScanIntervalMs: 0, depthIntervalMs: 0, shutdownTimeoutMs: 2_000 },
};
const usa = await startGateway(config('USA'), timers);
const token = tokenFor(setups.USA!.tokens, 'submitter');
const dispatcher = new Agent({ connections: 16 });
const ids: string[] = [];
for (let i = 0; i < N; i += 16) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(16, N - i) }, async () => {
      const res = await request(`${usa.url}/api/v1/notifications`, {
        method: 'POST',
        dispatcher,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 26 * HOUR }),
        ),
      });
      const body = (await res.body.json()) as { id: string };
      if (res.statusCode !== 202) throw new Error(`submission answered ${res.statusCode}`);
      return body.id;
    }),
  );
  ids.push(...batch);
}
const count = async (state: string): Promise<number> =>
  (await Promise.all(ids.map((id) => usa.ctx.store.outbound.get(id)))).filter((r) => r?.state === state).length;
await waitFor('every record waiting for a retry', async () => (await count('retrying')) === N, 300_000);

const port = redis.port;
const wipedAt = Date.now();
process.kill(redis.pid, 'SIGKILL');
await redis.stop();
redis = await startRedisServer({ stderr: 'ignore', port });
const gbr = await startGateway(config('GBR'), timers);
await waitFor('every record delivered', async () => (await count('delivered')) === N, 600_000);
const seconds = (Date.now() - wipedAt) / 1000;

console.log(`\n### Redis wiped under ${N} waiting retries (${new Date().toISOString().slice(0, 10)})\n`);
console.log(`| Records waiting | Wipe → all delivered | Target |`);
console.log(`|---|---|---|`);
console.log(`| ${N} | ${seconds.toFixed(1)} s | ≤ 60 s ${seconds <= 60 ? '✔' : '✘'} |`);
console.log(
  `\n${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
await gbr.close();
await usa.close();
await dispatcher.close();
await redis.stop();
