/**
 * The embedded default store: one SQLite file (data/tnx.sqlite unless configured) that several
 * gateway processes on one host may open at once.
 *
 * Pragmas, and why:
 *  - journal_mode = WAL: readers never block the writer nor the writer the readers, so API reads and
 *    delivery workers in other processes do not stall behind an audit append.
 *  - synchronous = NORMAL: in WAL mode a commit appends to the WAL and is fsync'ed at checkpoint, not
 *    on every commit. A crash of the process loses nothing (the WAL is in the OS cache); a power
 *    loss can roll back the last few commits but never corrupts the file or breaks a transaction in
 *    half (SQLite docs, "WAL mode … synchronous=NORMAL is consistent"). An audit batch is therefore
 *    either entirely in the chain or not at all. Deployments that must survive power loss without
 *    losing the last commits use MongoDB (write concern majority) instead.
 *  - busy_timeout: the write lock is held only for one short transaction; other processes wait for
 *    it instead of failing at once. Past the timeout the call fails with store_unavailable (retry).
 *  - foreign_keys = ON: delivery attempts cannot point at a message that does not exist.
 *  - wal_autocheckpoint = 10000 pages (≈ 40 MB of WAL; SQLite's default is 1000): a checkpoint copies
 *    every page written since the last one back into the database file and fsyncs it. The hot pages
 *    (the tail of the audit chain and of its indexes, outbound rows moving through their states) are
 *    rewritten by nearly every commit, so a longer interval copies each of them once instead of ten
 *    times. Measured: audit appends 40–50 % cheaper (bench/e2e.bench.ts profile, BENCHMARKS.md), at the
 *    price of a rarer, longer checkpoint pause (≈ 50 ms instead of ≈ 20 ms) and a WAL file that stays
 *    up to ≈ 40 MB. Commit durability is unchanged: it depends on `synchronous`, not on checkpoints.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../core/clock.js';
import type { Store } from '../../ports/store/index.js';
import { sqliteAuditRepo, sqliteChain } from './audit-repo.js';
import { MAX_BATCH_WRITES, WriteBatch } from './write-batch.js';
import { sqliteCaseRepo } from './case-repo.js';
import { mapSqliteError } from './errors.js';
import { sqliteInboundRepo } from './inbound-repo.js';
import { sqliteKvRepo } from './kv-repo.js';
import { sqliteManifestRepo } from './manifest-repo.js';
import { migrate } from './migrations.js';
import { sqliteOutboundRepo } from './outbound-repo.js';
import { sqliteRegistryRepo } from './registry-repo.js';
import { sqliteStatsRepo } from './stats-repo.js';
import { sqliteTravelReportRepo, sqliteTripIndexRepo } from './travel-report-repo.js';

/** WAL pages between automatic checkpoints (see the pragmas above). */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

export interface SqliteStoreOptions {
  /** File path, or ':memory:' (tests of a single connection only). */
  path: string;
  /** Stamps updatedAt on transitions; tests freeze it. */
  clock?: Clock;
  /** How long to wait for another process's write lock, ms. */
  busyTimeoutMs?: number;
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const clock = opts.clock ?? systemClock;
  let db: Database.Database;
  try {
    if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
    db = new Database(opts.path, { timeout: opts.busyTimeoutMs ?? 10_000 });
  } catch (err) {
    throw mapSqliteError(err, 'sqlite.open');
  }
  try {
    db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 10_000)}`);
    if (opts.path !== ':memory:') await setWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    migrate(db);
  } catch (err) {
    db.close();
    throw mapSqliteError(err, 'sqlite.open');
  }

  const ping = db.prepare('SELECT 1');
  const chain = sqliteChain(db);
  const batch = new WriteBatch(db);
  return {
    kind: 'sqlite',
    writeWindow: MAX_BATCH_WRITES,
    outbound: sqliteOutboundRepo(db, clock, chain, batch),
    inbound: sqliteInboundRepo(db, chain, batch),
    audit: sqliteAuditRepo(db, chain, batch),
    kv: sqliteKvRepo(db),
    registry: sqliteRegistryRepo(db, chain, batch),
    travelReports: sqliteTravelReportRepo(db, chain, batch),
    trips: sqliteTripIndexRepo(db),
    stats: sqliteStatsRepo(db),
    manifests: sqliteManifestRepo(db, chain, batch),
    cases: sqliteCaseRepo(db, chain, batch),
    async ping() {
      try {
        ping.get();
      } catch (err) {
        throw mapSqliteError(err, 'sqlite.ping');
      }
    },
    async close() {
      batch.flush(); // writes already asked for are committed (or refused), never dropped
      if (db.open) db.close();
    },
  };
}

/**
 * Switching to WAL needs a moment of exclusive access; when several processes open a fresh file at
 * once SQLite may answer SQLITE_BUSY without consulting the busy handler, so retry briefly. Once the
 * file is in WAL mode (persistent) this is a no-op.
 */
async function setWal(db: Database.Database): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode === 'wal') return;
      throw Object.assign(new Error(`journal_mode is ${String(mode)}`), { code: 'SQLITE_CANTOPEN' });
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 40));
    }
  }
}
