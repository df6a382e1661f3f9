/**
 * `npm run bench:floor` — the floor of the non-crypto path on our stack (issue 4).
 *
 * bench:e2e measures the whole gateway against a crypto-only ceiling. This bench asks the other
 * question: what does the unavoidable plumbing of one notification cost on express 5 + undici +
 * BullMQ/ioredis + better-sqlite3 with nothing of ours around it? If that floor alone exceeds the
 * budget a target leaves after the crypto, no amount of work on our own code reaches the target.
 *
 * One process (plus a throw-away redis-server) measures CPU time per operation — user+system of this
 * process, libuv threads included, and of redis-server from /proc — and wall ops/s for:
 *   crypto          seal (USA) → open (GBR) → signReceipt (GBR) → verifyReceipt (USA), 64 in flight:
 *                   exactly bench:e2e's crypto-only ceiling.
 *   http            one keep-alive JSON POST of protocol/examples/travel-notification.json, undici Pool
 *                   → bare express 5 (express.raw + JSON.parse + 202 JSON) or bare node:http, 64 in
 *                   flight; client and server both in this process, as both run on the same cores in e2e.
 *   queue           BullMQ Queue.add (unique jobId, data {id}) → Worker (no-op, concurrency 64) →
 *                   removeOnComplete, 64 in flight; redis-server's CPU reported apart.
 *   sqlite          WAL, synchronous=NORMAL, primary keys only, hash-chained audit rows: the sender's
 *                   minimum in 6 commits and in 1, and the receiver's minimum in 1.
 * Workloads run in interleaved rounds (BENCH_FLOOR_ROUNDS, default 3) after a warm-up, for
 * BENCH_FLOOR_SECONDS each in total (default 3); the median round is reported with the spread.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Queue, Worker } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { chainHash, GENESIS_HASH } from '../src/domain/audit/chain.js';
import { cryptoRoundTrip } from './crypto-round-trip.js';
import { cpuSeconds } from './proc-stats.js';
import { REPO_ROOT, writeStateConfigs } from '../src/cli/demo/two-states.js';
import { freePort, startRedisServer, type LocalRedis } from '../src/runtime/redis-server.js';

const SECONDS = numEnv('BENCH_FLOOR_SECONDS', 3);
const ROUNDS = Math.max(1, Math.round(numEnv('BENCH_FLOOR_ROUNDS', 3)));
const ROUND_MS = (SECONDS * 1000) / ROUNDS;
const WARM_MS = Math.min(1000, ROUND_MS);
const IN_FLIGHT = 64;

function numEnv(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new Error(`${name} must be a positive number`);
  return Number(v);
}

/** Runs `one` with `inFlight` callers until `ms` have passed; returns how many completed. */
async function closedLoop(inFlight: number, ms: number, one: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await one();
        n += 1;
      }
    }),
  );
  return n;
}

/** The synchronous counterpart: better-sqlite3 blocks, so "in flight" means nothing there. */
function syncLoop(ms: number, one: () => void): number {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    one();
    n += 1;
  }
  return n;
}

interface Workload {
  name: string;
  run(ms: number): Promise<number> | number;
}

interface Sample {
  opsPerS: number;
  cpuUs: number;
  redisUs: number;
}

async function sample(w: Workload, ms: number, redisPid: number): Promise<Sample> {
  const r0 = cpuSeconds(redisPid);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const n = await w.run(ms);
  const c = process.cpuUsage(c0); // the whole process: thread-pool work (WebCrypto, sqlite fsync) included
  const secs = (performance.now() - t0) / 1000;
  return { opsPerS: n / secs, cpuUs: (c.user + c.system) / n, redisUs: ((cpuSeconds(redisPid) - r0) * 1e6) / n };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// ---- crypto: the ceiling of bench:e2e, built the same way ------------------------------------------

async function cryptoWorkload(
  dir: string,
  redisUrl: string,
): Promise<{ one: () => Promise<unknown>; jwe: string; receipt: string }> {
  const setups = writeStateConfigs({ dir, redisUrl, ports: { USA: await freePort(), GBR: await freePort() } });
  const one = await cryptoRoundTrip(setups.USA!.configPath, setups.GBR!.configPath);
  // The sqlite skeleton stores a real JWE and receipt, so its row sizes are the gateway's.
  return { one, ...(await one()) };
}

// ---- http: undici Pool → bare express 5 / bare node:http --------------------------------------------

async function listen(server: Server): Promise<string> {
  const port = await freePort();
  server.keepAliveTimeout = 120_000; // connections survive the other workloads' rounds
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${port}`;
}

function expressServer(): Server {
  const app = express();
  app.post('/submit', express.raw({ type: '*/*', limit: '1mb' }), (req, res) => {
    const m = JSON.parse((req.body as Buffer).toString('utf8')) as { notificationId?: string };
    res.status(202).json({ id: m.notificationId ?? null, state: 'accepted' });
  });
  return createServer(app);
}

function nodeServer(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { notificationId?: string };
      const body = JSON.stringify({ id: m.notificationId ?? null, state: 'accepted' });
      res.writeHead(202, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
}

function postOnce(pool: Pool, body: string): () => Promise<void> {
  return async () => {
    const res = await pool.request({
      path: '/submit',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 202) throw new Error(`answered ${res.statusCode}`);
    JSON.parse(text);
  };
}

// ---- sqlite: the minimum a sender and a receiver must persist ------------------------------------

function openDb(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 10000'); // as open-sqlite-store.ts
  db.exec(`
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, id TEXT, at INTEGER, action TEXT, actor TEXT, message_id TEXT,
      partner TEXT, outcome TEXT, detail TEXT, prev_hash TEXT, hash TEXT) STRICT;
    CREATE TABLE outbound (id TEXT PRIMARY KEY, state TEXT, message TEXT, jwe TEXT, receipt TEXT, updated_at INTEGER) STRICT;
    CREATE TABLE inbound (id TEXT PRIMARY KEY, message TEXT, receipt TEXT, received_at INTEGER) STRICT;`);
  return db;
}

/** Appends hash-chained audit rows; the tail lives in memory, as a single writer may keep it. */
function auditAppender(db: Database.Database): (action: string, messageId: string, state: string) => void {
  const insert = db.prepare('INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let seq = 0;
  let prev = GENESIS_HASH;
  return (action, messageId, state) => {
    const event = {
      seq: seq + 1,
      id: randomUUID(),
      at: Date.now(),
      action,
      actor: 'system',
      messageId,
      partner: 'GBR',
      outcome: null,
      detail: { state },
    };
    const hash = chainHash(prev, event);
    insert.run(
      event.seq,
      event.id,
      event.at,
      action,
      event.actor,
      messageId,
      'GBR',
      null,
      JSON.stringify(event.detail),
      prev,
      hash,
    );
    seq += 1;
    prev = hash;
  };
}

function senderWrites(
  db: Database.Database,
  message: string,
  jwe: string,
  receipt: string,
): { steps: () => void; oneTx: () => void } {
  const audit = auditAppender(db);
  const insert = db.prepare('INSERT INTO outbound (id, state, message, jwe, updated_at) VALUES (?, ?, ?, ?, ?)');
  const setState = db.prepare('UPDATE outbound SET state = ?, updated_at = ? WHERE id = ?');
  const setReceipt = db.prepare("UPDATE outbound SET state = 'delivered', receipt = ?, updated_at = ? WHERE id = ?");
  // Six steps that happen at different moments (submit, worker, answer), hence six commits in the gateway.
  const plan = (id: string): (() => void)[] => [
    () => (insert.run(id, 'accepted', message, jwe, Date.now()), audit('notification.accepted', id, 'accepted')),
    () => setState.run('sealed', Date.now(), id),
    () => (setState.run('queued', Date.now(), id), audit('notification.queued', id, 'queued')),
    () => (setState.run('delivering', Date.now(), id), audit('notification.delivering', id, 'delivering')),
    () => audit('delivery.attempt', id, 'delivering'),
    () => (setReceipt.run(receipt, Date.now(), id), audit('notification.delivered', id, 'delivered')),
  ];
  const tx = db.transaction((step: () => void) => step());
  const all = db.transaction((steps: (() => void)[]) => steps.forEach((s) => s()));
  return {
    steps: () => plan(randomUUID()).forEach((s) => tx(s)),
    oneTx: () => all(plan(randomUUID())),
  };
}

function receiverWrites(db: Database.Database, message: string, receipt: string): () => void {
  const audit = auditAppender(db);
  const insert = db.prepare('INSERT INTO inbound VALUES (?, ?, ?, ?)');
  const tx = db.transaction((id: string) => {
    insert.run(id, message, receipt, Date.now());
    audit('message.received', id, 'received');
  });
  return () => tx(randomUUID());
}

// ---- main ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tnx-bench-floor-'));
  const load0 = loadavg()[0]!;
  let redis: LocalRedis | null = null;
  const servers: Server[] = [];
  const pools: Pool[] = [];
  const dbs: Database.Database[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  try {
    redis = await startRedisServer({ stderr: 'ignore' });
    const message = readFileSync(join(REPO_ROOT, 'protocol/examples/travel-notification.json'), 'utf8');
    const crypto = await cryptoWorkload(dir, redis.url);

    const urls: string[] = [];
    for (const s of [expressServer(), nodeServer()]) {
      servers.push(s);
      urls.push(await listen(s));
    }
    for (const u of urls) pools.push(new Pool(u, { connections: IN_FLIGHT, pipelining: 1 }));

    const prefix = `floor-bench-${process.pid}`;
    const queueConn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const workerConn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('floor', { connection: queueConn, prefix });
    const worker = new Worker('floor', async () => undefined, {
      connection: workerConn,
      prefix,
      concurrency: IN_FLIGHT,
    });
    const waiters = new Map<string, () => void>();
    worker.on('completed', (job) => {
      waiters.get(job.id!)?.();
      waiters.delete(job.id!);
    });
    worker.on('error', (err) => process.stderr.write(`worker error: ${err.message}\n`));
    closers.push(
      () => worker.close(),
      () => queue.close(),
      () => queueConn.quit(),
      () => workerConn.quit(),
    );
    const enqueueAndWait = async (): Promise<void> => {
      const id = randomUUID();
      const done = new Promise<void>((resolve) => waiters.set(id, resolve));
      await queue.add('deliver', { id }, { jobId: id, removeOnComplete: true });
      await done;
    };

    const senderDb = openDb(join(dir, 'sender.sqlite'));
    const receiverDb = openDb(join(dir, 'receiver.sqlite'));
    dbs.push(senderDb, receiverDb);
    const sender = senderWrites(senderDb, message, crypto.jwe, crypto.receipt);
    const receiver = receiverWrites(receiverDb, message, crypto.receipt);

    const workloads: Workload[] = [
      { name: 'crypto', run: (ms) => closedLoop(IN_FLIGHT, ms, crypto.one) },
      { name: 'http-express', run: (ms) => closedLoop(IN_FLIGHT, ms, postOnce(pools[0]!, message)) },
      { name: 'http-node', run: (ms) => closedLoop(IN_FLIGHT, ms, postOnce(pools[1]!, message)) },
      { name: 'queue', run: (ms) => closedLoop(IN_FLIGHT, ms, enqueueAndWait) },
      { name: 'sender-6tx', run: (ms) => syncLoop(ms, sender.steps) },
      { name: 'sender-1tx', run: (ms) => syncLoop(ms, sender.oneTx) },
      { name: 'receiver-1tx', run: (ms) => syncLoop(ms, receiver) },
    ];
    const log = (s: string): void => void process.stderr.write(`${s}\n`);
    log(
      `bench:floor  ${ROUNDS} rounds × ${ROUND_MS.toFixed(0)} ms per workload, warm-up ${WARM_MS} ms, redis ${redis.url}`,
    );
    for (const w of workloads) await w.run(WARM_MS); // JIT, connection pools, sqlite page cache
    const samples = new Map<string, Sample[]>(workloads.map((w) => [w.name, []]));
    // Interleaved rounds: a burst of outside load hits every workload alike, not whichever ran then.
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const w of workloads) {
        const s = await sample(w, ROUND_MS, redis.pid);
        samples.get(w.name)!.push(s);
        log(
          `round ${r + 1} ${w.name.padEnd(13)} ${s.opsPerS.toFixed(0).padStart(6)}/s  ${s.cpuUs.toFixed(0).padStart(5)} µs CPU/op${w.name === 'queue' ? `  + redis ${s.redisUs.toFixed(0)} µs` : ''}`,
        );
      }
    }

    const cpu = (name: string): number => median(samples.get(name)!.map((s) => s.cpuUs));
    const cell = (name: string, f: (s: Sample) => number): string => {
      const xs = samples.get(name)!.map(f);
      return `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
    };
    const redisQ = median(samples.get('queue')!.map((s) => s.redisUs));
    const queueUs = cpu('queue') + redisQ;
    const cryptoUs = cpu('crypto');
    const cores = cpus().length;
    const budget60 = (cryptoUs * 0.4) / 0.6;
    const budget500 = (cores * 1e6) / 500 - cryptoUs;
    const estimate = (http: string, senderTx: string) => 2 * cpu(http) + queueUs + cpu(senderTx) + cpu('receiver-1tx');
    const floors: [string, number][] = [
      ["express, sender 6 commits (the gateway's shape)", estimate('http-express', 'sender-6tx')],
      ['node:http, sender 6 commits', estimate('http-node', 'sender-6tx')],
      ['node:http, sender 1 commit (not possible in a gateway: lower bound only)', estimate('http-node', 'sender-1tx')],
    ];
    const ms = (us: number): string => `${(us / 1000).toFixed(2)} ms`;
    const row = (label: string, name: string, redisCol: string): string =>
      `| ${label} | ${cell(name, (s) => s.opsPerS)} | ${cell(name, (s) => s.cpuUs)} | ${redisCol} |`;
    const out = [
      `### ${new Date().toISOString().slice(0, 16).replace('T', ', ')} UTC — ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}, load average ${load0.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end`,
      '',
      `${ROUNDS} interleaved rounds of ${ROUND_MS.toFixed(0)} ms per workload after a ${WARM_MS} ms warm-up; median round (min–max). CPU = user+system of this process (libuv threads included); redis-server from /proc. Message ${Buffer.byteLength(message)} B, JWE ${crypto.jwe.length} B, receipt ${crypto.receipt.length} B.`,
      '',
      '| workload | ops/s | µs CPU per op, this process | µs CPU per op, redis-server |',
      '|---|---|---|---|',
      row(`crypto: seal + open + signReceipt + verifyReceipt, ${IN_FLIGHT} in flight`, 'crypto', '—'),
      row(
        `HTTP POST round trip, undici Pool → express 5 (raw + JSON.parse + 202 JSON), ${IN_FLIGHT} in flight`,
        'http-express',
        '—',
      ),
      row(`HTTP POST round trip, undici Pool → node:http, ${IN_FLIGHT} in flight`, 'http-node', '—'),
      row(
        `BullMQ job: add + no-op Worker (concurrency ${IN_FLIGHT}) + removeOnComplete, ${IN_FLIGHT} in flight`,
        'queue',
        cell('queue', (s) => s.redisUs),
      ),
      row(
        'SQLite sender minimum: 1 INSERT, 4 UPDATEs (1 with the receipt), 5 chained audit rows; 6 commits',
        'sender-6tx',
        '—',
      ),
      row('SQLite sender minimum, the same in 1 commit', 'sender-1tx', '—'),
      row('SQLite receiver minimum: 1 INSERT (message + receipt), 1 chained audit row; 1 commit', 'receiver-1tx', '—'),
      '',
      `Floor of one notification's non-crypto plumbing = 2 HTTP round trips + 1 queue job (Node ${cpu('queue').toFixed(0)} + redis ${redisQ.toFixed(0)} µs) + sender writes + receiver writes. Crypto ${ms(cryptoUs)} per notification. Budgets: ≥ 60 % of the ceiling leaves 0.67 × crypto = ${ms(budget60)}; ≥ 500/s on ${cores} cores leaves ${cores * 2} ms − crypto = ${ms(budget500)}.`,
      '',
      '| floor variant | non-crypto CPU | of the 60 % budget | of the 500/s budget | best possible: share of ceiling, notifications/s on all cores |',
      '|---|---|---|---|---|',
      ...floors.map(
        ([label, us]) =>
          `| ${label} | ${ms(us)} | ${((100 * us) / budget60).toFixed(0)} % | ${((100 * us) / budget500).toFixed(0)} % | ${((100 * cryptoUs) / (cryptoUs + us)).toFixed(0)} %, ${((cores * 1e6) / (cryptoUs + us)).toFixed(0)}/s |`,
      ),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    for (const c of closers) await c().catch(() => undefined);
    for (const p of pools) await p.close();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    for (const db of dbs) db.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
