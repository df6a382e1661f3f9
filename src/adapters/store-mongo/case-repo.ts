/**
 * Unreported-travel cases in MongoDB. One case per trip is the unique index on tripKey: of two
 * processes opening a case for the same trip, the second insert fails with a duplicate key and the
 * repository returns the first case instead. Only the insert that opened the case appends its audit
 * events (port AuditWith), right after it (`appendAfter`).
 */
import type { Model } from 'mongoose';
import { checkLimit, decodeTimeCursor, encodeTimeCursor, toPage } from '../store-common/paging.js';
import type { AuditEventInput, AuditWith, CaseRecord, CaseRepo } from '../../ports/store/index.js';
import { appendAfter } from './append-after.js';
import { guard, isDuplicateKey } from './errors.js';
import { CASES_NEWEST_FIRST, byId, caseCountFilter, caseListFilter, tripFilter } from './screening-queries.js';

type Doc = Omit<CaseRecord, 'id'> & { _id: string };

function toCase(d: Doc | null): CaseRecord | null {
  if (!d) return null;
  const { _id, ...rest } = d;
  return { id: _id, ...rest };
}

export function mongoCaseRepo(
  cases: Model<unknown>,
  append: (events: AuditEventInput[]) => Promise<unknown>,
): CaseRepo {
  const withEvents = appendAfter(append);
  return {
    open: (c, audit?: AuditWith<CaseRecord>) =>
      guard('cases.open', async () => {
        const { id, ...rest } = c;
        // Look first: inside a transaction a duplicate key aborts it (see outbound-repo.ts insert).
        const known = toCase(await cases.findOne(tripFilter(c.tripKey)).lean<Doc>());
        if (known) return { record: known, created: false };
        try {
          await cases.create({ _id: id, ...rest });
        } catch (err) {
          if (!isDuplicateKey(err, 'tripKey')) throw err;
          const first = toCase(await cases.findOne(tripFilter(c.tripKey)).lean<Doc>());
          if (!first) throw err;
          return { record: first, created: false };
        }
        await withEvents(c, audit);
        return { record: c, created: true };
      }),
    get: (id) => guard('cases.get', async () => toCase(await cases.findOne(byId(id)).lean<Doc>())),
    setNotification: (id, notificationId, notification) =>
      guard('cases.setNotification', async () =>
        toCase(
          (await cases.findOneAndUpdate(
            byId(id),
            { $set: { notificationId, notification } },
            {
              returnDocument: 'after',
              lean: true,
              runValidators: true,
            },
          )) as Doc | null,
        ),
      ),
    list: (filter, page) => {
      const limit = checkLimit(page.limit);
      const after = decodeTimeCursor(page.cursor);
      return guard('cases.list', async () => {
        const docs = await cases
          .find(caseListFilter(filter, after))
          .sort(CASES_NEWEST_FIRST)
          .limit(limit + 1)
          .lean<Doc[]>();
        return toPage(
          docs.map((d) => toCase(d) as CaseRecord),
          limit,
          (last) => encodeTimeCursor({ t: last.openedAt, id: last.id }),
        );
      });
    },
    count: (from, to) => guard('cases.count', async () => cases.countDocuments(caseCountFilter(from, to))),
  };
}
