/**
 * Outbound messages and their delivery attempts in SQLite. State transitions are single
 * `UPDATE … WHERE id = ? AND state IN (…)` statements: the check and the write are one atomic step,
 * so two processes racing to move the same record cannot both win.
 */
import type Database from 'better-sqlite3';
import { tnxError } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import {
  checkAttempt,
  checkNewOutbound,
  checkPatch,
  checkRangeTimes,
  checkOutboundFilter,
  checkStates,
  checkTime,
  PATCH_FIELDS,
} from '../store-common/check-input.js';
import { checkLimit, decodeTimeCursor } from '../store-common/paging.js';
import { statsColumns } from './stats-columns.js';
import { TERMINAL_STATES } from '../../ports/store/index.js';
import type {
  AuditWith,
  DeliveryAttempt,
  NewOutbound,
  OutboundFilter,
  OutboundPatch,
  OutboundRecord,
  OutboundRepo,
  OutboundState,
  Page,
} from '../../ports/store/index.js';
import type { SqliteChain } from './audit-repo.js';
import { guard } from './errors.js';
import type { WriteBatch } from './write-batch.js';
import { StatementCache } from './statement-cache.js';
import { NewestFirst } from './newest-first.js';

/** Port field → column. */
const COLUMNS: Record<keyof OutboundRecord, string> = {
  id: 'id',
  messageType: 'message_type',
  notificationId: 'notification_id',
  partner: 'partner',
  state: 'state',
  submittedBy: 'submitted_by',
  idempotencyKey: 'idempotency_key',
  requestHash: 'request_hash',
  message: 'message',
  source: 'source',
  departureAt: 'departure_at',
  jwe: 'jwe',
  jti: 'jti',
  attempts: 'attempts',
  lastError: 'last_error',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  queuedAt: 'queued_at',
  deliveredAt: 'delivered_at',
  receiptJws: 'receipt_jws',
  receiptDigest: 'receipt_digest',
  leadTimeSeconds: 'lead_time_seconds',
  timeliness: 'timeliness',
  atRiskAlertedAt: 'at_risk_alerted_at',
  version: 'version',
};
const SELECT = `SELECT ${Object.entries(COLUMNS)
  .map(([f, c]) => `${c} AS "${f}"`)
  .join(', ')} FROM outbound`;
/** States in which a departure can still be missed (the at-risk alert watches these). */
const LIVE_STATES = `('accepted','queued','delivering','retrying')`;

const RETURNING = `RETURNING ${Object.entries(COLUMNS)
  .map(([f, c]) => `${c} AS "${f}"`)
  .join(', ')}`;

/**
 * The SET list names only the columns a patch carries. SQLite decides statically, from the SET list,
 * which indexes to rewrite, which CHECK constraints to re-run (json_valid over the whole message) and
 * which `UPDATE OF` triggers fire; a list naming every patchable column made each transition pay for
 * all of them (bench/e2e.bench.ts profile: the store was 40 % of the sender's CPU). One prepared
 * statement per patch shape, cached: the hot path uses a handful of shapes, and the SQL text is built
 * from the allow-listed column names only (values are always bound).
 */
function setList(patch: OutboundPatch): { sql: string; fields: (typeof PATCH_FIELDS)[number][] } {
  const fields = PATCH_FIELDS.filter((f) => patch[f] !== undefined);
  return { sql: fields.map((f) => `${COLUMNS[f]} = @${f}, `).join(''), fields };
}

type Row = Omit<OutboundRecord, 'message'> & { message: string };

/**
 * Writes go through `batch` (./write-batch.ts): group-committed with the other writes of the same
 * event-loop turn, each in its own savepoint, so a write and the audit events it carries (port
 * AuditWith) commit or roll back together.
 */
export function sqliteOutboundRepo(
  db: Database.Database,
  clock: Clock,
  chain: SqliteChain,
  batch: WriteBatch,
): OutboundRepo {
  const insert = db.prepare(
    `INSERT INTO outbound (id, message_type, notification_id, partner, state, submitted_by, idempotency_key,
       request_hash, message, source, departure_at, created_at, updated_at, version, report_late, followup_action)
     VALUES (@id, @messageType, @notificationId, @partner, @state, @submittedBy, @idempotencyKey,
       @requestHash, @message, @source, @departureAt, @createdAt, @createdAt, 1, @reportLate, @followupAction)
     ON CONFLICT (submitted_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
  );
  const byId = db.prepare(`${SELECT} WHERE id = ?`);
  const byKey = db.prepare(`${SELECT} WHERE submitted_by = ? AND idempotency_key = ?`);
  const transitions = new StatementCache(db);
  const updates = new StatementCache(db);
  const accepted = db.prepare(
    `${SELECT} WHERE state = 'accepted' AND created_at < ? ORDER BY created_at ASC, id ASC LIMIT ?`,
  );
  // INDEXED BY: the partial index holds only live, un-alerted rows, so the scan touches exactly the
  // candidates; without statistics the planner would pick ix_outbound_state and sort every live row.
  const atRisk = db.prepare(
    `${SELECT} INDEXED BY ix_outbound_at_risk WHERE at_risk_alerted_at IS NULL AND state IN ${LIVE_STATES} AND departure_at < ?
     ORDER BY departure_at ASC, id ASC LIMIT ?`,
  );
  const addAttempt = db.prepare(
    `INSERT INTO delivery_attempts (message_id, attempt, started_at, duration_ms, http_status, error, outcome, may_have_reached)
     VALUES (@messageId, @attempt, @startedAt, @durationMs, @httpStatus, @error, @outcome, @reached)
     ON CONFLICT (message_id, attempt) DO NOTHING`,
  );
  const attempts = db.prepare(
    `SELECT message_id AS messageId, attempt, started_at AS startedAt, duration_ms AS durationMs,
       http_status AS httpStatus, error, outcome, may_have_reached AS mayHaveReached
     FROM delivery_attempts WHERE message_id = ? ORDER BY attempt ASC`,
  );
  const lists = new StatementCache(db);

  const one = (row: unknown): OutboundRecord | null => (row ? fromRow(row as Row) : null);

  return {
    async insert(rec: NewOutbound, audit?: AuditWith<OutboundRecord>) {
      checkNewOutbound(rec);
      const message = JSON.stringify(rec.message);
      return guard('outbound.insert', () =>
        // One write: the insert, the read-back of the winner and the events see the same snapshot.
        batch.run(() => {
          const r = insert.run({ ...rec, message, ...statsColumns(rec.messageType, rec.message) });
          if (r.changes === 1)
            return { record: chain.appendFor(audit, one(byId.get(rec.id))) as OutboundRecord, created: true };
          return { record: one(byKey.get(rec.submittedBy, rec.idempotencyKey)) as OutboundRecord, created: false };
        }),
      );
    },
    get: (id) => guard('outbound.get', () => one(byId.get(id))),
    findByIdempotencyKey: (submittedBy, key) =>
      guard('outbound.findByIdempotencyKey', () => one(byKey.get(submittedBy, key))),
    async transition(
      id: string,
      from: readonly OutboundState[],
      to: OutboundState,
      patch: OutboundPatch = {},
      audit?: AuditWith<OutboundRecord>,
    ) {
      checkStates(from, 'from');
      checkStates([to], 'to');
      checkPatch(patch);
      const set = setList(patch);
      const sql = `UPDATE outbound SET state = @to, ${set.sql}version = version + 1, updated_at = @now
        WHERE id = @id AND state IN (SELECT value FROM json_each(@from)) ${RETURNING}`;
      const params = { ...patchParams(patch, set.fields), id, to, from: JSON.stringify(from), now: clock.now() };
      return guard('outbound.transition', () =>
        batch.run(() => chain.appendFor(audit, one(transitions.get(sql).get(params)))),
      );
    },
    async update(id: string, version: number, patch: OutboundPatch, audit?: AuditWith<OutboundRecord>) {
      checkPatch(patch);
      if (!Number.isSafeInteger(version))
        throw tnxError('invalid_request', 'version must be an integer', { pointer: 'version' });
      const set = setList(patch);
      const sql = `UPDATE outbound SET ${set.sql}version = version + 1, updated_at = @now WHERE id = @id AND version = @version ${RETURNING}`;
      const params = { ...patchParams(patch, set.fields), id, version, now: clock.now() };
      return guard('outbound.update', () => batch.run(() => chain.appendFor(audit, one(updates.get(sql).get(params)))));
    },
    async list(filter: OutboundFilter, page): Promise<Page<OutboundRecord>> {
      const limit = checkLimit(page.limit);
      const after = decodeTimeCursor(page.cursor);
      checkRangeTimes(filter);
      checkOutboundFilter(filter);
      const q = new NewestFirst('created_at', limit)
        .equals('partner', 'partner', filter.partner)
        .equals('submitted_by', 'submittedBy', filter.submittedBy)
        .equals('message_type', 'messageType', filter.messageType)
        .equals('notification_id', 'notificationId', filter.notificationId);
      if (filter.state !== undefined) {
        const states = Array.isArray(filter.state) ? filter.state : [filter.state];
        checkStates(states, 'filter/state');
        // One placeholder per state keeps `state IN (…)` index-friendly; the SQL text varies only by count.
        q.where(
          `state IN (${states.map((_, i) => `@state${i}`).join(', ')})`,
          Object.fromEntries(states.map((s, i) => [`state${i}`, s])),
        );
      }
      if (filter.timeliness === 'pending') {
        q.where(
          `timeliness IS NULL AND departure_at IS NOT NULL AND state NOT IN (${TERMINAL_STATES.map((s) => `'${s}'`).join(', ')})`,
        );
      } else {
        q.equals('timeliness', 'timeliness', filter.timeliness);
      }
      q.period(filter.from, filter.to).after(after);
      return guard('outbound.list', () => q.page(lists, SELECT, fromRow, (r) => r.createdAt));
    },
    async listAccepted(olderThan: number, limit: number) {
      checkLimit(limit);
      checkTime(olderThan, 'olderThan');
      return guard('outbound.listAccepted', () => accepted.all(olderThan, limit).map((r) => fromRow(r as Row)));
    },
    async listAtRisk(departureBefore: number, limit: number) {
      checkLimit(limit);
      checkTime(departureBefore, 'departureBefore');
      return guard('outbound.listAtRisk', () => atRisk.all(departureBefore, limit).map((r) => fromRow(r as Row)));
    },
    async addAttempt(a: DeliveryAttempt, audit?: AuditWith<DeliveryAttempt>) {
      checkAttempt(a);
      // A repeated attempt number changes nothing (the first record stands), so it gets no events either.
      await guard('outbound.addAttempt', () =>
        batch.run(() =>
          chain.appendFor(audit, addAttempt.run({ ...a, reached: a.mayHaveReached ? 1 : 0 }).changes === 1 ? a : null),
        ),
      );
    },
    listAttempts: (messageId) =>
      guard('outbound.listAttempts', () =>
        (attempts.all(messageId) as (Omit<DeliveryAttempt, 'mayHaveReached'> & { mayHaveReached: number })[]).map(
          (a) => ({ ...a, mayHaveReached: a.mayHaveReached === 1 }),
        ),
      ),
  };
}

function patchParams(patch: OutboundPatch, fields: readonly (typeof PATCH_FIELDS)[number][]): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  for (const f of fields) p[f] = f === 'message' ? JSON.stringify(patch[f]) : patch[f];
  return p;
}

function fromRow(row: Row): OutboundRecord {
  return { ...row, message: JSON.parse(row.message) as OutboundRecord['message'] };
}
