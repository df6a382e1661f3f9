/**
 * Tampering with the trail as an intruder with write access to the SQLite file would: through a
 * separate better-sqlite3 connection, bypassing the store. Each kind of change must be detected and
 * the first bad seq named.
 */
import { strict as assert } from 'node:assert';
import type Database from 'better-sqlite3';
import { chainHash } from '../../src/domain/audit/chain.js';
import { signCheckpoint } from '../../src/features/audit-trail/checkpoint.js';
import { verifyTrail } from '../../src/features/audit-trail/verify.js';
import { verifySqliteTrail } from '../../src/runtime/audit-verify/verify-parallel.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import { auditFixture, event, rawDb, seed, type AuditFixture } from './helpers.js';

type Row = {
  seq: number;
  id: string;
  at: number;
  action: string;
  actor: string;
  message_id: string | null;
  partner: string | null;
  outcome: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
};
const COLUMNS = [
  'id',
  'at',
  'action',
  'actor',
  'message_id',
  'partner',
  'outcome',
  'detail',
  'prev_hash',
  'hash',
] as const;

function row(db: Database.Database, seq: number): Row {
  return db.prepare('SELECT * FROM audit_events WHERE seq = ?').get(seq) as Row;
}

/** Recompute prev_hash/hash of every row from `fromSeq` on: an intruder without the signing key. */
function rechain(db: Database.Database, fromSeq: number): void {
  let prev = row(db, fromSeq - 1).hash;
  const rows = db.prepare('SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq').all(fromSeq) as Row[];
  const upd = db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const hash = chainHash(prev, {
      seq: r.seq,
      id: r.id,
      at: r.at,
      action: r.action,
      actor: r.actor,
      messageId: r.message_id,
      partner: r.partner,
      outcome: r.outcome,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    });
    upd.run(prev, hash, r.seq);
    prev = hash;
  }
}

/** Shift rows with seq > after up by one, making room for an inserted row. */
function makeRoom(db: Database.Database, after: number): void {
  db.prepare('UPDATE audit_events SET seq = seq + 1000000 WHERE seq > ?').run(after);
  db.prepare('UPDATE audit_events SET seq = seq - 999999 WHERE seq > 1000000').run();
}

describe('audit verify: tampering in SQLite is detected', () => {
  let f: AuditFixture;
  let db: Database.Database;
  let cpSeqs: number[];
  let total: number;

  beforeEach(async () => {
    f = await auditFixture('audit-tamper');
    await seed(f, 60, { batch: 5, sealEvery: 20 });
    await seed(f, 5, { batch: 5 }); // an unsealed tail after the last checkpoint
    cpSeqs = (await f.store.audit.listCheckpoints()).map((c) => c.seq);
    total = await f.store.audit.count();
    db = rawDb(f.path);
  });
  afterEach(async () => {
    db.close();
    await f.store.close();
  });

  /**
   * Both verifiers, which must agree exactly: the sequential walk, and the parallel one split into
   * four segments (three in worker threads) so that segment boundaries fall inside the tampering.
   */
  async function verify(batchSize = 7) {
    const sequential = await verifyTrail(f.store.audit, f.jwks, { batchSize });
    const parallel = await verifySqliteTrail({
      sqlitePath: f.path,
      jwks: f.jwks,
      parallelism: 4,
      minEventsPerSegment: 5,
      batchSize,
    });
    assert.deepEqual(parallel, sequential, 'parallel and sequential verification disagree');
    return sequential;
  }

  it('passes an untouched trail, counting every event and checkpoint', async () => {
    assert.deepEqual(cpSeqs, [21, 42, 63]); // 20 events + the audit.checkpoint event, three times
    assert.equal(total, 68);
    const r = await verify();
    assert.deepEqual(r, { ok: true, events: 68, checkpoints: 3, unsealed: 5 });
  });

  it('edit a field of one event → hash mismatch at that seq', async () => {
    db.prepare("UPDATE audit_events SET outcome = 'failed' WHERE seq = 17").run();
    const r = await verify();
    assert.equal(r.ok, false);
    assert.deepEqual(r.firstBad, { seq: 17, id: row(db, 17).id, problem: 'hash mismatch (event altered)' });
    assert.equal(r.events, 16);
  });

  it('edit the detail JSON of the first event → hash mismatch at seq 1', async () => {
    db.prepare(`UPDATE audit_events SET detail = '{"ref":"r-999"}' WHERE seq = 1`).run();
    const r = await verify();
    assert.equal(r.firstBad?.seq, 1);
    assert.equal(r.firstBad?.problem, 'hash mismatch (event altered)');
  });

  it('edit an event in the unsealed tail → still detected by the chain', async () => {
    db.prepare("UPDATE audit_events SET actor = 'XDD' WHERE seq = 66").run();
    const r = await verify();
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [66, 'hash mismatch (event altered)']);
  });

  it('delete a row → sequence gap at the missing seq', async () => {
    db.prepare('DELETE FROM audit_events WHERE seq = 30').run();
    const r = await verify();
    assert.deepEqual(r.firstBad, { seq: 30, id: row(db, 31).id, problem: 'sequence gap (event removed)' });
  });

  it('delete the rows at a segment boundary of the parallel walk → the same gap as one walk reports', async () => {
    // 68 events in four segments of 17: [1..17] [18..34] [35..51] [52..].
    db.prepare('DELETE FROM audit_events WHERE seq = 34').run();
    const atEnd = await verify();
    assert.deepEqual(atEnd.firstBad, { seq: 34, id: row(db, 35).id, problem: 'sequence gap (event removed)' });
    db.prepare('DELETE FROM audit_events WHERE seq IN (35, 36)').run();
    const across = await verify();
    assert.deepEqual(across.firstBad, { seq: 34, id: row(db, 37).id, problem: 'sequence gap (event removed)' });
  });

  it('delete a row and renumber the rest → prevHash mismatch where the chain breaks', async () => {
    db.prepare('DELETE FROM audit_events WHERE seq = 30').run();
    db.prepare('UPDATE audit_events SET seq = seq - 1 WHERE seq > 30').run();
    const r = await verify();
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [30, 'prevHash mismatch (events reordered or inserted)']);
  });

  it('swap two rows (exchange their contents) → prevHash mismatch at the lower seq', async () => {
    const a = row(db, 10);
    const b = row(db, 11);
    const set = db.prepare(`UPDATE audit_events SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE seq = @seq`);
    db.transaction(() => {
      db.prepare("UPDATE audit_events SET id = 'tmp' WHERE seq = 11").run(); // ids are unique
      set.run({ ...b, seq: 10 });
      set.run({ ...a, seq: 11 });
    })();
    const r = await verify();
    assert.deepEqual(r.firstBad, { seq: 10, id: b.id, problem: 'prevHash mismatch (events reordered or inserted)' });
  });

  it('insert a forged row in the middle (renumbering the rest) → detected at the insertion', async () => {
    makeRoom(db, 25);
    const prev = row(db, 25).hash;
    const forged = {
      seq: 26,
      id: 'forged-1',
      at: 1,
      action: 'notification.delivered',
      actor: 'system',
      messageId: 'msg-x',
      partner: 'XBB',
      outcome: 'delivered',
      detail: null,
    };
    db.prepare(
      `INSERT INTO audit_events (seq, id, at, action, actor, message_id, partner, outcome, detail, prev_hash, hash)
      VALUES (26, 'forged-1', 1, 'notification.delivered', 'system', 'msg-x', 'XBB', 'delivered', NULL, ?, ?)`,
    ).run(prev, chainHash(prev, forged));
    const r = await verify();
    // The forged row itself is well-formed; its successor no longer chains onto it.
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [27, 'prevHash mismatch (events reordered or inserted)']);
  });

  it('insert a forged row and re-hash the whole rest of the chain → the next checkpoint no longer matches', async () => {
    makeRoom(db, 25);
    db.prepare(
      `INSERT INTO audit_events (seq, id, at, action, actor, message_id, partner, outcome, detail, prev_hash, hash)
      VALUES (26, 'forged-2', 1, 'notification.delivered', 'system', 'msg-x', 'XBB', 'delivered', NULL, ?, ?)`,
    ).run('0'.repeat(64), '0'.repeat(64));
    rechain(db, 26);
    const r = await verify();
    // Every hash is consistent again; only the signature at seq 42 (made before the forgery) gives it away.
    assert.deepEqual(r.firstBad, {
      seq: cpSeqs[1],
      id: row(db, cpSeqs[1]!).id,
      problem: 'checkpoint does not match chain',
    });
    assert.equal(r.events, cpSeqs[1]! - 1);
  });

  it('append a forged row at the end with a made-up hash → hash mismatch', async () => {
    const last = row(db, total);
    db.prepare(
      `INSERT INTO audit_events (seq, id, at, action, actor, message_id, partner, outcome, detail, prev_hash, hash)
      VALUES (?, 'forged-3', 1, 'notification.delivered', 'system', NULL, NULL, NULL, NULL, ?, ?)`,
    ).run(total + 1, last.hash, 'f'.repeat(64));
    const r = await verify();
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [total + 1, 'hash mismatch (event altered)']);
  });

  it('forge a checkpoint: re-signed with another key → checkpoint signature invalid', async () => {
    const intruder = await KeyRing.fromJwks(await generateKeySet('XAA', f.clock));
    const genuine = (await f.store.audit.listCheckpoints())[1]!;
    const forged = await signCheckpoint(
      { seq: genuine.seq, headHash: genuine.headHash, at: genuine.at, state: 'XAA' },
      { ...intruder.signingKey(), kid: f.keys.signingKey().kid },
    );
    db.prepare('UPDATE audit_checkpoints SET jws = ? WHERE seq = ?').run(forged.jws, genuine.seq);
    const r = await verify();
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [genuine.seq, 'checkpoint signature invalid']);
  });

  it('forge a checkpoint: altered headHash column → does not match its signed payload', async () => {
    db.prepare('UPDATE audit_checkpoints SET head_hash = ? WHERE seq = ?').run(row(db, 20).hash, cpSeqs[0]);
    const r = await verify();
    assert.deepEqual(
      [r.firstBad?.seq, r.firstBad?.problem],
      [cpSeqs[0], 'checkpoint record does not match its signed payload'],
    );
  });

  it('a validly signed checkpoint whose headHash is not the chain’s → checkpoint does not match chain', async () => {
    const cp = await signCheckpoint(
      { seq: 50, headHash: 'a'.repeat(64), at: f.clock.now(), state: 'XAA' },
      f.keys.signingKey(),
    );
    await f.store.audit.saveCheckpoint(cp);
    const r = await verify();
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [50, 'checkpoint does not match chain']);
  });

  it('a checkpoint JWS with another typ, or with an embedded key, is refused', async () => {
    const { CompactSign } = await import('jose');
    const key = f.keys.signingKey();
    const payload = new TextEncoder().encode(
      JSON.stringify({ seq: 21, headHash: row(db, 21).hash, at: 1, state: 'XAA' }),
    );
    const wrongTyp = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid })
      .sign(key.key);
    db.prepare('UPDATE audit_checkpoints SET jws = ? WHERE seq = 21').run(wrongTyp);
    const r = await verify();
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [21, 'checkpoint signature invalid']);

    // A token carrying its own verification key proves nothing: refused even though it is "valid".
    const jwk = f.jwks.keys.find((k) => k.kid === key.kid)!;
    const embedded = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'tnx-audit-checkpoint+jwt', kid: key.kid, jwk })
      .sign(key.key);
    db.prepare('UPDATE audit_checkpoints SET jws = ? WHERE seq = 21').run(embedded);
    const r2 = await verify();
    assert.deepEqual([r2.firstBad?.seq, r2.firstBad?.problem], [21, 'checkpoint signature invalid']);
  });

  it('truncate the tail past a checkpoint → detected at the first removed seq', async () => {
    db.prepare('DELETE FROM audit_events WHERE seq > 50').run();
    const r = await verify();
    assert.deepEqual(r.firstBad, { seq: 51, id: null, problem: 'chain ends before a checkpoint (tail truncated)' });
    assert.equal(r.events, 50);
  });

  it('truncate the tail and delete its checkpoints too → invisible to this store alone (the documented limit)', async () => {
    db.prepare('DELETE FROM audit_events WHERE seq > 50').run();
    db.prepare('DELETE FROM audit_checkpoints WHERE seq > 50').run();
    const r = await verify();
    // Without the later checkpoints the truncation cannot be seen by this store alone: the
    // documented limit (docs/audit-trail.md). Exports and partner-held copies of checkpoints bound it.
    assert.equal(r.ok, true);
    assert.equal(r.events, 50);
    assert.equal(r.unsealed, 50 - cpSeqs[1]!);
  });

  it('truncating only the unsealed tail is not detectable — the window the checkpoint interval bounds', async () => {
    db.prepare('DELETE FROM audit_events WHERE seq > ?').run(cpSeqs[2]);
    const r = await verify();
    assert.deepEqual(r, { ok: true, events: cpSeqs[2], checkpoints: 3, unsealed: 0 });
  });

  it('verifies in batches of any size with the same result', async () => {
    db.prepare("UPDATE audit_events SET partner = 'XDD' WHERE seq = 44").run();
    for (const size of [1, 2, 44, 45, 1000]) {
      const r = await verifyTrail(f.store.audit, f.jwks, { batchSize: size });
      assert.deepEqual([r.firstBad?.seq, r.events], [44, 43], `batch ${size}`);
    }
  });

  it('keeps verifying while new events are appended after it started', async () => {
    const pending = verifyTrail(f.store.audit, f.jwks, { batchSize: 3 });
    await f.bus.publish(event(999, f.clock));
    const r = await pending;
    assert.equal(r.ok, true);
    assert.ok(r.events === total || r.events === total + 1);
  });
});
