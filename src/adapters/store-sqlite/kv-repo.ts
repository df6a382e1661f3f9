/**
 * Leases in SQLite: one upsert whose DO UPDATE only fires when the caller already holds the lease or
 * it has expired. The check and the takeover are one statement, so two processes cannot both
 * acquire it.
 */
import type Database from 'better-sqlite3';
import { checkLease } from '../store-common/check-input.js';
import type { KvRepo } from '../../ports/store/index.js';
import { guard } from './errors.js';

export function sqliteKvRepo(db: Database.Database): KvRepo {
  const acquire = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`,
  );
  const release = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  return {
    async acquireLease(name, holder, ttlMs, now) {
      checkLease(name, holder, ttlMs, now);
      return guard('kv.acquireLease', () => acquire.run({ name, holder, expiresAt: now + ttlMs, now }).changes === 1);
    },
    async releaseLease(name, holder) {
      checkLease(name, holder, 1, 0);
      await guard('kv.releaseLease', () => release.run(name, holder));
    },
  };
}
