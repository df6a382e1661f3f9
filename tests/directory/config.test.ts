/** The `directory.network` settings: defaults, paths, and the check*() step that keeps one source of truth. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConfig } from '../../src/config/load.js';
import type { TnxConfigInput } from '../../src/config/schema.js';
import { isTnxError } from '../../src/core/errors.js';
import { tempDir } from '../harness/tmp.js';
import { coordinator, POC, stateKeys } from './fixtures.js';
import { publicJwksOf } from '../../src/domain/keys/files.js';

function base(dir: string, network: Record<string, unknown>, extra: Partial<TnxConfigInput> = {}): TnxConfigInput {
  return {
    state: 'USA',
    pointOfContact: POC,
    keys: { privateJwksPath: 'usa.private.jwks.json' },
    store: { kind: 'sqlite', sqlitePath: join(dir, 'data', 'tnx.sqlite') },
    directory: { network } as NonNullable<TnxConfigInput['directory']>,
    ...extra,
  };
}

function refusal(fn: () => unknown, pointer: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isTnxError(err, 'config_invalid'), String(err));
    assert.match(err.message, pointer);
    return true;
  });
}

describe('directory: network settings in the configuration', () => {
  let dir: string;
  let anchors: string;
  before(async () => {
    dir = tempDir('tnx-netcfg');
    anchors = join(dir, 'coordinator.public.jwks.json');
    writeFileSync(anchors, JSON.stringify((await coordinator()).public));
  });
  const net = (over: Record<string, unknown> = {}) => ({
    url: 'https://directory.example.org/tnx/directory.jws',
    name: 'tnx-test',
    trustAnchorsPath: 'coordinator.public.jwks.json',
    ...over,
  });

  it('fills the defaults and resolves paths (state file beside the SQLite file)', () => {
    const cfg = buildConfig(base(dir, net()), { baseDir: dir });
    const n = cfg.directory.network!;
    assert.equal(n.trustAnchorsPath, anchors);
    assert.equal(n.statePath, join(dir, 'data', 'network-directory.jws'));
    assert.equal(n.intervalSeconds, 900);
    assert.equal(n.timeoutSeconds, 10);
    assert.equal(n.maxBytes, 1048576);
    assert.deepEqual(n.defaultLimits, { concurrency: 8, ratePerSecond: 200 });
    assert.deepEqual(cfg.directory.partners, []);
  });

  it('takes per-state limit overrides', () => {
    const cfg = buildConfig(base(dir, net({ limits: { FRA: { concurrency: 2 } } })), { baseDir: dir });
    assert.deepEqual(cfg.directory.network!.limits.FRA, { concurrency: 2, ratePerSecond: 200 });
  });

  it('refuses a local partner list next to network (one source of truth)', async () => {
    const keys = await stateKeys('FRA');
    const input = base(dir, net());
    input.directory!.partners = [
      { state: 'FRA', name: 'France', endpoint: null, jwks: publicJwksOf(keys) as never, pointOfContact: POC },
    ];
    refusal(() => buildConfig(input, { baseDir: dir }), /directory\/partners.*must be empty/);
  });

  it('refuses http: off loopback, a bad name, an interval out of range, missing name', () => {
    refusal(
      () => buildConfig(base(dir, net({ url: 'http://directory.example.org/d.jws' })), { baseDir: dir }),
      /network\/url/,
    );
    assert.ok(buildConfig(base(dir, net({ url: 'http://127.0.0.1:9/d.jws' })), { baseDir: dir }));
    refusal(() => buildConfig(base(dir, net({ name: 'bad name' })), { baseDir: dir }), /network\/name/);
    refusal(() => buildConfig(base(dir, net({ intervalSeconds: 0 })), { baseDir: dir }), /intervalSeconds/);
    assert.ok(
      buildConfig(base(dir, net({ intervalSeconds: 1 })), { baseDir: dir }),
      'a short interval for tests and demos',
    );
    const { name: _n, ...noName } = net();
    void _n;
    refusal(() => buildConfig(base(dir, noName), { baseDir: dir }), /missing "name"/);
  });

  it('refuses trust anchors that are missing, private or not signing keys', async () => {
    refusal(() => buildConfig(base(dir, net({ trustAnchorsPath: 'nope.json' })), { baseDir: dir }), /trustAnchorsPath/);
    const priv = join(dir, 'private.json');
    writeFileSync(priv, JSON.stringify((await coordinator()).private));
    refusal(() => buildConfig(base(dir, net({ trustAnchorsPath: priv })), { baseDir: dir }), /trustAnchorsPath/);
    const enc = join(dir, 'enc.json');
    writeFileSync(
      enc,
      JSON.stringify(publicJwksOf({ keys: (await stateKeys('FRA')).keys.filter((k) => k.use === 'enc') })),
    );
    refusal(() => buildConfig(base(dir, net({ trustAnchorsPath: enc })), { baseDir: dir }), /trustAnchorsPath/);
  });

  it('asks for statePath when the store has no data directory', () => {
    refusal(
      () => buildConfig(base(dir, net(), { store: { kind: 'sqlite', sqlitePath: ':memory:' } }), { baseDir: dir }),
      /statePath/,
    );
    const cfg = buildConfig(base(dir, net({ statePath: 'dir.jws' }), { store: { sqlitePath: ':memory:' } }), {
      baseDir: dir,
    });
    assert.equal(cfg.directory.network!.statePath, join(dir, 'dir.jws'));
  });
});
