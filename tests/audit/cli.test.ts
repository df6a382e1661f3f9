/** `tnx audit …` run as a real process, against a real SQLite file and a real key file. */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { writePrivateJwksFile, writePublicJwksFile } from '../../src/domain/keys/files.js';
import { auditFixture, seed, type AuditFixture } from './helpers.js';

const BIN = resolve('bin/tnx.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function tnx(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, TNX_CONFIG: '' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

describe('tnx audit (CLI, real process)', function () {
  this.timeout(120_000);
  let f: AuditFixture;
  let config: string;
  let publicJwks: string;

  before(async () => {
    f = await auditFixture('audit-cli');
    await seed(f, 30, { batch: 5, sealEvery: 10 }); // 33 events, checkpoints at 11, 22, 33
    await seed(f, 2, { batch: 2 });
    await f.store.close();
    writePrivateJwksFile(join(f.dir, 'keys.json'), f.privateJwks, { overwrite: false });
    publicJwks = join(f.dir, 'public.jwks.json');
    writePublicJwksFile(publicJwks, f.privateJwks, { overwrite: false });
    config = join(f.dir, 'tnx.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        state: 'XAA',
        pointOfContact: {
          unit: 'National Central Bureau',
          email: 'ncb@example.org',
          phone: '+1 555 0100',
          hours: '24/7',
        },
        keys: { privateJwksPath: 'keys.json' },
        store: { kind: 'sqlite', sqlitePath: 'tnx.sqlite' },
      }),
    );
  });

  it('verify exits 0 on an intact trail and says how much it checked', async () => {
    const r = await tnx(['audit', 'verify', '--config', config], f.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /audit trail intact: 35 events, 3 checkpoints checked/);
    assert.match(r.stdout, /last 2 events are not yet covered by a checkpoint/);
  });

  it('export writes JSON Lines that verify-export accepts with the public JWKS, and records audit.exported', async () => {
    const out = join(f.dir, 'export-1.jsonl');
    const r = await tnx(
      [
        'audit',
        'export',
        '--config',
        config,
        '--from',
        '2026-11-27T00:00:00Z',
        '--to',
        '2026-11-28T00:00:00Z',
        '--out',
        out,
        '--actor',
        'auditor-7',
      ],
      f.dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /exported 35 events \(seq 1\.\.35\) and 3 checkpoints/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1 + 3 + 35);

    const ok = await tnx(['audit', 'verify-export', '--jwks', publicJwks, '--in', out], f.dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /export intact: 35 events \(seq 1\.\.35\), 3 checkpoints checked/);

    const db = new Database(join(f.dir, 'tnx.sqlite'), { readonly: true });
    const last = db.prepare('SELECT action, actor, detail FROM audit_events ORDER BY seq DESC LIMIT 1').get() as {
      action: string;
      actor: string;
      detail: string;
    };
    db.close();
    assert.deepEqual(
      [last.action, last.actor, JSON.parse(last.detail)],
      ['audit.exported', 'auditor-7', { fromSeq: 1, toSeq: 35, events: 35, checkpoints: 3 }],
    );

    // One edited line in the file → exit 1 naming the event.
    const edited = lines.map((l) => {
      const v = JSON.parse(l) as Record<string, unknown>;
      return v.type === 'event' && v.seq === 8 ? JSON.stringify({ ...v, actor: 'XZZ' }) : l;
    });
    const bad = join(f.dir, 'export-edited.jsonl');
    writeFileSync(bad, `${edited.join('\n')}\n`);
    const fail = await tnx(['audit', 'verify-export', '--jwks', publicJwks, '--in', bad], f.dir);
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /first bad event seq 8 \(id [0-9a-f-]+\): hash mismatch \(event altered\)/);

    // Never overwrites an earlier export.
    const again = await tnx(
      ['audit', 'export', '--config', config, '--from-seq', '1', '--to-seq', '2', '--out', out],
      f.dir,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /conflict/);
  });

  it('verify exits 1 after tampering, naming the first bad event and the problem', async () => {
    const db = new Database(join(f.dir, 'tnx.sqlite'));
    const id = (db.prepare('SELECT id FROM audit_events WHERE seq = 14').get() as { id: string }).id;
    db.prepare("UPDATE audit_events SET partner = 'XZZ' WHERE seq = 14").run();
    db.close();
    const r = await tnx(['audit', 'verify', '--config', config], f.dir);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(`audit trail TAMPERED: first bad event seq 14 \\(id ${id}\\): hash mismatch \\(event altered\\)`),
    );
    assert.match(r.stderr, /checked 13 events and 1 checkpoints before it/);

    const json = await tnx(['audit', 'verify', '--config', config, '--json', '--jwks', publicJwks], f.dir);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout).firstBad, { seq: 14, id, problem: 'hash mismatch (event altered)' });
  });

  it('verifies a MongoDB store through the port: an unreachable server is store_unavailable, exit 1', async function () {
    this.timeout(40_000);
    const cfg = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    const mongo = join(f.dir, 'mongo.config.json');
    // Port 1 on loopback: nothing listens, so server selection fails (after its timeout) with a typed error.
    writeFileSync(
      mongo,
      JSON.stringify({ ...cfg, store: { kind: 'mongodb', mongodbUri: 'mongodb://127.0.0.1:1/tnx' } }),
    );
    const r = await tnx(['audit', 'verify', '--config', mongo], f.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /store_unavailable/);
    assert.doesNotMatch(r.stderr, /supports store\.kind/);
  });

  it('answers usage errors with exit 2 and a missing store with exit 1, creating nothing', async () => {
    const usage = await tnx(
      ['audit', 'export', '--config', config, '--from', 'yesterday', '--to', '2026-11-28T00:00:00Z'],
      f.dir,
    );
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /RFC 3339/);
    const cfg = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    const missing = join(f.dir, 'other.config.json');
    writeFileSync(missing, JSON.stringify({ ...cfg, store: { sqlitePath: 'nowhere/tnx.sqlite' } }));
    const r = await tnx(['audit', 'verify', '--config', missing], f.dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /store_unavailable: no store at/);
    assert.equal(existsSync(join(f.dir, 'nowhere')), false, 'verify must not create an empty store');

    const out = join(f.dir, 'export-bad-actor.jsonl');
    const badActor = await tnx(
      ['audit', 'export', '--config', config, '--from-seq', '1', '--to-seq', '5', '--out', out, '--actor', 'Jane Doe'],
      f.dir,
    );
    assert.equal(badActor.code, 1);
    assert.match(badActor.stderr, /audit_event_refused/);
    assert.equal(existsSync(out), false, 'nothing written when the export cannot be recorded');
    assert.deepEqual(
      readdirSync(f.dir).filter((n) => n.endsWith('.partial')),
      [],
      'no temporary files left behind',
    );
  });
});
