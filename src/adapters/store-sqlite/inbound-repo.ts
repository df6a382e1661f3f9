/**
 * Inbound messages in SQLite. De-duplication is the UNIQUE (iss, jti) index: `INSERT … ON CONFLICT
 * DO NOTHING` and a read-back of the stored row in one transaction, so a partner's retry — even one
 * arriving at another gateway process at the same instant — gets the first record (and its receipt
 * bytes) back instead of a second copy.
 */
import type Database from 'better-sqlite3';
import { statsColumns } from './stats-columns.js';
import { checkInbound, checkRangeTimes } from '../store-common/check-input.js';
import { checkLimit, decodeTimeCursor } from '../store-common/paging.js';
import type { AuditWith, InboundFilter, InboundRecord, InboundRepo, Page } from '../../ports/store/index.js';
import type { SqliteChain } from './audit-repo.js';
import { guard } from './errors.js';
import type { WriteBatch } from './write-batch.js';
import { StatementCache } from './statement-cache.js';
import { NewestFirst } from './newest-first.js';

const SELECT = `SELECT id, iss, jti, message_type AS messageType, notification_id AS notificationId, message, digest,
  received_at AS receivedAt, receipt_jws AS receiptJws, departure_at AS departureAt FROM inbound`;

type Row = Omit<InboundRecord, 'message'> & { message: string };

export function sqliteInboundRepo(db: Database.Database, chain: SqliteChain, batch: WriteBatch): InboundRepo {
  const insert = db.prepare(
    `INSERT INTO inbound (id, iss, jti, message_type, notification_id, message, digest, received_at, receipt_jws, departure_at,
       source_kind, report_late, followup_action)
     VALUES (@id, @iss, @jti, @messageType, @notificationId, @message, @digest, @receivedAt, @receiptJws, @departureAt,
       @sourceKind, @reportLate, @followupAction)
     ON CONFLICT (iss, jti) DO NOTHING`,
  );
  const byId = db.prepare(`${SELECT} WHERE id = ?`);
  const byJti = db.prepare(`${SELECT} WHERE iss = ? AND jti = ?`);
  const lists = new StatementCache(db);
  const one = (row: unknown): InboundRecord | null => (row ? fromRow(row as Row) : null);

  return {
    async insertOnce(rec: InboundRecord, audit?: AuditWith<InboundRecord>) {
      checkInbound(rec);
      const message = JSON.stringify(rec.message);
      return guard('inbound.insertOnce', () =>
        // One write (group-committed, ./write-batch.ts): the insert, the read-back and the events
        // (port.ts AuditWith) commit together.
        batch.run(() => {
          const r = insert.run({ ...rec, message, ...statsColumns(rec.messageType, rec.message) });
          const record = one(byJti.get(rec.iss, rec.jti)) as InboundRecord;
          if (r.changes === 1) chain.appendFor(audit, record);
          return { record, created: r.changes === 1 };
        }),
      );
    },
    get: (id) => guard('inbound.get', () => one(byId.get(id))),
    getByJti: (iss, jti) => guard('inbound.getByJti', () => one(byJti.get(iss, jti))),
    async list(filter: InboundFilter, page): Promise<Page<InboundRecord>> {
      const limit = checkLimit(page.limit);
      const after = decodeTimeCursor(page.cursor);
      checkRangeTimes(filter);
      const q = new NewestFirst('received_at', limit)
        .equals('iss', 'iss', filter.iss)
        .equals('message_type', 'messageType', filter.messageType)
        .equals('notification_id', 'notificationId', filter.notificationId)
        .period(filter.from, filter.to)
        .after(after);
      return guard('inbound.list', () => q.page(lists, SELECT, fromRow, (r) => r.receivedAt));
    },
  };
}

function fromRow(row: Row): InboundRecord {
  return { ...row, message: JSON.parse(row.message) as InboundRecord['message'] };
}
