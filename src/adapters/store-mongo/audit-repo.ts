/**
 * The audit trail in MongoDB, extended by several processes at once WITHOUT multi-document
 * transactions (so it works on a standalone server as well as on a replica set).
 *
 * The chain head is one document, `audit_head` {_id:"audit", seq, hash, pending}. To append:
 *   1. read the head; if it carries a `pending` batch, help materialise it first (step 3), re-read;
 *   2. compute the batch's seq/prevHash/hash from the head (extendChain) and compare-and-set the head
 *      from (seq, hash, pending = null) to (last seq, last hash, pending = the batch). This single-
 *      document update is atomic: of several appenders that read the same head exactly one matches;
 *      the others re-read and chain onto the winner. The batch is now durable (write concern majority)
 *      as part of the head itself — all of it or none of it.
 *   3. materialise: insertMany the pending events into audit_events (unique seq; a duplicate key means
 *      a helper already wrote that event — same bytes, since it was computed once), then clear
 *      `pending` with a CAS on the batch's first seq.
 * If the appender dies between 2 and 3, the next append (or head/range/count call, from any process)
 * finishes step 3, so a batch is never half-visible for long and never lost. The unique seq index is
 * the backstop: two events can never occupy one position.
 */
import type { Model } from 'mongoose';
import { GENESIS_HASH } from '../../domain/audit/chain.js';
import { tnxError } from '../../core/errors.js';
import { checkAuditBatch, extendChain } from '../store-common/audit-extend.js';
import { checkCheckpoint, checkRangeTimes } from '../store-common/check-input.js';
import { auditCursor, planAuditQuery } from '../store-common/audit-plan.js';
import { checkLimit, toPage } from '../store-common/paging.js';
import type { AuditCheckpoint, AuditEvent, AuditEventInput, AuditRepo, Page } from '../../ports/store/index.js';
import { guard, isDuplicateKey } from './errors.js';
import {
  CHECKPOINT_ORDER,
  CLEAR_PENDING,
  HEAD_ID,
  SEQ_ASC,
  auditQuery,
  auditRangeFilter,
  clearPendingFilter,
  headCasFilter,
  headCasUpdate,
  type AuditEventDoc,
} from './queries.js';

interface HeadDoc {
  _id: string;
  seq: number;
  hash: string;
  pending: AuditEventDoc[] | null;
}

/** A CAS loses only when another appender won; give up (store_unavailable, retryable) after this many. */
const MAX_CAS_ATTEMPTS = 1000;

export function mongoAuditRepo(events: Model<unknown>, head: Model<unknown>, checkpoints: Model<unknown>): AuditRepo {
  const readHead = async (): Promise<HeadDoc> => {
    const h = await head.findOne({ _id: { $eq: HEAD_ID } }).lean<HeadDoc>();
    return h ?? { _id: HEAD_ID, seq: 0, hash: GENESIS_HASH, pending: null };
  };

  const materialise = async (pending: AuditEventDoc[]): Promise<void> => {
    try {
      await events.insertMany(pending, { ordered: false, throwOnValidationError: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // already written (by us earlier, or by a helper)
    }
    await head.updateOne(clearPendingFilter((pending[0] as AuditEventDoc).seq), CLEAR_PENDING);
  };

  /** The head with no batch pending: helps finish a pending batch first. */
  const settledHead = async (): Promise<HeadDoc> => {
    for (;;) {
      const h = await readHead();
      if (!h.pending || h.pending.length === 0) return h;
      await materialise(h.pending);
    }
  };

  return {
    async append(input: AuditEventInput[]) {
      const inputs = checkAuditBatch(input);
      if (inputs.length === 0) return [];
      // The head document exists: openMongoStore creates it before any append, outside every
      // transaction (creating it inside one would abort that transaction on another process's head).
      return guard('audit.append', async () => {
        for (let i = 0; i < MAX_CAS_ATTEMPTS; i++) {
          const h = await settledHead();
          const chained = extendChain(h, inputs);
          const docs = chained.map(toDoc);
          const won = await head.updateOne(headCasFilter(h), headCasUpdate(docs));
          if (won.modifiedCount !== 1) continue; // another appender moved the head: chain onto theirs
          await materialise(docs);
          return chained;
        }
        throw tnxError('store_unavailable', 'audit.append: too much contention on the chain head');
      });
    },
    head: () =>
      guard('audit.head', async () => {
        const h = await settledHead();
        return h.seq === 0 ? null : { seq: h.seq, hash: h.hash };
      }),
    async range(fromSeq, toSeq, limit) {
      checkLimit(limit);
      if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq)) {
        throw tnxError('invalid_request', 'range bounds must be integers', { pointer: 'fromSeq' });
      }
      return guard('audit.range', async () => {
        await settledHead();
        return (
          await events.find(auditRangeFilter(fromSeq, toSeq)).sort(SEQ_ASC).limit(limit).lean<AuditEventDoc[]>()
        ).map(fromDoc);
      });
    },
    async query(filter, page): Promise<Page<AuditEvent>> {
      const limit = checkLimit(page.limit);
      const plan = planAuditQuery(filter, page.cursor);
      checkRangeTimes(filter);
      const { filter: where, sort, hint } = auditQuery(filter, plan);
      return guard('audit.query', async () => {
        const docs = await events
          .find(where)
          .sort(sort)
          .hint(hint)
          .limit(limit + 1)
          .lean<AuditEventDoc[]>();
        return toPage(docs.map(fromDoc), limit, (last) => auditCursor(plan, last));
      });
    },
    count: () =>
      guard('audit.count', async () => {
        await settledHead();
        return events.countDocuments({});
      }),
    async saveCheckpoint(c: AuditCheckpoint) {
      checkCheckpoint(c);
      await guard('audit.saveCheckpoint', () =>
        checkpoints.create({ seq: c.seq, headHash: c.headHash, jws: c.jws, at: c.at }),
      );
    },
    listCheckpoints: () =>
      guard('audit.listCheckpoints', async () =>
        (await checkpoints.find({}).sort(CHECKPOINT_ORDER).lean<(AuditCheckpoint & { _id: unknown })[]>()).map((c) => ({
          seq: c.seq,
          headHash: c.headHash,
          jws: c.jws,
          at: c.at,
        })),
      ),
  };
}

function toDoc(e: AuditEvent): AuditEventDoc {
  const { id, detail, ...rest } = e;
  // Stored as JSON text: JSON.stringify keeps the values canonicalJson accepted, and parsing it back
  // gives the same canonical form (key order does not matter to the hash, values do).
  return { _id: id, ...rest, detail: detail === null ? null : JSON.stringify(detail) };
}

function fromDoc(d: AuditEventDoc): AuditEvent {
  return {
    seq: d.seq,
    id: d._id,
    at: d.at,
    action: d.action,
    actor: d.actor,
    messageId: d.messageId ?? null,
    partner: d.partner ?? null,
    outcome: d.outcome ?? null,
    detail: d.detail === null || d.detail === undefined ? null : (JSON.parse(d.detail) as Record<string, unknown>),
    prevHash: d.prevHash,
    hash: d.hash,
  };
}
