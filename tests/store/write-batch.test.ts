/**
 * Group commit of the SQLite adapter (src/adapters/store-sqlite/write-batch.ts), on real files with a second
 * connection watching: writes of one turn share one commit, each stays atomic on its own, a caller
 * hears "done" only once the commit is visible to others, and nothing pending is lost at close.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WriteBatch } from '../../src/adapters/store-sqlite/write-batch.js';
import { tempDir } from '../harness/tmp.js';

function openPair(): { db: Database.Database; other: Database.Database } {
  const path = join(tempDir('tnx-batch'), 'b.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const other = new Database(path);
  return { db, other };
}

const count = (d: Database.Database): number => (d.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
/** PRAGMA data_version changes once per commit made by ANOTHER connection. */
const version = (d: Database.Database): number => d.pragma('data_version', { simple: true }) as number;

describe('sqlite write batch (group commit)', () => {
  it('writes of one turn share one commit, each settling with its own result', async () => {
    const { db, other } = openPair();
    const batch = new WriteBatch(db);
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    const before = version(other);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => batch.run(() => ins.run(`k${i}`, i).changes)),
    );
    assert.deepEqual(results, Array(50).fill(1));
    assert.equal(version(other) - before, 1, 'one commit for the 50 writes');
    assert.equal(count(other), 50);
    db.close();
    other.close();
  });

  it('a write that throws is rolled back alone; its neighbours commit', async () => {
    const { db, other } = openPair();
    const batch = new WriteBatch(db);
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    const outcomes = await Promise.allSettled([
      batch.run(() => ins.run('a', 1)),
      batch.run(() => {
        ins.run('b', 2); // part of the failing write: must not survive
        ins.run('a', 3); // duplicate key
      }),
      batch.run(() => ins.run('c', 3)),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /UNIQUE/);
    assert.deepEqual(other.prepare('SELECT k FROM t ORDER BY k').all(), [{ k: 'a' }, { k: 'c' }]);
    db.close();
    other.close();
  });

  it('when the transaction cannot be had, every write of the batch fails and nothing is stored', async () => {
    const { db, other } = openPair();
    db.pragma('busy_timeout = 50');
    const batch = new WriteBatch(db);
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    other.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    const outcomes = await Promise.allSettled([batch.run(() => ins.run('x', 1)), batch.run(() => ins.run('y', 2))]);
    other.exec('ROLLBACK');
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected'],
    );
    assert.equal(count(other), 0);
    assert.equal(db.inTransaction, false, 'the connection is usable again');
    await batch.run(() => ins.run('z', 3));
    assert.equal(count(other), 1);
    db.close();
    other.close();
  });

  it('flush() commits what is pending at once (the store calls it before closing)', async () => {
    const { db, other } = openPair();
    const batch = new WriteBatch(db);
    const ins = db.prepare('INSERT INTO t VALUES (?, ?)');
    const pending = batch.run(() => ins.run('p', 1).changes);
    assert.equal(count(other), 0, 'not yet: the batch waits for the end of the turn');
    batch.flush();
    db.close();
    assert.equal(await pending, 1);
    assert.equal(count(other), 1);
    await assert.rejects(
      batch.run(() => 1),
      /closed/,
      'a write after close is refused, not lost silently',
    );
    other.close();
  });
});
