/**
 * Sealed registrants in SQLite. The record is stored as the registry module produces it (one JSON
 * document: ciphertexts, wrapped data key) with its clear retention fields as columns, and its blind
 * indexes as rows of `registrant_index` so a search is one indexed probe per term.
 *
 * Erasure: the row is overwritten with the tombstone and its index rows deleted in one transaction,
 * with `secure_delete` on (SQLite zeroes freed and overwritten content instead of leaving it in free
 * pages), then a TRUNCATE checkpoint empties the WAL, which would otherwise still hold the old page
 * images (docs/registry-and-travel-reports.md, "Erasure in the store").
 *
 * Writes go through the connection's write batch (./write-batch.ts) with the audit events they carry
 * (port AuditWith): the change and its events commit together or not at all.
 */
import type Database from 'better-sqlite3';
import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { AuditWith, RegistrantRetentionView, RegistryRepo } from '../../ports/store/index.js';
import type { SqliteChain } from './audit-repo.js';
import { guard } from './errors.js';
import type { WriteBatch } from './write-batch.js';

interface Row {
  record: string;
}

const RETENTION_COLUMNS = `id, status, registration_start AS registrationStart, registration_end AS registrationEnd,
  review_due AS reviewDue, review_flagged_at AS reviewFlaggedAt, erased_at AS erasedAt`;

function params(r: SealedRegistrant) {
  return {
    id: r.id,
    status: r.status,
    start: r.registrationStart,
    end: r.registrationEnd,
    review: r.reviewDue,
    flagged: r.reviewFlaggedAt,
    erased: r.erasedAt,
    created: r.createdAt,
    updated: r.updatedAt,
    ref: r.externalReference ?? null,
    record: JSON.stringify(r),
  };
}

export function sqliteRegistryRepo(db: Database.Database, chain: SqliteChain, batch: WriteBatch): RegistryRepo {
  db.pragma('secure_delete = ON');
  const insert = db.prepare(`INSERT INTO registrants (id, status, registration_start, registration_end, review_due,
      review_flagged_at, erased_at, created_at, updated_at, external_reference, record)
    VALUES (@id, @status, @start, @end, @review, @flagged, @erased, @created, @updated, @ref, @record)`);
  const replace =
    db.prepare(`UPDATE registrants SET status = @status, registration_start = @start, registration_end = @end,
      review_due = @review, review_flagged_at = @flagged, erased_at = @erased, updated_at = @updated,
      external_reference = @ref, record = @record
    WHERE id = @id AND updated_at = @expected AND erased_at IS NULL`);
  const overwrite =
    db.prepare(`UPDATE registrants SET status = @status, registration_start = @start, registration_end = @end,
      review_due = @review, review_flagged_at = @flagged, erased_at = @erased, updated_at = @updated,
      external_reference = @ref, record = @record
    WHERE id = @id AND erased_at IS NULL`);
  const addTerm = db.prepare('INSERT OR IGNORE INTO registrant_index (term, registrant_id) VALUES (?, ?)');
  const dropTerms = db.prepare('DELETE FROM registrant_index WHERE registrant_id = ?');
  const byId = db.prepare('SELECT record FROM registrants WHERE id = ?');
  const byRef = db.prepare('SELECT record FROM registrants WHERE external_reference = ?');
  const search = db.prepare(`SELECT r.record FROM registrant_index i JOIN registrants r ON r.id = i.registrant_id
    WHERE i.term IN (SELECT value FROM json_each(@terms)) AND r.erased_at IS NULL
    GROUP BY r.id HAVING COUNT(*) = @n ORDER BY r.id LIMIT @limit`);
  const candidates = db.prepare(`SELECT ${RETENTION_COLUMNS} FROM registrants
      WHERE erased_at IS NULL AND registration_end IS NOT NULL AND registration_end < @endBefore
    UNION
    SELECT ${RETENTION_COLUMNS} FROM registrants
      WHERE erased_at IS NULL AND review_flagged_at IS NULL AND review_due < @reviewBefore
    ORDER BY id LIMIT @limit`);

  const index = (r: SealedRegistrant): void => {
    dropTerms.run(r.id);
    for (const t of r.blindIndexes) addTerm.run(t, r.id);
  };
  // The events see the record as stored (read back in the same write), as the other repositories' do.
  const stored = (id: string): SealedRegistrant => JSON.parse((byId.get(id) as Row).record) as SealedRegistrant;

  return {
    insert: (r, audit?: AuditWith<SealedRegistrant>) =>
      guard('registry.insert', () =>
        batch.run(() => {
          insert.run(params(r));
          index(r);
          chain.appendFor(audit, stored(r.id));
        }),
      ),
    get: (id) =>
      guard('registry.get', () => {
        const row = byId.get(id) as Row | undefined;
        return row ? (JSON.parse(row.record) as SealedRegistrant) : null;
      }),
    byExternalReference: (ref) =>
      guard('registry.byExternalReference', () => {
        const row = byRef.get(ref) as Row | undefined;
        return row ? (JSON.parse(row.record) as SealedRegistrant) : null;
      }),
    replace: (r, expected, audit?: AuditWith<SealedRegistrant>) =>
      guard('registry.replace', () =>
        batch.run(() => {
          if (replace.run({ ...params(r), expected }).changes !== 1) return false;
          index(r);
          chain.appendFor(audit, stored(r.id));
          return true;
        }),
      ),
    erase: (t, audit?: AuditWith<SealedRegistrant>) =>
      guard('registry.erase', async () => {
        const erased = await batch.run(() => {
          if (overwrite.run(params(t)).changes !== 1) return false;
          dropTerms.run(t.id);
          chain.appendFor(audit, stored(t.id));
          return true;
        });
        // After the commit, outside any transaction. Best effort while other connections read (they
        // pin WAL frames): the next checkpoint then finishes the job; the data key is already
        // unrecoverable from the main file's live pages.
        if (erased) db.pragma('wal_checkpoint(TRUNCATE)');
        return erased;
      }),
    search: (terms, limit) =>
      guard('registry.search', () => {
        if (terms.length === 0) return [];
        const rows = search.all({ terms: JSON.stringify([...new Set(terms)]), n: new Set(terms).size, limit }) as Row[];
        return rows.map((r) => JSON.parse(r.record) as SealedRegistrant);
      }),
    retentionCandidates: (c, limit) =>
      guard('registry.retention', () => candidates.all({ ...c, limit }) as RegistrantRetentionView[]),
    countLive: () =>
      guard('registry.countLive', () => {
        const row = db.prepare('SELECT COUNT(*) AS n FROM registrants WHERE erased_at IS NULL').get() as { n: number };
        return row.n;
      }),
    // Added for the screening index (src/features/screening/registry-index.ts): keyset pages by primary key.
    scan: (afterId, limit) =>
      guard('registry.scan', () =>
        (
          db
            .prepare('SELECT record FROM registrants WHERE erased_at IS NULL AND id > ? ORDER BY id LIMIT ?')
            .all(afterId ?? '', limit) as Row[]
        ).map((r) => JSON.parse(r.record) as SealedRegistrant),
      ),
  };
}
