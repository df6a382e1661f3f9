/**
 * `tnx config check` past loading, as the real command: registry key files, nobody able to call the
 * API, a MongoDB store allowed to run standalone, and a Redis without persistence — against real redis-servers, one started with
 * `--save '' --appendonly no` (the harness's) and one with AOF turned on.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ManualClock } from '../../src/core/clock.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { writePrivateJwksFile } from '../../src/domain/keys/files.js';
import { startRedisServer, type LocalRedis } from '../../src/runtime/redis-server.js';
import { tnx } from '../cli/keys-spawn.js';
import { redisUrl } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';

const POC = { unit: 'Desk', email: 'desk@x.example.org', phone: '+1 555 0100', hours: '24/7' };
const TOKEN = { id: 'ops', role: 'auditor', sha256: 'a'.repeat(64) };

describe('config: tnx config check, operational findings', function () {
  this.timeout(120_000);
  let dir: string;
  let bare: string;
  let aof: LocalRedis;

  before(async () => {
    dir = tempDir('config-check-ops');
    writePrivateJwksFile(
      join(dir, 'usa.private.jwks.json'),
      await generateKeySet('USA', new ManualClock(Date.UTC(2026, 10, 1))),
      {
        overwrite: false,
      },
    );
    bare = await redisUrl();
    aof = await startRedisServer({ stderr: 'ignore' });
    const c = new Redis(aof.url);
    try {
      await c.config('SET', 'appendonly', 'yes');
    } finally {
      c.disconnect();
    }
  });
  after(() => aof.stop());

  function config(extra: Record<string, unknown>): string {
    const path = join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
    const cfg = {
      state: 'USA',
      pointOfContact: POC,
      keys: { privateJwksPath: 'usa.private.jwks.json' },
      directory: { partners: [] },
      redis: { url: aof.url, prefix: 'cc' },
      auth: { tokens: [TOKEN] },
      ...extra,
    };
    writeFileSync(path, JSON.stringify(cfg));
    return path;
  }

  /** Runs the check with REDIS_URL cleared: the file says which Redis. */
  const check = (path: string) => tnx(['config', 'check', '--config', path], { REDIS_URL: '' });

  it('a Redis with AOF and a token: no finding, exit 0', () => {
    const r = check(config({}));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /persistence=aof\b/);
    assert.match(r.stdout, /^0 error\(s\), 0 warning\(s\)$/m);
    assert.doesNotMatch(r.stderr, /warning|error/);
  });

  it("warns (exit 0) when Redis has neither AOF nor RDB: redis-server --save '' --appendonly no", () => {
    const r = check(config({ redis: { url: bare, prefix: 'cc' } }));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /persistence=none/);
    assert.match(r.stderr, /^warning: Redis redis:\/\/127\.0\.0\.1:\d+ has neither AOF nor RDB persistence/m);
    assert.match(r.stdout, /^0 error\(s\), 1 warning\(s\)$/m);
  });

  it('MongoDB: says a replica set is required; warns when a standalone server is allowed', () => {
    const store = { kind: 'mongodb', mongodbUri: 'mongodb://127.0.0.1:1/tnx' };
    const rs = check(config({ store }));
    assert.equal(rs.status, 0, rs.stderr);
    assert.match(rs.stdout, /^store mongodb: a replica set is required .*refuses a standalone server$/m);
    assert.match(rs.stdout, /^0 error\(s\), 0 warning\(s\)$/m);
    const dev = check(config({ store: { ...store, mongodbAllowStandalone: true } }));
    assert.equal(dev.status, 0, dev.stderr);
    assert.match(dev.stderr, /^warning: store\.mongodbAllowStandalone: .*two writes.*development only/m);
    assert.match(dev.stdout, /^0 error\(s\), 1 warning\(s\)$/m);
  });

  it('warns when no token and no OAuth issuer is configured', () => {
    const r = check(config({ auth: { tokens: [] } }));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^warning: no API token and no OAuth issuer .*tnx token create --role ROLE/m);
  });

  it('never prints the Redis password', () => {
    const withPassword = aof.url.replace('redis://', 'redis://ops:hunter2-secret@');
    const r = check(config({ redis: { url: withPassword, prefix: 'cc' } }));
    assert.ok(!`${r.stdout}${r.stderr}`.includes('hunter2-secret'), `${r.stdout}\n${r.stderr}`);
  });

  it('accepts good registry key files and says so', () => {
    const kekPath = keyFile(dir, 'kek-ok.jwks.json', octJwks({ kid: 'kek-1', k: secret() }));
    const indexKeyPath = keyFile(dir, 'index-ok.key', `${secret()}\n`);
    const r = check(config({ registry: { kekPath, indexKeyPath } }));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^registry keys OK: 1 KEK\(s\), index key /m);
  });

  const badKeys: [string, () => { kekPath: string; indexKeyPath: string }, RegExp][] = [
    [
      'a missing index key file',
      () => ({
        kekPath: keyFile(dir, 'kek-a.jwks.json', octJwks({ kid: 'k', k: secret() })),
        indexKeyPath: join(dir, 'absent.key'),
      }),
      /cannot be read/,
    ],
    [
      'a KEK file readable by others',
      () => ({
        kekPath: keyFile(dir, 'kek-open.jwks.json', octJwks({ kid: 'k', k: secret() }), 0o644),
        indexKeyPath: keyFile(dir, 'index-b.key', `${secret()}\n`),
      }),
      /too open/,
    ],
    [
      'a KEK file holding an EC key instead of "oct"',
      () => ({
        kekPath: keyFile(
          dir,
          'kek-ec.jwks.json',
          JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', kid: 'k', x: secret(), y: secret(), d: secret() }] }),
        ),
        indexKeyPath: keyFile(dir, 'index-c.key', `${secret()}\n`),
      }),
      /key_material_invalid/,
    ],
    [
      'an index key that is also a KEK',
      () => {
        const s = secret();
        return {
          kekPath: keyFile(dir, 'kek-d.jwks.json', octJwks({ kid: 'k', k: s })),
          indexKeyPath: keyFile(dir, 'index-d.key', `${s}\n`),
        };
      },
      /must not also be a key-encryption key/,
    ],
  ];
  for (const [what, paths, re] of badKeys) {
    it(`refuses ${what}: exit 1 with an error line`, () => {
      const r = check(config({ registry: paths() }));
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /^error: registry keys: key_material_invalid: /m);
      assert.match(r.stderr, re);
      assert.match(r.stdout, /^1 error\(s\)/m);
    });
  }
});
