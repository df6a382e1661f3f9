/**
 * Outbound messages in MongoDB. Transitions are `findOneAndUpdate({ _id, state: { $in: from } })`:
 * one atomic single-document operation, so of two processes racing to move a record exactly one
 * matches. De-duplication is the partial unique index on (submittedBy, idempotencyKey). A write's audit
 * events (port.ts AuditWith) are appended right after the write, by `appendAfter`.
 */
import type { Model } from 'mongoose';
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
} from '../store-common/check-input.js';
import { checkLimit, decodeTimeCursor, encodeTimeCursor, toPage } from '../store-common/paging.js';
import type {
  AuditEventInput,
  AuditWith,
  DeliveryAttempt,
  NewOutbound,
  OutboundRecord,
  OutboundRepo,
  Page,
} from '../../ports/store/index.js';
import { appendAfter } from './append-after.js';
import { guard, isDuplicateKey } from './errors.js';
import {
  DEPARTURE_FIRST,
  NEWEST_FIRST,
  OLDEST_FIRST,
  acceptedFilter,
  atRiskFilter,
  idempotencyFilter,
  outboundListFilter,
  patchUpdate,
  transitionFilter,
  versionFilter,
} from './queries.js';

type Doc = Omit<OutboundRecord, 'id'> & { _id: string };

export function mongoOutboundRepo(
  outbound: Model<unknown>,
  attempts: Model<unknown>,
  clock: Clock,
  append: (events: AuditEventInput[]) => Promise<unknown>,
): OutboundRepo {
  const withEvents = appendAfter(append);
  const get = async (id: string) => toRecord(await outbound.findOne({ _id: { $eq: id } }).lean<Doc>());
  const byKey = async (submittedBy: string, key: string) =>
    toRecord(await outbound.findOne(idempotencyFilter(submittedBy, key)).lean<Doc>());
  const after = { returnDocument: 'after', lean: true, runValidators: true } as const;

  return {
    async insert(rec: NewOutbound, audit?: AuditWith<OutboundRecord>) {
      checkNewOutbound(rec);
      const { id, ...rest } = rec;
      const doc: Doc = {
        _id: id,
        ...rest,
        jwe: null,
        jti: null,
        attempts: 0,
        lastError: null,
        updatedAt: rec.createdAt,
        queuedAt: null,
        deliveredAt: null,
        receiptJws: null,
        receiptDigest: null,
        leadTimeSeconds: null,
        timeliness: null,
        atRiskAlertedAt: null,
        version: 1,
      };
      return guard('outbound.insert', async () => {
        // Look first: inside a transaction a duplicate key aborts it, so the read in the catch below
        // could not run there (a racing insert surfaces as a retried write conflict instead).
        if (rec.idempotencyKey !== null) {
          const first = await byKey(rec.submittedBy, rec.idempotencyKey);
          if (first) return { record: first, created: false };
        }
        try {
          await outbound.create(doc);
          const record = toRecord(doc) as OutboundRecord;
          await withEvents(record, audit);
          return { record, created: true };
        } catch (err) {
          if (rec.idempotencyKey !== null && isDuplicateKey(err, 'idempotencyKey')) {
            const first = await byKey(rec.submittedBy, rec.idempotencyKey);
            if (first) return { record: first, created: false };
          }
          throw err;
        }
      });
    },
    get: (id) => guard('outbound.get', () => get(id)),
    findByIdempotencyKey: (submittedBy, key) => guard('outbound.findByIdempotencyKey', () => byKey(submittedBy, key)),
    async transition(id, from, to, patch = {}, audit?) {
      checkStates(from, 'from');
      checkStates([to], 'to');
      checkPatch(patch);
      return guard('outbound.transition', async () =>
        withEvents(
          toRecord(
            (await outbound.findOneAndUpdate(
              transitionFilter(id, from),
              patchUpdate(patch, clock.now(), to),
              after,
            )) as Doc | null,
          ),
          audit,
        ),
      );
    },
    async update(id, version, patch, audit?) {
      checkPatch(patch);
      if (!Number.isSafeInteger(version))
        throw tnxError('invalid_request', 'version must be an integer', { pointer: 'version' });
      return guard('outbound.update', async () =>
        withEvents(
          toRecord(
            (await outbound.findOneAndUpdate(
              versionFilter(id, version),
              patchUpdate(patch, clock.now()),
              after,
            )) as Doc | null,
          ),
          audit,
        ),
      );
    },
    async list(filter, page): Promise<Page<OutboundRecord>> {
      const limit = checkLimit(page.limit);
      const cursor = decodeTimeCursor(page.cursor);
      checkRangeTimes(filter);
      checkOutboundFilter(filter);
      return guard('outbound.list', async () => {
        const docs = await outbound
          .find(outboundListFilter(filter, cursor))
          .sort(NEWEST_FIRST)
          .limit(limit + 1)
          .lean<Doc[]>();
        return toPage(
          docs.map((d) => toRecord(d) as OutboundRecord),
          limit,
          (last) => encodeTimeCursor({ t: last.createdAt, id: last.id }),
        );
      });
    },
    async listAccepted(olderThan, limit) {
      checkLimit(limit);
      checkTime(olderThan, 'olderThan');
      return guard('outbound.listAccepted', async () =>
        (await outbound.find(acceptedFilter(olderThan)).sort(OLDEST_FIRST).limit(limit).lean<Doc[]>()).map(
          (d) => toRecord(d) as OutboundRecord,
        ),
      );
    },
    async listAtRisk(departureBefore, limit) {
      checkLimit(limit);
      checkTime(departureBefore, 'departureBefore');
      return guard('outbound.listAtRisk', async () =>
        (await outbound.find(atRiskFilter(departureBefore)).sort(DEPARTURE_FIRST).limit(limit).lean<Doc[]>()).map(
          (d) => toRecord(d) as OutboundRecord,
        ),
      );
    },
    async addAttempt(a: DeliveryAttempt, audit?: AuditWith<DeliveryAttempt>) {
      checkAttempt(a);
      await guard('outbound.addAttempt', async () => {
        // Records are never deleted, so "exists, then insert" cannot race with a removal.
        if (!(await outbound.exists({ _id: { $eq: a.messageId } }))) {
          throw tnxError('not_found', 'outbound.addAttempt: referenced record does not exist');
        }
        try {
          // First record of an attempt number wins; a re-run of the same job changes nothing.
          // messageId and attempt come from the filter's equality on insert, so they are not repeated here.
          const { messageId, attempt, ...rest } = a;
          const r = await attempts.updateOne(
            { messageId: { $eq: messageId }, attempt: { $eq: attempt } },
            { $setOnInsert: rest },
            { upsert: true, runValidators: true },
          );
          // Only the write that created the attempt carries its events (as in SQLite).
          if (r.upsertedCount === 1) await withEvents(a, audit);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // two upserts raced; the other inserted it
        }
      });
    },
    listAttempts: (messageId) =>
      guard('outbound.listAttempts', async () =>
        (
          await attempts
            .find({ messageId: { $eq: messageId } }, { _id: 0 })
            .sort({ attempt: 1 })
            .lean<DeliveryAttempt[]>()
        ).map((a) => ({
          messageId: a.messageId,
          attempt: a.attempt,
          startedAt: a.startedAt,
          durationMs: a.durationMs,
          httpStatus: a.httpStatus ?? null,
          error: a.error ?? null,
          outcome: a.outcome,
          mayHaveReached: a.mayHaveReached !== false,
        })),
      ),
  };
}

function toRecord(doc: Doc | null): OutboundRecord | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}
