/**
 * The SQLite write path's cost guards (BENCHMARKS.md "End to end"): a transition names only the
 * columns its patch carries, and the WAL is checkpointed every WAL_AUTOCHECKPOINT_PAGES pages.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NewOutbound, OutboundRecord } from '../../src/ports/store/index.js';
import { migrate } from '../../src/adapters/store-sqlite/migrations.js';
import { openSqliteStore, WAL_AUTOCHECKPOINT_PAGES } from '../../src/adapters/store-sqlite/open-sqlite-store.js';
import { sqliteOutboundRepo } from '../../src/adapters/store-sqlite/outbound-repo.js';
import { sqliteChain } from '../../src/adapters/store-sqlite/audit-repo.js';
import { WriteBatch } from '../../src/adapters/store-sqlite/write-batch.js';
import { ManualClock } from '../../src/core/clock.js';
import { tempDir } from '../harness/tmp.js';

function newOutbound(): NewOutbound {
  const id = randomUUID();
  return {
    id,
    messageType: 'TravelNotification',
    notificationId: id,
    partner: 'GBR',
    state: 'accepted',
    submittedBy: 'tok-1',
    idempotencyKey: null,
    requestHash: 'h'.repeat(43),
    message: { v: '1', type: 'TravelNotification', notificationId: id } as unknown as OutboundRecord['message'],
    source: 'pnr',
    departureAt: 2_000_000_000_000,
    createdAt: 1_900_000_000_000,
  };
}

describe('sqlite hot path', () => {
  it('a transition writes only the columns of its patch (no message rewrite, no stats trigger)', async () => {
    const db = new Database(join(tempDir('tnx-hot'), 'hot.sqlite'));
    try {
      migrate(db);
      // TEMP triggers observe which columns each UPDATE names, as SQLite sees them.
      db.exec(`CREATE TEMP TABLE seen (col TEXT);
        CREATE TEMP TRIGGER t_msg AFTER UPDATE OF message ON main.outbound BEGIN INSERT INTO seen VALUES ('message'); END;
        CREATE TEMP TRIGGER t_src AFTER UPDATE OF source ON main.outbound BEGIN INSERT INTO seen VALUES ('source'); END;
        CREATE TEMP TRIGGER t_jwe AFTER UPDATE OF jwe ON main.outbound BEGIN INSERT INTO seen VALUES ('jwe'); END;`);
      const repo = sqliteOutboundRepo(db, new ManualClock(1_900_000_000_500), sqliteChain(db), new WriteBatch(db));
      const seen = (): string[] =>
        (db.prepare('DELETE FROM seen RETURNING col').all() as { col: string }[]).map((r) => r.col).sort();
      const { record } = await repo.insert(newOutbound());
      seen();

      const queued = await repo.transition(record.id, ['accepted'], 'queued', { queuedAt: 1_900_000_000_100 });
      assert.deepEqual(seen(), []);
      assert.equal(queued?.state, 'queued');
      assert.deepEqual(queued?.message, record.message, 'untouched columns keep their values');

      const sealed = await repo.update(record.id, queued.version, { jwe: 'a.b.c.d.e', jti: 'j-1' });
      assert.deepEqual(seen(), ['jwe']);
      assert.equal(sealed?.jwe, 'a.b.c.d.e');
      assert.equal(sealed?.queuedAt, 1_900_000_000_100);

      // An explicit null is a value to write, unlike an absent field.
      const cleared = await repo.transition(record.id, ['queued'], 'retrying', { lastError: null, source: null });
      assert.deepEqual(seen(), ['source']);
      assert.equal(cleared?.source, null);
      assert.equal(cleared?.jwe, 'a.b.c.d.e');
    } finally {
      db.close();
    }
  });

  it(`checkpoints the WAL every ${WAL_AUTOCHECKPOINT_PAGES} pages, not SQLite's default 1000`, async function () {
    this.timeout(60_000);
    const path = join(tempDir('tnx-hot'), 'wal.sqlite');
    const store = await openSqliteStore({ path });
    try {
      const pageSize = 4096;
      // With the default the WAL restarts from its beginning after ~1000 pages and stops growing there.
      for (let i = 0; statSync(`${path}-wal`).size <= 1500 * pageSize; i += 1) {
        assert.ok(i < 5000, 'the WAL never grew past 1500 pages: it is being checkpointed early');
        await store.audit.append(
          Array.from({ length: 20 }, () => ({
            action: 'notification.queued',
            actor: 'system',
            at: 1_900_000_000_000 + i,
            messageId: randomUUID(),
            partner: 'GBR',
            outcome: 'queued',
            detail: null,
          })),
        );
      }
      assert.ok(statSync(`${path}-wal`).size > 1500 * pageSize);
    } finally {
      await store.close();
    }
  });
});
