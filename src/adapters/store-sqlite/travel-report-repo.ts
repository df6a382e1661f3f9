/**
 * Travel reports and the trip index in SQLite. A report is one JSON document (its travel sealed under
 * the registrant's data key by the service) with the columns its queries need; updates are guarded
 * by the version. The trip index is keyed by the HMAC trip key: its primary key makes "claim this
 * trip" one atomic insert, so two sources finding the same trip at once cannot both notify.
 * A report's insert and update go through the write batch with the audit events they carry (port
 * AuditWith): change and events commit together.
 */
import type Database from 'better-sqlite3';
import type { SourceKind } from '../../domain/protocol/types.js';
import type {
  AuditWith,
  TravelReportRecord,
  TravelReportRepo,
  TripEntry,
  TripIndexRepo,
} from '../../ports/store/index.js';
import type { SqliteChain } from './audit-repo.js';
import { guard } from './errors.js';
import type { WriteBatch } from './write-batch.js';

interface ReportRow {
  record: string;
}
interface TripRow {
  tripKey: string;
  registrantId: string;
  notificationIds: string;
  firstSource: SourceKind;
  alsoFoundBy: string;
  createdAt: number;
}

/**
 * The recovery job's page: served by the partial index ix_travel_reports_active (created_at, id)
 * WHERE state = 'active', in index order, so no sort and no look at cancelled reports
 * (tests/store/sqlite.test.ts checks the plan).
 */
export const ACTIVE_CREATED_SQL = `SELECT record FROM travel_reports
    WHERE state = 'active' AND (created_at, id) > (@at, @id) AND created_at < @to
    ORDER BY created_at, id LIMIT @limit`;

export function sqliteTravelReportRepo(db: Database.Database, chain: SqliteChain, batch: WriteBatch): TravelReportRepo {
  const insert = db.prepare(`INSERT INTO travel_reports (id, registrant_id, state, version, created_at, record)
    VALUES (@id, @registrantId, @state, @version, @createdAt, @record)`);
  const update = db.prepare(`UPDATE travel_reports SET state = @state, version = @version, record = @record
    WHERE id = @id AND version = @version - 1`);
  const byId = db.prepare('SELECT record FROM travel_reports WHERE id = ?');
  const byRegistrant = db.prepare('SELECT record FROM travel_reports WHERE registrant_id = ? ORDER BY created_at, id');
  const activeCreated = db.prepare(ACTIVE_CREATED_SQL);
  const shred = db.prepare(`UPDATE travel_reports SET record = json_set(record, '$.sealedReport', json('null'))
    WHERE registrant_id = ? AND json_extract(record, '$.sealedReport') IS NOT NULL`);
  const parse = (row: ReportRow | undefined): TravelReportRecord | null =>
    row ? (JSON.parse(row.record) as TravelReportRecord) : null;
  const row = (r: TravelReportRecord) => ({
    id: r.id,
    registrantId: r.registrantId,
    state: r.state,
    version: r.version,
    createdAt: r.createdAt,
    record: JSON.stringify(r),
  });

  return {
    insert: (r, audit?: AuditWith<TravelReportRecord>) =>
      guard('travelReports.insert', () =>
        batch.run(() => {
          insert.run(row(r));
          chain.appendFor(audit, parse(byId.get(r.id) as ReportRow));
        }),
      ),
    get: (id) => guard('travelReports.get', () => parse(byId.get(id) as ReportRow | undefined)),
    update: (r, audit?: AuditWith<TravelReportRecord>) =>
      guard('travelReports.update', () =>
        batch.run(() =>
          update.run(row(r)).changes === 1 ? chain.appendFor(audit, parse(byId.get(r.id) as ReportRow)) : null,
        ),
      ),
    listByRegistrant: (id) =>
      guard('travelReports.list', () => (byRegistrant.all(id) as ReportRow[]).map((x) => parse(x)!)),
    listActiveCreated: (from, to, limit, after) =>
      guard('travelReports.listActiveCreated', () =>
        (
          activeCreated.all({
            // No cursor: (created_at, id) > (from, '') is created_at >= from, ids being non-empty.
            at: after ? Math.max(after.createdAt, from) : from,
            id: after && after.createdAt >= from ? after.id : '',
            to,
            limit,
          }) as ReportRow[]
        ).map((x) => parse(x)!),
      ),
    shredForRegistrant: (id) => guard('travelReports.shred', () => shred.run(id).changes),
  };
}

export function sqliteTripIndexRepo(db: Database.Database): TripIndexRepo {
  const cols = `trip_key AS tripKey, registrant_id AS registrantId, notification_ids AS notificationIds,
    first_source AS firstSource, also_found_by AS alsoFoundBy, created_at AS createdAt`;
  const claim =
    db.prepare(`INSERT INTO trip_index (trip_key, registrant_id, notification_ids, first_source, also_found_by, created_at)
    VALUES (@tripKey, @registrantId, @notificationIds, @firstSource, @alsoFoundBy, @createdAt) ON CONFLICT (trip_key) DO NOTHING`);
  const get = db.prepare(`SELECT ${cols} FROM trip_index WHERE trip_key = ?`);
  // json_insert at '$[#]' appends; the WHERE makes it idempotent and keeps the first source out.
  const addSource = db.prepare(`UPDATE trip_index SET also_found_by = json_insert(also_found_by, '$[#]', @kind)
    WHERE trip_key = @tripKey AND first_source <> @kind
      AND NOT EXISTS (SELECT 1 FROM json_each(also_found_by) WHERE value = @kind)`);
  const release = db.prepare('DELETE FROM trip_index WHERE trip_key = ?');
  const parse = (r: TripRow | undefined): TripEntry | null =>
    r
      ? {
          ...r,
          notificationIds: JSON.parse(r.notificationIds) as string[],
          alsoFoundBy: JSON.parse(r.alsoFoundBy) as SourceKind[],
        }
      : null;

  return {
    claim: (e) =>
      guard('trips.claim', () => {
        const created =
          claim.run({
            ...e,
            notificationIds: JSON.stringify(e.notificationIds),
            alsoFoundBy: JSON.stringify(e.alsoFoundBy),
          }).changes === 1;
        return { entry: created ? e : parse(get.get(e.tripKey) as TripRow)!, created };
      }),
    get: (k) => guard('trips.get', () => parse(get.get(k) as TripRow | undefined)),
    addSource: (k, kind) =>
      guard('trips.addSource', () => {
        addSource.run({ tripKey: k, kind });
        return parse(get.get(k) as TripRow | undefined);
      }),
    release: (k) => guard('trips.release', () => void release.run(k)),
  };
}
