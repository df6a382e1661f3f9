/**
 * Unreported-travel cases in SQLite. One case per trip is the database's rule (unique trip_key), so
 * two reviewers confirming the same person on the same flight in two processes open one case: the
 * loser's insert does nothing and it reads the winner's case. Only the insert that opened the case
 * writes its audit events (port AuditWith), in the same transaction (the write batch).
 */
import type Database from 'better-sqlite3';
import { checkLimit, decodeTimeCursor } from '../store-common/paging.js';
import type { AuditWith, CaseFilter, CaseRecord, CaseRepo } from '../../ports/store/index.js';
import type { SqliteChain } from './audit-repo.js';
import { guard } from './errors.js';
import { StatementCache } from './statement-cache.js';
import { NewestFirst } from './newest-first.js';
import type { WriteBatch } from './write-batch.js';

const COLUMNS: Record<keyof CaseRecord, string> = {
  id: 'id',
  kind: 'kind',
  registrantId: 'registrant_id',
  manifestId: 'manifest_id',
  candidateId: 'candidate_id',
  tripKey: 'trip_key',
  flight: 'flight',
  destination: 'destination',
  openedBy: 'opened_by',
  openedAt: 'opened_at',
  notificationId: 'notification_id',
  notification: 'notification',
};
const RETURNING = Object.entries(COLUMNS)
  .map(([f, c]) => `${c} AS "${f}"`)
  .join(', ');
const SELECT = `SELECT ${RETURNING} FROM screening_cases`;

type Row = Omit<CaseRecord, 'flight'> & { flight: string };
const toCase = (r: Row): CaseRecord => ({ ...r, flight: JSON.parse(r.flight) as CaseRecord['flight'] });

export function sqliteCaseRepo(db: Database.Database, chain: SqliteChain, batch: WriteBatch): CaseRepo {
  const insert = db.prepare(
    `INSERT INTO screening_cases (${Object.values(COLUMNS).join(', ')})
     VALUES (${Object.keys(COLUMNS)
       .map((f) => `@${f}`)
       .join(', ')})
     ON CONFLICT (trip_key) DO NOTHING`,
  );
  const byId = db.prepare(`${SELECT} WHERE id = ?`);
  const byTrip = db.prepare(`${SELECT} WHERE trip_key = ?`);
  const setNotification = db.prepare(
    `UPDATE screening_cases SET notification_id = ?, notification = ? WHERE id = ? RETURNING ${RETURNING}`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM screening_cases WHERE opened_at >= ? AND opened_at < ?');
  const lists = new StatementCache(db);

  return {
    open: (c, audit?: AuditWith<CaseRecord>) =>
      guard('cases.open', () =>
        batch.run(() => {
          const created = insert.run({ ...c, flight: JSON.stringify(c.flight) }).changes === 1;
          const record = toCase(byTrip.get(c.tripKey) as Row);
          if (created) chain.appendFor(audit, record);
          return { record, created };
        }),
      ),
    get: (id) =>
      guard('cases.get', () => {
        const r = byId.get(id) as Row | undefined;
        return r ? toCase(r) : null;
      }),
    setNotification: (id, notificationId, notification) =>
      guard('cases.setNotification', () => {
        const r = setNotification.get(notificationId, notification, id) as Row | undefined;
        return r ? toCase(r) : null;
      }),
    list: (filter: CaseFilter, page) =>
      guard('cases.list', () => {
        const limit = checkLimit(page.limit);
        const after = decodeTimeCursor(page.cursor);
        return new NewestFirst('opened_at', limit)
          .equals('registrant_id', 'registrantId', filter.registrantId)
          .period(filter.from, filter.to)
          .after(after)
          .page(lists, SELECT, toCase, (r) => r.openedAt);
      }),
    count: (from, to) => guard('cases.count', () => (count.get(from, to) as { n: number }).n),
  };
}
