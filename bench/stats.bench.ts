/**
 * `npm run bench:stats` — statistics over 1,000,000 notifications in SQLite (issue 5 §5).
 *
 *   Builds a store with N outbound TravelNotifications (default 1,000,000) spread over two years
 *   (2025–2026) to 20 destinations with a skewed share, in the delivery outcomes a gateway produces
 *   (delivered on time / late / after departure, failed, no channel, still in flight), 15% found by
 *   manifest, 20% of self-reports late; plus N/4 received notifications from 20 origins and N/10
 *   follow-ups each way. Rows are bulk-inserted with the adapter's own tables and triggers (the
 *   statistics columns are filled by migration 10's triggers, as in production), 50,000 per
 *   transaction, on a raw connection to the file the adapter migrated.
 *
 *   Then the full report for the one-year range 2026-01-01..2027-01-01 (what GET /api/v1/stats and
 *   `tnx stats` run: sent and received, counts, percentiles, follow-ups) is timed R times after W
 *   warm-up runs, through the adapter.                                   target p99 ≤ 500 ms
 *
 * Options: --notifications N  --runs R  --warmup W  --keep (leave the temp folder)
 * Prints a Markdown block for BENCHMARKS.md.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { buildStatsReport } from '../src/features/statistics/report.js';
import { openSqliteStore } from '../src/adapters/store-sqlite/open-sqlite-store.js';

const { values } = parseArgs({
  options: {
    notifications: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.notifications);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);

const PARTNERS = Array.from({ length: 20 }, (_, i) => `X${String.fromCharCode(65 + i)}${String.fromCharCode(90 - i)}`);
const T0 = Date.parse('2025-01-01T00:00:00Z');
const SPAN = Date.parse('2027-01-01T00:00:00Z') - T0;
const HOUR = 3_600_000;
const YEAR = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') };
const BATCH = 50_000;

// Deterministic PRNG (mulberry32) so every run builds the same data.
let seed = 0x5eed;
function rnd(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/** Skewed pick: a few destinations take most trips (Zipf-like). */
const partner = (): string => PARTNERS[Math.min(PARTNERS.length - 1, Math.floor(PARTNERS.length * rnd() ** 2.5))]!;
const ACTIONS = [
  'none',
  'monitored',
  'interviewed',
  'visa_refused',
  'entry_denied',
  'subject_did_not_arrive',
  'investigation_opened',
  'other',
];

function fill(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const out =
    db.prepare(`INSERT INTO outbound (id, message_type, notification_id, partner, state, submitted_by, request_hash, message, source,
      departure_at, created_at, updated_at, delivered_at, lead_time_seconds, timeliness, version)
    VALUES (?, ?, ?, ?, ?, 'bench', 'h', ?, ?, ?, ?, ?, ?, ?, ?, 1)`);
  const inb =
    db.prepare(`INSERT INTO inbound (id, iss, jti, message_type, notification_id, message, digest, received_at, receipt_jws, departure_at)
    VALUES (?, ?, ?, ?, ?, ?, 'd', ?, 'r', ?)`);
  const outboundBatch = db.transaction((count: number) => {
    for (let i = 0; i < count; i += 1) {
      const created = T0 + Math.floor(rnd() * SPAN);
      const departure = created + Math.floor((2 + rnd() * 40 * 24) * HOUR);
      const manifest = rnd() < 0.15;
      const late = !manifest && rnd() < 0.2;
      const r = rnd();
      let state = 'delivered';
      if (r > 0.95) state = 'queued';
      else if (r > 0.85) state = 'no_channel';
      else if (r > 0.8) state = 'failed';
      let deliveredAt: number | null = null;
      let lead: number | null = null;
      let timeliness: string | null = null;
      if (state === 'delivered') {
        deliveredAt = created + Math.floor(rnd() * (rnd() < 0.05 ? 60 * 24 : 6) * HOUR);
        lead = Math.round((departure - deliveredAt) / 1000);
        timeliness = lead >= 86_400 ? 'on_time' : lead > 0 ? 'late' : 'after_departure';
      }
      const id = randomUUID();
      out.run(
        id,
        'TravelNotification',
        id,
        partner(),
        state,
        JSON.stringify({ report: { late } }),
        manifest ? 'manifest_match' : 'self_report',
        departure,
        created,
        created,
        deliveredAt,
        lead,
        timeliness,
      );
    }
  });
  const inboundBatch = db.transaction((count: number) => {
    for (let i = 0; i < count; i += 1) {
      const received = T0 + Math.floor(rnd() * SPAN);
      const id = randomUUID();
      if (i % 3 === 0) {
        inb.run(
          id,
          partner(),
          id,
          'FollowUpReport',
          randomUUID(),
          JSON.stringify({ action: ACTIONS[Math.floor(rnd() * ACTIONS.length)] }),
          received,
          null,
        );
      } else {
        const kind = rnd() < 0.15 ? 'manifest_match' : 'self_report';
        inb.run(
          id,
          partner(),
          id,
          'TravelNotification',
          id,
          JSON.stringify({ source: { kind }, report: { late: rnd() < 0.2 } }),
          received,
          received + Math.floor((rnd() * 30 * 24 - 2) * HOUR),
        );
      }
    }
  });
  const followUpBatch = db.transaction((count: number) => {
    for (let i = 0; i < count; i += 1) {
      const created = T0 + Math.floor(rnd() * SPAN);
      const id = randomUUID();
      out.run(
        id,
        'FollowUpReport',
        randomUUID(),
        partner(),
        'delivered',
        JSON.stringify({ action: ACTIONS[Math.floor(rnd() * ACTIONS.length)] }),
        null,
        null,
        created,
        created,
        created,
        null,
        null,
      );
    }
  });
  for (let done = 0; done < N; done += BATCH) outboundBatch(Math.min(BATCH, N - done));
  const inboundN = Math.floor(N / 4) + Math.floor(N / 8);
  for (let done = 0; done < inboundN; done += BATCH) inboundBatch(Math.min(BATCH, inboundN - done));
  for (let done = 0; done < N / 10; done += BATCH) followUpBatch(Math.min(BATCH, N / 10 - done));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tnx-bench-stats-'));
  const path = join(dir, 'stats.sqlite');
  try {
    await (await openSqliteStore({ path })).close(); // migrate
    const t0 = performance.now();
    fill(path);
    const buildS = (performance.now() - t0) / 1000;
    const store = await openSqliteStore({ path });
    const times: number[] = [];
    let report: Awaited<ReturnType<typeof buildStatsReport>> | null = null;
    for (let i = 0; i < WARMUP + RUNS; i += 1) {
      const s = performance.now();
      report = await buildStatsReport(store, YEAR, 24);
      if (i >= WARMUP) times.push(performance.now() - s);
    }
    await store.close();
    times.sort((a, b) => a - b);
    const [p50, p99, max] = [pct(times, 0.5), pct(times, 0.99), times.at(-1)!];
    const r = report!;
    const md = [
      `### ${new Date().toISOString().slice(0, 16).replace('T', ', ')} UTC — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()[0]!.toFixed(1)}`,
      '',
      `Store: ${N.toLocaleString('en')} sent notifications over 2025–2026 + ${Math.floor(N / 4).toLocaleString('en')} received notifications + follow-ups (${(statSync(path).size / 2 ** 20).toFixed(0)} MiB SQLite file, built in ${buildS.toFixed(0)} s).`,
      `One-year range (2026): ${r.sent.total.notifications.toLocaleString('en')} sent, ${r.received.total.notifications.toLocaleString('en')} received, ${r.sent.byDestination.length} destinations.`,
      '',
      '| full report (sent + received), one-year range | p50 | p99 | max | target |',
      '|---|---:|---:|---:|---:|',
      `| ${RUNS} runs after ${WARMUP} warm-up | ${p50.toFixed(0)} ms | ${p99.toFixed(0)} ms | ${max.toFixed(0)} ms | p99 ≤ 500 ms ${p99 <= 500 ? '✔' : '✘'} |`,
    ].join('\n');
    console.log(md);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

await main();
