import assert from 'node:assert/strict';
import { until } from '../harness/poll.js';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { isTnxError } from '../../src/core/errors.js';
import { planAuditQuery } from '../../src/adapters/store-common/audit-plan.js';
import { encodeAtSeqCursor, encodeSeqCursor } from '../../src/adapters/store-common/paging.js';
import type { AuditFilter } from '../../src/ports/store/index.js';
import { auditQuerySql } from '../../src/adapters/store-sqlite/audit-query.js';
import { MIGRATIONS } from '../../src/adapters/store-sqlite/migrations.js';
import { ACTIVE_CREATED_SQL } from '../../src/adapters/store-sqlite/travel-report-repo.js';
import { openSqliteStore } from '../../src/adapters/store-sqlite/open-sqlite-store.js';
import { tempDir } from '../harness/tmp.js';
import { runStoreConformance, verifyWholeChain } from './conformance.js';
import { runManifestConformance } from './manifest-conformance.js';
import { runRegistryConformance } from './registry-conformance.js';

const here = fileURLToPath(new URL('.', import.meta.url));

const conformanceFile = join(tempDir('tnx-store'), 'conformance.sqlite');
runStoreConformance('sqlite', () => openSqliteStore({ path: conformanceFile }));
runManifestConformance('sqlite', () => openSqliteStore({ path: conformanceFile }));
runRegistryConformance('sqlite', () => openSqliteStore({ path: conformanceFile }));

describe('sqlite store specifics', function () {
  this.timeout(60_000);

  it('opens in WAL mode with the pragmas documented, and records every migration once', async () => {
    const path = join(tempDir('tnx-store'), 'pragmas.sqlite');
    // Several openers of a fresh file at once: exactly one migrates, none fails.
    const stores = await Promise.all([1, 2, 3, 4].map(() => openSqliteStore({ path })));
    for (const s of stores) await s.close();
    const again = await openSqliteStore({ path });
    await again.close();
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as {
        version: number;
      }[];
      assert.deepEqual(
        versions.map((v) => v.version),
        MIGRATIONS.map((m) => m.version),
      );
      const indexes = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
      for (const ix of [
        'ux_outbound_idem',
        'ux_inbound_jti',
        'ux_audit_id',
        'ix_outbound_state',
        'ix_outbound_at_risk',
        'ix_audit_action_at',
        'ix_audit_at',
        'ix_travel_reports_active',
      ]) {
        assert.ok(indexes.includes(ix), `index ${ix} exists`);
      }
    } finally {
      db.close();
    }
  });

  it("uses an index (no full scan) for the port's filtered queries", () => {
    const path = join(tempDir('tnx-store'), 'plans.sqlite');
    return openSqliteStore({ path }).then(async (s) => {
      await s.close();
      const db = new Database(path, { readonly: true });
      try {
        const plan = (sql: string) =>
          (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);
        const cases: [string, RegExp][] = [
          [
            "SELECT * FROM outbound WHERE partner = 'FRA' ORDER BY created_at DESC, id DESC LIMIT 50",
            /ix_outbound_partner/,
          ],
          [
            "SELECT * FROM outbound WHERE submitted_by = 'tok-1' ORDER BY created_at DESC, id DESC LIMIT 50",
            /ix_outbound_submitter/,
          ],
          [
            "SELECT * FROM outbound WHERE state = 'accepted' AND created_at < 5 ORDER BY created_at, id LIMIT 50",
            /ix_outbound_state/,
          ],
          // the adapter's statement names the partial index; preparing it proves the index can serve it
          [
            "SELECT * FROM outbound INDEXED BY ix_outbound_at_risk WHERE at_risk_alerted_at IS NULL AND state IN ('accepted','queued','delivering','retrying') AND departure_at < 5 ORDER BY departure_at, id LIMIT 5",
            /ix_outbound_at_risk \(departure_at<\?\)$/,
          ],
          ["SELECT * FROM inbound WHERE iss = 'FRA' AND jti = 'x'", /ux_inbound_jti/],
          ["SELECT * FROM audit_events WHERE action = 'a.b' ORDER BY seq DESC LIMIT 50", /ix_audit_action/],
          ["SELECT * FROM audit_events WHERE message_id = 'm' ORDER BY seq DESC LIMIT 50", /ix_audit_message/],
          ['SELECT * FROM audit_events WHERE at >= 1 AND at < 2 ORDER BY at DESC, seq DESC LIMIT 50', /ix_audit_at/],
        ];
        for (const [sql, re] of cases) {
          const p = plan(sql);
          assert.match(p.join(' | '), re, sql);
          for (const step of p) assert.doesNotMatch(step, /^SCAN \w+$/, `full table scan in: ${sql}`);
        }
      } finally {
        db.close();
      }
    });
  });

  it("pages the recovery job's active travel reports from the partial index, in order, without a sort", async () => {
    const path = join(tempDir('tnx-store'), 'travel-plans.sqlite');
    await (await openSqliteStore({ path })).close();
    const db = new Database(path, { readonly: true });
    try {
      const steps = (
        db.prepare(`EXPLAIN QUERY PLAN ${ACTIVE_CREATED_SQL}`).all({ at: 1, id: 'x', to: 2, limit: 500 }) as {
          detail: string;
        }[]
      ).map((r) => r.detail);
      assert.equal(steps.length, 1, steps.join(' | '));
      assert.match(steps[0]!, /^SEARCH travel_reports USING INDEX ix_travel_reports_active \(/, steps[0]);
      assert.doesNotMatch(steps[0]!, /TEMP B-TREE/);
    } finally {
      db.close();
    }
  });

  it('answers every combination of audit filters from one index in sort order: no sort step, no full scan', async () => {
    const path = join(tempDir('tnx-store'), 'audit-plans.sqlite');
    await (await openSqliteStore({ path })).close();
    const db = new Database(path, { readonly: true });
    try {
      const values: Required<AuditFilter> = {
        messageId: 'm',
        partner: 'FRA',
        action: 'a.b',
        actor: 'poc',
        from: 1,
        to: 2,
      };
      const fields = Object.keys(values) as (keyof AuditFilter)[];
      const leadColumn = { messageId: 'message_id', partner: 'partner', actor: 'actor', action: 'action' } as const;
      let checked = 0;
      for (let mask = 0; mask < 1 << fields.length; mask++) {
        const filter: AuditFilter = {};
        for (const [i, f] of fields.entries()) if (mask & (1 << i)) Object.assign(filter, { [f]: values[f] });
        const timed = filter.from !== undefined || filter.to !== undefined;
        const filtered = Object.keys(filter).length > 0; // any filter orders by (at, seq): audit-plan.ts
        for (const cursor of [null, filtered ? encodeAtSeqCursor({ at: 1, seq: 9 }) : encodeSeqCursor(9)]) {
          const plan = planAuditQuery(filter, cursor);
          const { sql, params } = auditQuerySql(filter, plan, 101);
          const steps = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map(
            (r) => r.detail,
          );
          const where = `${JSON.stringify(filter)} cursor=${cursor !== null}: ${steps.join(' | ')}`;
          assert.equal(steps.length, 1, `one step, no sort: ${where}`);
          const step = steps[0] as string;
          assert.doesNotMatch(step, /TEMP B-TREE/, where);
          if (!filtered) {
            // no filter at all: the table in rowid (= seq) order, read from the end and cut by LIMIT
            assert.match(
              step,
              cursor ? /^SEARCH audit_events USING INTEGER PRIMARY KEY \(rowid<\?\)$/ : /^SCAN audit_events$/,
              where,
            );
            continue;
          }
          const index =
            plan.lead === null ? 'ix_audit_at' : `ix_audit_${plan.lead === 'messageId' ? 'message' : plan.lead}_at`;
          // SEARCH on the chosen index, bounded by the lead equality (and the time range / cursor)
          const lead = plan.lead === null ? '' : `${leadColumn[plan.lead]}=\\?`;
          assert.match(step, new RegExp(`^SEARCH audit_events USING INDEX ${index} \\(${lead}`), where);
          if (timed && plan.lead !== null) assert.match(step, /AND at[<>]/, `time range bounds the index: ${where}`);
          // a later page starts at the cursor: the index scan's upper bound on at (or seq) is set
          if (cursor) assert.match(step, /at<\?\)$/, `cursor bounds the index: ${where}`);
          checked += 1;
        }
      }
      assert.equal(checked, 2 * 63, 'every non-empty filter set, with and without a cursor');
    } finally {
      db.close();
    }
  });

  it('keeps one gapless, verifiable chain with three PROCESSES appending to the same file', async () => {
    const path = join(tempDir('tnx-store'), 'multi.sqlite');
    const worker = join(here, 'fixtures', 'append-worker.ts');
    const batches = 150; // 1–3 events each → 300 events per process
    const barrier = tempDir('tnx-barrier');
    const names = ['p1', 'p2', 'p3'];
    const children = Promise.all(names.map((name) => runChild(worker, [path, name, String(batches), barrier])));
    // Release all three at once, once each has started and opened the file.
    await until('all appenders ready', () => names.every((n) => existsSync(join(barrier, `ready-${n}`))), 30_000, 10);
    writeFileSync(join(barrier, 'go'), '');
    const results = await children;
    const appended = results.reduce((n, r) => n + r.appended, 0);
    assert.equal(appended, 3 * 300);
    const store = await openSqliteStore({ path });
    try {
      assert.equal(await verifyWholeChain(store), appended);
      // The processes really interleaved: the chain is not three solid blocks.
      const all = await store.audit.range(1, appended, 10_000);
      let switches = 0;
      for (let i = 1; i < all.length; i++) if (all[i]!.actor !== all[i - 1]!.actor) switches += 1;
      assert.ok(switches > 2, `appenders interleaved (${switches} switches)`);
    } finally {
      await store.close();
    }
  });

  it('reports a path or file it cannot open as store_unavailable', async () => {
    const dir = tempDir('tnx-store');
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    await assert.rejects(openSqliteStore({ path: join(dir, 'a-file', 'x.sqlite') }), (e: unknown) =>
      isTnxError(e, 'store_unavailable'),
    );
    writeFileSync(
      join(dir, 'garbage.sqlite'),
      'this is not an SQLite database, just text long enough to look like a header…',
    );
    await assert.rejects(openSqliteStore({ path: join(dir, 'garbage.sqlite') }), (e: unknown) =>
      isTnxError(e, 'store_unavailable'),
    );
  });
});

function runChild(script: string, args: string[]): Promise<{ worker: string; appended: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited ${code}: ${err.slice(0, 2000)}`));
      else resolve(JSON.parse(out.trim()) as { worker: string; appended: number });
    });
  });
}
