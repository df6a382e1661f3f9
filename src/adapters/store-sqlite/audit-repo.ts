/**
 * The audit trail in SQLite. Chain extension is one `BEGIN IMMEDIATE` transaction: it takes the
 * database's single write lock *before* reading the head, so no other connection — in this process
 * or another — can append between our read of the head and our insert. Other appenders wait
 * (busy_timeout) and then chain onto our last event. A batch is one transaction: all or nothing.
 * PRIMARY KEY (seq) is the backstop: two events can never share a position in the chain.
 */
import type Database from 'better-sqlite3';
import { tnxError } from '../../core/errors.js';
import { auditEventsFor, checkAuditBatch, extendChain } from '../store-common/audit-extend.js';
import { checkCheckpoint, checkRangeTimes } from '../store-common/check-input.js';
import { auditCursor, planAuditQuery } from '../store-common/audit-plan.js';
import { checkLimit, toPage } from '../store-common/paging.js';
import type {
  AuditCheckpoint,
  AuditEvent,
  AuditEventInput,
  AuditFilter,
  AuditRepo,
  AuditWith,
  Page,
} from '../../ports/store/index.js';
import { auditQuerySql } from './audit-query.js';
import { guard } from './errors.js';
import { StatementCache } from './statement-cache.js';
import type { WriteBatch } from './write-batch.js';

const SELECT_RAW =
  'SELECT seq, id, at, action, actor, message_id, partner, outcome, detail, prev_hash, hash FROM audit_events';

type Row = Omit<AuditEvent, 'detail'> & { detail: string | null };
type RawRow = [
  number,
  string,
  number,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  string,
];

/**
 * The chain of one connection, for the audit repo and for the writes that carry their own events
 * (port.ts AuditWith): those extend it inside their own transaction, so a change and its events
 * commit together.
 */
export interface SqliteChain {
  head(): { seq: number; hash: string } | null;
  /** Extends the chain with checked inputs; call it INSIDE a `BEGIN IMMEDIATE` transaction only. */
  append(inputs: Required<AuditEventInput>[]): AuditEvent[];
  /** Appends the events `audit` gives for a record just written and returns the record; none for null (no change). */
  appendFor<R>(audit: AuditWith<R> | undefined, record: R | null): R | null;
}

export function sqliteChain(db: Database.Database): SqliteChain {
  const head = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, id, at, action, actor, message_id, partner, outcome, detail, prev_hash, hash)
     VALUES (@seq, @id, @at, @action, @actor, @messageId, @partner, @outcome, @detail, @prevHash, @hash)`,
  );
  const chain: SqliteChain = {
    head: () => (head.get() as { seq: number; hash: string } | undefined) ?? null,
    append(inputs) {
      if (!db.inTransaction) throw new Error('the chain is extended inside a transaction only');
      if (inputs.length === 0) return [];
      const events = extendChain(chain.head(), inputs);
      for (const e of events) insert.run({ ...e, detail: e.detail === null ? null : JSON.stringify(e.detail) });
      return events;
    },
    appendFor(audit, record) {
      if (audit && record !== null) chain.append(auditEventsFor(audit, record));
      return record;
    },
  };
  return chain;
}

export function sqliteAuditRepo(db: Database.Database, chain: SqliteChain, batch: WriteBatch): AuditRepo {
  // Raw rows (arrays) for the bulk read verify/export stream through: about twice as fast as named
  // objects at a million events, which is what keeps `audit verify` within its time budget.
  const range = db.prepare(`${SELECT_RAW} WHERE seq >= ? AND seq <= ? ORDER BY seq ASC LIMIT ?`).raw(true);
  const count = db.prepare('SELECT count(*) AS n FROM audit_events');
  const saveCheckpoint = db.prepare(
    'INSERT INTO audit_checkpoints (seq, head_hash, jws, at) VALUES (@seq, @headHash, @jws, @at)',
  );
  const checkpoints = db.prepare(
    'SELECT seq, head_hash AS headHash, jws, at FROM audit_checkpoints ORDER BY seq ASC, at ASC, id ASC',
  );
  const queries = new StatementCache(db);

  return {
    async append(events: AuditEventInput[]) {
      const inputs = checkAuditBatch(events);
      if (inputs.length === 0) return [];
      // Group-committed with the other writes of this turn (./write-batch.ts); one savepoint: all or nothing.
      return guard('audit.append', () => batch.run(() => chain.append(inputs)));
    },
    head: () => guard('audit.head', () => chain.head()),
    async range(fromSeq: number, toSeq: number, limit: number) {
      checkLimit(limit);
      if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq)) {
        throw tnxError('invalid_request', 'range bounds must be integers', { pointer: 'fromSeq' });
      }
      return guard('audit.range', () => (range.all(fromSeq, toSeq, limit) as RawRow[]).map(fromRaw));
    },
    async query(filter: AuditFilter, page): Promise<Page<AuditEvent>> {
      const limit = checkLimit(page.limit);
      const plan = planAuditQuery(filter, page.cursor);
      checkRangeTimes(filter);
      const { sql, params } = auditQuerySql(filter, plan, limit + 1);
      return guard('audit.query', () => {
        const rows = queries
          .get(sql)
          .all(params)
          .map((r) => fromRow(r as Row));
        return toPage(rows, limit, (last) => auditCursor(plan, last));
      });
    },
    count: () => guard('audit.count', () => (count.get() as { n: number }).n),
    async saveCheckpoint(c: AuditCheckpoint) {
      checkCheckpoint(c);
      await guard('audit.saveCheckpoint', () => saveCheckpoint.run(c));
    },
    listCheckpoints: () => guard('audit.listCheckpoints', () => checkpoints.all() as AuditCheckpoint[]),
  };
}

function fromRow(row: Row): AuditEvent {
  return { ...row, detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>) };
}

function fromRaw(r: RawRow): AuditEvent {
  return {
    seq: r[0],
    id: r[1],
    at: r[2],
    action: r[3],
    actor: r[4],
    messageId: r[5],
    partner: r[6],
    outcome: r[7],
    detail: r[8] === null ? null : (JSON.parse(r[8]) as Record<string, unknown>),
    prevHash: r[9],
    hash: r[10],
  };
}
