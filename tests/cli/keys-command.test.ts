/** `tnx keys …` run as the real command (node bin/tnx.mjs) against files in a temp folder. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../harness/tmp.js';
import { tnx, ROOT } from './keys-spawn.js';
import { openStore } from '../../src/runtime/open-store.js';
import { verifyTrail } from '../../src/features/audit-trail/verify.js';
import { auditJwksFromFile } from '../../src/features/audit-trail/audit-jwks.js';

interface Jwk {
  kid: string;
  use: string;
  alg: string;
  d?: string;
  tnx_retired?: string;
}
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as { keys: Jwk[] };

/** A FRA gateway's configuration in `gw` (SQLite store there, keys to be generated there): for `--config`. */
function fraGateway(gw: string): { keysPath: string; sqlitePath: string; configPath: string } {
  const keysPath = join(gw, 'fra.private.jwks.json');
  const sqlitePath = join(gw, 'tnx.sqlite');
  const configPath = join(gw, 'tnx.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      state: 'FRA',
      pointOfContact: { unit: 'Desk', email: 'desk@fra.example.org', phone: '+33 1 00 00 00 00', hours: '24/7' },
      keys: { privateJwksPath: keysPath },
      store: { kind: 'sqlite', sqlitePath },
      directoryPath: join(ROOT, 'config/directory.fra.json'),
    }),
  );
  return { keysPath, sqlitePath, configPath };
}

describe('cli: tnx keys', () => {
  let dir: string;
  let priv: string;
  let pub: string;

  before(() => {
    dir = tempDir('keys-cli');
    priv = join(dir, 'usa.private.jwks.json');
    pub = join(dir, 'usa.public.jwks.json');
  });

  it('generate writes a 0600 private JWKS (ES256 sig + ECDH-ES+A256KW enc) and its public JWKS', () => {
    const r = tnx(['keys', 'generate', '--state', 'USA', '--out', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(statSync(priv).mode & 0o777, 0o600);
    const keys = read(priv).keys;
    assert.deepEqual(
      keys.map((k) => [k.use, k.alg]),
      [
        ['sig', 'ES256'],
        ['enc', 'ECDH-ES+A256KW'],
      ],
    );
    assert.ok(keys.every((k) => typeof k.d === 'string' && k.kid.startsWith('USA-')));
    const published = read(pub).keys;
    assert.deepEqual(
      published.map((k) => k.kid),
      keys.map((k) => k.kid),
    );
    assert.ok(published.every((k) => k.d === undefined));
    assert.ok(!r.stdout.includes(keys[0]!.d!), 'no key material printed');
  });

  it('generate refuses to overwrite without --force, and replaces with --force', () => {
    const before = read(priv).keys.map((k) => k.kid);
    const r = tnx(['keys', 'generate', '--state', 'USA', '--out', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /conflict: .* exists; pass --force/);
    assert.deepEqual(
      read(priv).keys.map((k) => k.kid),
      before,
      'untouched',
    );
    const f = tnx(['keys', 'generate', '--state', 'USA', '--out', dir, '--force']);
    assert.equal(f.status, 0, f.stderr);
    assert.notDeepEqual(
      read(priv).keys.map((k) => k.kid),
      before,
    );
  });

  it('rotate adds a new signing and encryption key with new kids and keeps the old ones', () => {
    const old = read(priv).keys;
    const r = tnx(['keys', 'rotate', '--keys', priv]);
    assert.equal(r.status, 0, r.stderr);
    const now = read(priv).keys;
    assert.equal(now.length, 4);
    assert.deepEqual(
      now.slice(0, 2).map((k) => k.kid),
      old.map((k) => k.kid),
    );
    assert.deepEqual(
      now.slice(2).map((k) => k.use),
      ['sig', 'enc'],
    );
    assert.equal(new Set(now.map((k) => k.kid)).size, 4);
    assert.equal(statSync(priv).mode & 0o777, 0o600, 'still 0600 after rewrite');
    assert.equal(read(pub).keys.length, 4);
  });

  it('retire marks a key retired and the public JWKS stops publishing it', () => {
    const oldEnc = read(priv).keys.find((k) => k.use === 'enc')!.kid;
    const r = tnx(['keys', 'retire', '--keys', priv, '--kid', oldEnc]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(read(priv).keys.find((k) => k.kid === oldEnc)?.tnx_retired);
    assert.ok(!read(pub).keys.some((k) => k.kid === oldEnc));
    assert.equal(read(pub).keys.length, 3);
  });

  it('generate --profile rsa makes PS256 + RSA-OAEP-256 keys', () => {
    const r = tnx(['keys', 'generate', '--state', 'GBR', '--out', dir, '--profile', 'rsa']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      read(join(dir, 'gbr.private.jwks.json')).keys.map((k) => k.alg),
      ['PS256', 'RSA-OAEP-256'],
    );
  });

  it('usage errors exit 2 with the usage text: unknown option, bad state, missing --kid, unknown verb', () => {
    for (const args of [
      ['keys', 'generate', '--state', 'USA', '--out', dir, '--forse'],
      ['keys', 'generate', '--state', 'usa', '--out', dir],
      ['keys', 'retire', '--keys', priv],
      ['keys', 'destroy'],
    ]) {
      const r = tnx(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /usage: tnx keys generate/);
    }
  });

  it("with --config, generate, rotate and retire are written to that gateway's audit trail", async () => {
    const gw = tempDir('keys-audit');
    const { keysPath, sqlitePath, configPath } = fraGateway(gw);
    const g = tnx(['keys', 'generate', '--state', 'FRA', '--out', gw, '--config', configPath]);
    assert.equal(g.status, 0, g.stderr);
    const generated = read(keysPath).keys.map((k) => k.kid);
    // rotate and retire take the key file from the configuration
    const r = tnx(['keys', 'rotate'], { TNX_CONFIG: configPath });
    assert.equal(r.status, 0, r.stderr);
    const added = read(keysPath)
      .keys.map((k) => k.kid)
      .filter((k) => !generated.includes(k));
    const t = tnx(['keys', 'retire', '--kid', generated[1]!, '--config', configPath]);
    assert.equal(t.status, 0, t.stderr);
    const unaudited = tnx(['keys', 'rotate', '--keys', keysPath]);
    assert.match(unaudited.stderr, /not audited/);

    const store = await openStore({ kind: 'sqlite', sqlitePath } as never);
    try {
      const kids = async (action: string) =>
        (await store.audit.query({ action }, { limit: 10 })).items.map((e) => (e.detail as { kid: string }).kid).sort();
      assert.deepEqual(await kids('key.generated'), [...generated].sort());
      assert.deepEqual(await kids('key.rotated'), [...added].sort());
      assert.deepEqual(await kids('key.retired'), [generated[1]]);
      const ev = (await store.audit.query({ action: 'key.retired' }, { limit: 1 })).items[0]!;
      assert.equal(ev.actor, 'cli');
      assert.ok(!JSON.stringify(ev).includes('"d"'), 'no key material in the trail');
      assert.equal((await verifyTrail(store.audit, auditJwksFromFile(keysPath))).ok, true);
    } finally {
      await store.close();
    }
  });

  it('a corrupt key file is refused with key_material_invalid (exit 1) and left as it was', () => {
    const bad = join(dir, 'bad.private.jwks.json');
    writeFileSync(bad, '{"keys":[{"kty":"EC"}]}', { mode: 0o600 });
    const r = tnx(['keys', 'rotate', '--keys', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /key_material_invalid/);
    assert.equal(readFileSync(bad, 'utf8'), '{"keys":[{"kty":"EC"}]}');
  });

  it('a store that cannot record the change stops the command with the key files as they were', async () => {
    const gw = tempDir('keys-audit-refused');
    const { keysPath, sqlitePath, configPath } = fraGateway(gw);
    const publicPath = join(gw, 'fra.public.jwks.json');
    assert.equal(tnx(['keys', 'generate', '--state', 'FRA', '--out', gw, '--config', configPath]).status, 0);
    const [privateBefore, publicBefore] = [readFileSync(keysPath, 'utf8'), readFileSync(publicPath, 'utf8')];
    // The store opens, then refuses every audit event: as a full disk or a failing database would.
    const db = new Database(sqlitePath);
    db.exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    db.close();

    const rotate = tnx(['keys', 'rotate', '--config', configPath]);
    assert.notEqual(rotate.status, 0, 'the command fails');
    const retire = tnx(['keys', 'retire', '--kid', (read(keysPath).keys[0] as Jwk).kid, '--config', configPath]);
    assert.notEqual(retire.status, 0);
    assert.equal(readFileSync(keysPath, 'utf8'), privateBefore, 'the private key file is unchanged');
    assert.equal(readFileSync(publicPath, 'utf8'), publicBefore, 'the public key file is unchanged');
    const other = join(gw, 'other');
    const generate = tnx(['keys', 'generate', '--state', 'FRA', '--out', other, '--config', configPath]);
    assert.notEqual(generate.status, 0);
    assert.deepEqual(readdirSync(other), [], 'no key file, and no staged file left behind');
    assert.deepEqual(
      readdirSync(gw).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it("generating the coordinator's key does not write to the gateway TNX_CONFIG names", async () => {
    const gw = tempDir('keys-coordinator');
    const { sqlitePath, configPath } = fraGateway(gw);
    assert.equal(tnx(['keys', 'generate', '--state', 'FRA', '--out', gw, '--config', configPath]).status, 0);
    const c = tnx(['keys', 'generate', '--use', 'coordinator', '--out', join(gw, 'coord')], { TNX_CONFIG: configPath });
    assert.equal(c.status, 0, c.stderr);
    assert.match(c.stderr, /not audited/);
    const store = await openStore({ kind: 'sqlite', sqlitePath } as never);
    try {
      const events = (await store.audit.query({ action: 'key.generated' }, { limit: 10 })).items;
      assert.equal(events.length, 2, "only the gateway's own two keys");
    } finally {
      await store.close();
    }
  });
});
