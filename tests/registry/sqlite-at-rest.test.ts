/**
 * What an attacker holding the database FILE sees: a real SQLite file (WAL, as src/adapters/store-sqlite uses)
 * holding sealed registrants. No personal value appears in the file's bytes; after erasure, with
 * secure_delete and a truncating checkpoint, neither the wrapped data key nor any ciphertext remains in
 * the file or its WAL. The control shows why those two settings are needed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sealRegistrant, shredRegistrant, type SealedRegistrant } from '../../src/domain/registry/sealed-registrant.js';
import { tempDir } from '../harness/tmp.js';
import { cyrillicRegistrant, freshKeys, greekRegistrant, personalStrings } from './fixtures.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

function fileBytes(path: string): Buffer {
  return Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
}

function contains(bytes: Buffer, value: string): boolean {
  return bytes.includes(Buffer.from(value, 'utf8')) || bytes.includes(Buffer.from(value, 'utf16le'));
}

/** The secret-bearing parts of a sealed record: the wrapped key and each field's ciphertext. */
function secrets(s: SealedRegistrant): string[] {
  return [s.dek!.ciphertext, ...Object.values(s.fields).map((t) => t.split('.')[3]!)];
}

function open(path: string, secureDelete: boolean): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
  db.exec('CREATE TABLE IF NOT EXISTS registrant (id TEXT PRIMARY KEY, record TEXT NOT NULL)');
  return db;
}

describe('registry: personal data in the SQLite file', () => {
  const keys = freshKeys();

  it('holds no personal value in the database file or its WAL', () => {
    const path = join(tempDir('tnx-at-rest'), 'registry.sqlite');
    const db = open(path, true);
    const people = [cyrillicRegistrant(), greekRegistrant()];
    const insert = db.prepare('INSERT INTO registrant (id, record) VALUES (?, ?)');
    for (const r of people) insert.run(r.id, JSON.stringify(sealRegistrant(r, keys, NOW)));
    db.close();
    const bytes = fileBytes(path);
    assert.ok(contains(bytes, people[0]!.id), 'control: the file does hold the records');
    for (const r of people)
      for (const v of personalStrings(r)) assert.ok(!contains(bytes, v), 'a personal value is readable in the file');
  });

  it('after erasure keeps neither the wrapped data key nor ciphertexts (secure_delete + WAL truncate)', () => {
    const path = join(tempDir('tnx-at-rest'), 'registry.sqlite');
    const db = open(path, true);
    const r = cyrillicRegistrant();
    const sealed = sealRegistrant(r, keys, NOW);
    db.prepare('INSERT INTO registrant (id, record) VALUES (?, ?)').run(r.id, JSON.stringify(sealed));
    db.pragma('wal_checkpoint(TRUNCATE)');
    assert.ok(
      secrets(sealed).every((s) => contains(fileBytes(path), s)),
      'control: ciphertexts are in the file before erasure',
    );

    db.prepare('UPDATE registrant SET record = ? WHERE id = ?').run(
      JSON.stringify(shredRegistrant(sealed, NOW + 1)),
      r.id,
    );
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fileBytes(path);
    for (const s of secrets(sealed)) assert.ok(!contains(bytes, s), 'erased key material survives in the file');
    db.close();
  });

  it('control: without them, the old wrapped data key is still in the file after the update', () => {
    const path = join(tempDir('tnx-at-rest'), 'registry.sqlite');
    const db = open(path, false);
    const r = cyrillicRegistrant();
    const sealed = sealRegistrant(r, keys, NOW);
    db.prepare('INSERT INTO registrant (id, record) VALUES (?, ?)').run(r.id, JSON.stringify(sealed));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare('UPDATE registrant SET record = ? WHERE id = ?').run(
      JSON.stringify(shredRegistrant(sealed, NOW + 1)),
      r.id,
    );
    // Not yet checkpointed: the main file still holds the page as it was before the erasure.
    assert.ok(contains(fileBytes(path), sealed.dek!.ciphertext));
    db.close();
  });
});
