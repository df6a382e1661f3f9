/**
 * `npm run bench:console` — the console's first pages over a store of 1,000,000 notifications and
 * 1,000,000 audit events, measured through real HTTP with a real console session.
 *
 *   Seeding (raw SQLite on the file the adapter migrated, prepared statements, 50,000 rows per
 *   transaction; the statistics triggers of the schema run as in production):
 *   - outbound: BENCH_NOTIFICATIONS rows (default 1,000,000) over the 24 months up to now, created_at
 *     rising with the row number; 90 % TravelNotification, 6 % TravelUpdate, 4 % FollowUpReport (those
 *     two name an earlier notification); 20 destinations with a skewed share; states delivered 82 %,
 *     no_channel 8 %, failed 6 %, cancelled 4 % (no live state: the orphan sweep would try to deliver
 *     them to partners that do not exist); delivered rows carry a lead time and its timeliness
 *     (on_time / late / after_departure by the gateway's 24 h rule). The message is the protocol's
 *     example TravelNotification (2.6 kB) with its ids replaced.
 *   - delivery_attempts: one per delivered message, three per failed one.
 *   - inbound: a FollowUpReport back from the destination for 2 % of the delivered notifications.
 *   - audit_events: BENCH_AUDIT_EVENTS (default 1,000,000) as a hash chain that verifies
 *     (src/domain/audit/chain.ts computes every hash): groups of six per message — accepted, sealed,
 *     queued, delivery.attempt, delivered (or failed), and one of audit.queried / message.received /
 *     notification.at_risk / personal_data.read — `at` rising with seq, spread over the same months.
 *   Then the gateway starts on that file as `tnx serve` would (src/runtime/run-gateway.ts) with the
 *   console configured; the session is made through the console's own session store (Redis), the same
 *   record the OIDC callback writes, and its cookie is sent with every request.
 *
 *   Each page is requested BENCH_REQUESTS times (default 200) after BENCH_WARMUP (default 10), one at
 *   a time, time to the last byte of the body:
 *     deliveries (no filter), deliveries filtered (partner + timeliness + one quarter), delivery
 *     detail (200 different delivered messages with audit events), audit trail (no filter), audit
 *     filtered (action + partner + one quarter), alerts, statistics.   target p99 ≤ 150 ms
 *
 * Knobs: BENCH_NOTIFICATIONS, BENCH_AUDIT_EVENTS, BENCH_REQUESTS, BENCH_WARMUP, BENCH_KEEP=1 (leave
 * the temp folder), BENCH_DB=<kept usa.sqlite> (measure again without seeding; the adapter migrates
 * it first, so a new index is built on it), BENCH_EXPLAIN=1 (print SQLite's plan of every list query the pages run).
 * Prints a Markdown block for BENCHMARKS.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chainHash, GENESIS_HASH } from '../src/domain/audit/chain.js';
import { openSqliteStore } from '../src/adapters/store-sqlite/open-sqlite-store.js';
import { redisSessionStore } from '../src/adapters/session-redis/redis-session-store.js';
import { loadConfigFile } from '../src/config/load.js';
import { startGateway } from '../src/runtime/run-gateway.js';
import { freePort, startRedisServer } from '../src/runtime/redis-server.js';
import { REPO_ROOT, writeStateConfigs } from '../src/cli/demo/two-states.js';

const N = Number(process.env.BENCH_NOTIFICATIONS ?? 1_000_000);
const NA = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const BATCH = 50_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const T0 = NOW - 730 * DAY;
const SPAN = NOW - T0 - HOUR;

const PARTNERS = [
  'GBR', 'FRA', 'DEU', 'THA', 'ESP', 'ITA', 'NLD', 'CAN', 'AUS', 'JPN',
  'MEX', 'BRA', 'IND', 'PHL', 'VNM', 'KHM', 'IDN', 'KEN', 'ZAF', 'NZL',
]; // prettier-ignore
const ACTIONS = ['none', 'monitored', 'interviewed', 'visa_refused', 'entry_denied', 'investigation_opened'];

/** A deterministic value in [0, 1) per (row, salt): every run builds the same data. */
function h(i: number, salt: number): number {
  let t = (i * 0x9e3779b1 + salt * 0x85ebca6b) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/** A UUID-shaped id per row number and kind (version 4 and variant bits in place). */
function uid(kind: number, i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}
const createdAt = (i: number): number => T0 + Math.floor((i / N) * SPAN);
const partnerOf = (i: number): string =>
  PARTNERS[Math.min(PARTNERS.length - 1, Math.floor(PARTNERS.length * h(i, 1) ** 2.5))]!;
const typeOf = (i: number): string => {
  const r = h(i, 2);
  return r < 0.9 ? 'TravelNotification' : r < 0.96 ? 'TravelUpdate' : 'FollowUpReport';
};
const stateOf = (i: number): string => {
  const r = h(i, 3);
  return r < 0.82 ? 'delivered' : r < 0.9 ? 'no_channel' : r < 0.96 ? 'failed' : 'cancelled';
};

function fill(path: string): { detailIds: string[] } {
  const example = readFileSync(join(REPO_ROOT, 'protocol/examples/travel-notification.json'), 'utf8');
  const exampleFu = readFileSync(join(REPO_ROOT, 'protocol/examples/follow-up-report.json'), 'utf8');
  const exampleId = (JSON.parse(example) as { notificationId: string }).notificationId;
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const out = db.prepare(`INSERT INTO outbound (id, message_type, notification_id, partner, state, submitted_by,
      request_hash, message, source, departure_at, jwe, created_at, updated_at, queued_at, delivered_at, receipt_digest,
      lead_time_seconds, timeliness, attempts, last_error, at_risk_alerted_at, report_late, followup_action, version)
    VALUES (@id, @type, @nid, @partner, @state, 'national-system', 'h', @message, 'self_report', @departure, NULL,
      @created, @updated, @queued, @delivered, @digest, @lead, @timeliness, @attempts, @lastError, NULL, @late, @action, 3)`);
  const att =
    db.prepare(`INSERT INTO delivery_attempts (message_id, attempt, started_at, duration_ms, http_status, error, outcome, may_have_reached)
    VALUES (?, ?, ?, ?, ?, ?, ?, 1)`);
  const inb =
    db.prepare(`INSERT INTO inbound (id, iss, jti, message_type, notification_id, message, digest, received_at,
      receipt_jws, departure_at, source_kind, report_late, followup_action)
    VALUES (?, ?, ?, 'FollowUpReport', ?, ?, 'd', ?, 'r', NULL, NULL, NULL, ?)`);
  const outboundBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i += 1) {
      const id = uid(1, i);
      const type = typeOf(i);
      const created = createdAt(i);
      const partner = partnerOf(i);
      const state = stateOf(i);
      // Updates and follow-ups name an earlier notification (any row before this one).
      const nid = type === 'TravelNotification' ? id : uid(1, Math.floor(h(i, 4) * i));
      const departure = created + Math.floor((6 + h(i, 5) * 30 * 24) * HOUR);
      let delivered: number | null = null;
      let lead: number | null = null;
      let timeliness: string | null = null;
      if (state === 'delivered') {
        delivered = created + Math.floor(h(i, 6) * (h(i, 7) < 0.06 ? 60 * 24 : 4) * HOUR);
        lead = Math.round((departure - delivered) / 1000);
        timeliness = lead >= 86_400 ? 'on_time' : lead > 0 ? 'late' : 'after_departure';
      }
      const late = type === 'TravelNotification' ? (h(i, 8) < 0.2 ? 1 : 0) : null;
      const action = type === 'FollowUpReport' ? ACTIONS[Math.floor(h(i, 9) * ACTIONS.length)]! : null;
      out.run({
        id,
        type,
        nid,
        partner,
        state,
        message: example.replaceAll(exampleId, nid),
        departure: type === 'FollowUpReport' ? null : departure,
        created,
        updated: delivered ?? created + 60_000,
        queued: state === 'no_channel' ? null : created + 40,
        delivered,
        digest: delivered ? randomBytes(32).toString('base64url') : null,
        lead,
        timeliness,
        attempts: state === 'delivered' ? 1 : state === 'failed' ? 3 : 0,
        lastError: state === 'failed' ? 'HTTP 503 from the partner inbox' : null,
        late,
        action,
      });
      if (state === 'delivered') att.run(id, 1, created + 50, 40 + h(i, 10) * 200, 200, null, 'delivered');
      if (state === 'failed') {
        att.run(id, 1, created + 50, 30 + h(i, 10) * 100, 503, 'HTTP 503', 'retry');
        att.run(id, 2, created + 60_050, 30 + h(i, 11) * 100, 503, 'HTTP 503', 'retry');
        att.run(id, 3, created + 300_050, 30 + h(i, 12) * 100, 503, 'HTTP 503', 'failed');
      }
      if (state === 'delivered' && type === 'TravelNotification' && h(i, 13) < 0.02) {
        const act = ACTIONS[Math.floor(h(i, 14) * ACTIONS.length)]!;
        const at = departure + Math.floor(h(i, 15) * 3 * DAY);
        const msg = JSON.parse(exampleFu) as Record<string, unknown>;
        Object.assign(msg, {
          followUpId: uid(3, i),
          notificationId: id,
          origin: partner,
          destination: 'USA',
          action: act,
        });
        msg.actionAt = new Date(at).toISOString();
        inb.run(uid(3, i), partner, uid(4, i), id, JSON.stringify(msg), Math.min(at + HOUR, NOW), act);
      }
    }
  });
  let t = Date.now();
  for (let from = 0; from < N; from += BATCH) outboundBatch(from, Math.min(N, from + BATCH));
  console.error(`seeded ${N} outbound rows (+ attempts, follow-ups) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // The audit chain: groups of six events per message, hashes computed as every writer does.
  const ev =
    db.prepare(`INSERT INTO audit_events (seq, id, at, action, actor, message_id, partner, outcome, detail, prev_hash, hash)
    VALUES (@seq, @id, @at, @action, @actor, @messageId, @partner, @outcome, @detail, @prevHash, @hash)`);
  const groups = Math.ceil(NA / 6);
  const stride = Math.max(1, Math.floor(N / groups));
  let prev = GENESIS_HASH;
  const detailIds: string[] = [];
  const auditBatch = db.transaction((from: number, to: number) => {
    for (let seq = from; seq < to; seq += 1) {
      const g = Math.floor((seq - 1) / 6);
      const k = (seq - 1) % 6;
      const i = Math.min(N - 1, g * stride);
      const messageId = uid(1, i);
      const partner = partnerOf(i);
      const at = createdAt(i) + k * 20;
      const failed = stateOf(i) === 'failed';
      let action: string;
      let actor = 'system';
      let outcome: string | null = 'ok';
      let detail: Record<string, unknown> | null = null;
      let mid: string | null = messageId;
      let part: string | null = partner;
      switch (k) {
        case 0:
          action = 'notification.accepted';
          actor = 'national-system';
          break;
        case 1:
          action = 'notification.sealed';
          break;
        case 2:
          action = 'notification.queued';
          break;
        case 3:
          action = 'delivery.attempt';
          detail = { attempt: 1, outcome: failed ? 'retry' : 'delivered' };
          break;
        case 4:
          action = failed ? 'notification.failed' : 'notification.delivered';
          outcome = failed ? 'partner_unavailable' : 'ok';
          break;
        default: {
          const r = h(g, 16);
          if (r < 0.05) {
            action = 'notification.at_risk';
            outcome = 'departure_soon';
          } else if (r < 0.45) {
            action = 'audit.queried';
            actor = 'oidc:auditor-1';
            detail = { view: 'notifications', count: 50 };
            mid = null;
            part = null;
          } else if (r < 0.8) {
            action = 'message.received';
            actor = partner;
            mid = uid(5, g);
          } else {
            action = 'personal_data.read';
            actor = 'poc-desk';
            detail = { purpose: 'border check' };
          }
        }
      }
      const e = { seq, id: uid(2, seq), at, action, actor, messageId: mid, partner: part, outcome, detail };
      const hash = chainHash(prev, e);
      ev.run({ ...e, detail: detail ? JSON.stringify(detail) : null, prevHash: prev, hash });
      prev = hash;
      if (k === 4 && !failed && detailIds.length < 200 && h(g, 17) < 0.01) detailIds.push(messageId);
    }
  });
  t = Date.now();
  for (let from = 1; from <= NA; from += BATCH) auditBatch(from, Math.min(NA + 1, from + BATCH));
  console.error(`seeded ${NA} audit events (hash chain) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  db.exec('ANALYZE');
  db.close();
  return { detailIds };
}

/** Delivered messages with audit events, from a kept file (BENCH_DB). */
function seededDetailIds(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      `SELECT message_id AS id FROM audit_events WHERE action = 'notification.delivered' AND seq % 97 = 0 LIMIT 200`,
    )
    .all() as { id: string }[];
  db.close();
  return rows.map((r) => r.id);
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tnx-bench-console-'));
  const redis = await startRedisServer({ stderr: 'ignore' });
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const setups = writeStateConfigs({
      dir,
      redisUrl: redis.url,
      ports: { USA: port },
      overrides: {
        log: { level: 'warn' },
        // Never contacted: the session is made through the session store, not by signing in.
        console: {
          issuer: 'http://127.0.0.1:9/',
          clientId: 'bench',
          clientSecret: 'bench-secret',
          publicBaseUrl: origin,
          roleClaim: 'tnx_role',
          roles: { auditor: 'auditor' },
        },
      },
    });
    const setup = setups.USA!;
    const reuse = process.env.BENCH_DB;
    const dbPath = reuse ?? setup.sqlitePath;
    // The adapter creates (or migrates) the schema: a kept file from an earlier run gets new indexes here.
    const store = await openSqliteStore({ path: dbPath });
    await store.close();
    const detailIds = reuse ? seededDetailIds(reuse) : fill(dbPath).detailIds;
    const dbBytes = statSync(dbPath).size;

    const loaded = loadConfigFile(setup.configPath, { ...process.env, REDIS_URL: redis.url });
    const config = { ...loaded, store: { ...loaded.store, sqlitePath: dbPath } };
    const gw = await startGateway(config);
    const sessions = redisSessionStore({ url: redis.url, prefix: config.redis.prefix });
    const sid = randomBytes(32).toString('base64url');
    const now = Date.now();
    await sessions.put(
      sid,
      {
        kind: 'user',
        actor: 'oidc:bench-auditor',
        name: 'Bench auditor',
        roles: ['auditor'],
        csrf: randomBytes(32).toString('base64url'),
        createdAt: now,
        lastSeenAt: now,
      },
      3600,
    );
    await sessions.close();
    const cookie = `tnx_session=${sid}`;

    const quarterFrom = new Date(NOW - 200 * DAY).toISOString().slice(0, 10);
    const quarterTo = new Date(NOW - 110 * DAY).toISOString().slice(0, 10);
    const PAGES: { name: string; path: (k: number) => string; expect: RegExp }[] = [
      { name: 'deliveries', path: () => '/console/deliveries', expect: /50 messages \(more on the next page\)/ },
      {
        name: 'deliveries?partner&timeliness&period',
        path: () => `/console/deliveries?partner=FRA&timeliness=late&from=${quarterFrom}&to=${quarterTo}`,
        expect: /messages|message/,
      },
      {
        name: 'delivery detail',
        path: (k) => `/console/deliveries/${detailIds[k % detailIds.length]!}`,
        expect: /Audit events about this message/,
      },
      { name: 'audit trail', path: () => '/console/audit', expect: /Events, newest first/ },
      {
        name: 'audit?action&partner&period',
        path: () => `/console/audit?action=notification.delivered&partner=FRA&from=${quarterFrom}&to=${quarterTo}`,
        expect: /notification\.delivered/,
      },
      { name: 'alerts', path: () => '/console/alerts', expect: /notification|Failed deliveries/ },
      { name: 'statistics', path: () => '/console/statistics', expect: /<img/ },
    ];
    if (detailIds.length === 0) throw new Error('no delivered message with audit events was seeded');
    const rows: string[] = [];
    let worst = 0;
    for (const p of PAGES) {
      const times: number[] = [];
      for (let k = 0; k < WARMUP + REQUESTS; k += 1) {
        const t = performance.now();
        const res = await fetch(origin + p.path(k), { headers: { cookie }, redirect: 'manual' });
        const text = await res.text();
        const ms = performance.now() - t;
        if (res.status !== 200 || !p.expect.test(text))
          throw new Error(
            `${p.name}: HTTP ${res.status}, body does not match ${String(p.expect)}: ${text.slice(0, 300)}`,
          );
        if (k >= WARMUP) times.push(ms);
      }
      times.sort((a, b) => a - b);
      const [p50, p95, p99] = [pct(times, 50), pct(times, 95), pct(times, 99)];
      worst = Math.max(worst, p99);
      rows.push(
        `| ${p.name} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${p99.toFixed(1)} | ${p99 <= 150 ? 'yes' : '**no**'} |`,
      );
      console.error(`${p.name}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    }
    await gw.close();

    if (process.env.BENCH_EXPLAIN === '1') explain(dbPath, quarterFrom, quarterTo);
    const load = loadavg().map((l) => l.toFixed(2));
    console.log(`### Console first pages, ${new Date().toISOString().slice(0, 10)} (bench/console.bench.ts)

${N.toLocaleString('en')} notifications, ${NA.toLocaleString('en')} audit events (SQLite file ${(dbBytes / 1e9).toFixed(2)} GB);
${REQUESTS} requests per page after ${WARMUP} warm-up, one at a time over HTTP with a console session;
Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${load.join(' ')} at the end.

| page | p50 ms | p95 ms | p99 ms | p99 ≤ 150 ms |
|---|---|---|---|---|
${rows.join('\n')}
`);
    process.exitCode = worst <= 150 ? 0 : 1;
  } finally {
    await redis.stop();
    if (process.env.BENCH_KEEP === '1') console.error(`kept ${dir} (BENCH_DB=${join(dir, 'usa.sqlite')} reuses it)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** SQLite's plans of the pages' list queries (what the adapters run, spelt out). */
function explain(path: string, from: string, to: string): void {
  const db = new Database(path, { readonly: true });
  const f = Date.parse(from);
  const t = Date.parse(to);
  const plans: [string, string][] = [
    ['deliveries', `SELECT id FROM outbound ORDER BY created_at DESC, id DESC LIMIT 51`],
    [
      'deliveries filtered',
      `SELECT id FROM outbound WHERE partner = 'FRA' AND timeliness = 'late' AND created_at >= ${f} AND created_at < ${t} ORDER BY created_at DESC, id DESC LIMIT 51`,
    ],
    ['follow-ups of one', `SELECT id FROM inbound WHERE notification_id = 'x' AND message_type = 'FollowUpReport'`],
    [
      // The statistics page's costly part: a lead-time percentile seek (stats-repo.ts `at`), per partner.
      'statistics: percentile seek',
      `SELECT lead_time_seconds FROM outbound INDEXED BY ix_outbound_stats_lead WHERE message_type = 'TravelNotification'
        AND state = 'delivered' AND created_at >= ${f} AND created_at < ${t} AND partner = 'FRA'
        AND lead_time_seconds IS NOT NULL ORDER BY lead_time_seconds LIMIT 1 OFFSET 100`,
    ],
  ];
  for (const [name, sql] of plans) {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
    console.error(`${name}: ${rows.map((r) => r.detail).join(' / ')}`);
  }
  db.close();
}

await main();
