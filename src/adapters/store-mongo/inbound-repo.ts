/** Inbound messages in MongoDB; de-duplication is the unique (iss, jti) index. */
import type { Model } from 'mongoose';
import { checkInbound, checkRangeTimes } from '../store-common/check-input.js';
import { checkLimit, decodeTimeCursor, encodeTimeCursor, toPage } from '../store-common/paging.js';
import type { AuditEventInput, AuditWith, InboundRecord, InboundRepo, Page } from '../../ports/store/index.js';
import { appendAfter } from './append-after.js';
import { guard, isDuplicateKey } from './errors.js';
import { INBOUND_NEWEST_FIRST, inboundListFilter, jtiFilter } from './queries.js';

type Doc = Omit<InboundRecord, 'id'> & { _id: string };

export function mongoInboundRepo(
  inbound: Model<unknown>,
  append: (events: AuditEventInput[]) => Promise<unknown>,
): InboundRepo {
  const withEvents = appendAfter(append);
  const byJti = async (iss: string, jti: string) => toRecord(await inbound.findOne(jtiFilter(iss, jti)).lean<Doc>());
  return {
    async insertOnce(rec, audit?: AuditWith<InboundRecord>) {
      checkInbound(rec);
      const { id, ...rest } = rec;
      return guard('inbound.insertOnce', async () => {
        // Look first: inside a transaction a duplicate key aborts it (see outbound-repo.ts insert).
        const known = await byJti(rec.iss, rec.jti);
        if (known) return { record: known, created: false };
        try {
          await inbound.create({ _id: id, ...rest });
          await withEvents(rec, audit);
          return { record: rec, created: true };
        } catch (err) {
          if (isDuplicateKey(err, 'jti')) {
            const first = await byJti(rec.iss, rec.jti);
            if (first) return { record: first, created: false };
          }
          throw err;
        }
      });
    },
    get: (id) => guard('inbound.get', async () => toRecord(await inbound.findOne({ _id: { $eq: id } }).lean<Doc>())),
    getByJti: (iss, jti) => guard('inbound.getByJti', () => byJti(iss, jti)),
    async list(filter, page): Promise<Page<InboundRecord>> {
      const limit = checkLimit(page.limit);
      const cursor = decodeTimeCursor(page.cursor);
      checkRangeTimes(filter);
      return guard('inbound.list', async () => {
        const docs = await inbound
          .find(inboundListFilter(filter, cursor))
          .sort(INBOUND_NEWEST_FIRST)
          .limit(limit + 1)
          .lean<Doc[]>();
        return toPage(
          docs.map((d) => toRecord(d) as InboundRecord),
          limit,
          (last) => encodeTimeCursor({ t: last.receivedAt, id: last.id }),
        );
      });
    },
  };
}

function toRecord(doc: Doc | null): InboundRecord | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}
