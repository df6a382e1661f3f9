/** `tnx config check` run as the real command against the example configs and broken variants. */
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { writePrivateJwksFile, writePublicJwksFile } from '../../src/domain/keys/files.js';
import { ManualClock } from '../../src/core/clock.js';
import { tempDir } from '../harness/tmp.js';
import { ROOT, tnx } from '../cli/keys-spawn.js';

const POC = { unit: 'Desk', email: 'desk@x.example.org', phone: '+1 555 0100', hours: '24/7' };

describe('config: tnx config check', () => {
  let dir: string;
  let own: { keys: { kid: string }[] };

  before(async () => {
    dir = tempDir('config-check');
    const clock = new ManualClock(Date.UTC(2026, 10, 1));
    const usa = await generateKeySet('USA', clock);
    own = usa;
    writePrivateJwksFile(join(dir, 'usa.private.jwks.json'), usa, { overwrite: false });
    const gbr = await generateKeySet('GBR', clock);
    writePublicJwksFile(join(dir, 'gbr.public.jwks.json'), gbr, { overwrite: false });
    writeFileSync(join(dir, 'gbr.leaked.jwks.json'), JSON.stringify(gbr)); // private members: must be refused
  });

  function config(extra: Record<string, unknown> = {}, partner: Record<string, unknown> = {}): string {
    const path = join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
    const cfg = {
      state: 'USA',
      pointOfContact: POC,
      keys: { privateJwksPath: 'usa.private.jwks.json' },
      directory: {
        partners: [
          {
            state: 'GBR',
            name: 'United Kingdom',
            endpoint: 'http://127.0.0.1:9/tnx/v1/messages',
            jwksPath: 'gbr.public.jwks.json',
            pointOfContact: POC,
            ...partner,
          },
        ],
      },
      ...extra,
    };
    writeFileSync(path, JSON.stringify(cfg));
    return path;
  }

  it('every example configuration in config/ passes, with its demo keys flagged as such', () => {
    const files = readdirSync(join(ROOT, 'config')).filter((f) => f.endsWith('.json') && !f.startsWith('directory.'));
    assert.ok(files.length >= 2, 'at least two example gateways');
    for (const f of files) {
      const r = tnx(['config', 'check', '--config', join('config', f)]);
      assert.equal(r.status, 0, `${f}: ${r.stderr}`);
      assert.match(r.stdout, /: OK/);
      assert.match(r.stdout, /DEMO KEYS/);
      assert.match(r.stdout, /partners [1-9]/);
    }
  });

  it('prints state, partners and key ids with use/alg; honours TNX_CONFIG', () => {
    const r = tnx(['config', 'check'], { TNX_CONFIG: config() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^state USA/m);
    assert.match(r.stdout, /GBR United Kingdom {2}endpoint=http:\/\/127\.0\.0\.1:9\/tnx\/v1\/messages/);
    assert.match(r.stdout, new RegExp(`${own.keys[0]!.kid} {2}use=sig {2}alg=ES256 {2}signing`));
    assert.match(r.stdout, /GBR-sig-\S+ {2}use=sig {2}alg=ES256/);
    assert.ok(!r.stdout.includes('DEMO KEYS'));
  });

  it('without --config or TNX_CONFIG: usage error, exit 2', () => {
    const r = tnx(['config', 'check']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--config FILE is required/);
  });

  const broken: [string, () => string, RegExp][] = [
    [
      'an unknown setting',
      () => config({ colour: 'red' }),
      /config_invalid: config config: .*unknown setting "colour"/,
    ],
    [
      'a bad value',
      () => config({ http: { port: 70000 } }),
      /config_invalid: config config\/http\/port: must be <= 65535/,
    ],
    [
      'a partner with a private key',
      () => config({}, { jwksPath: 'gbr.leaked.jwks.json' }),
      /config_invalid: .*directory\/partners\/0/,
    ],
    [
      'a partner JWKS file that is missing',
      () => config({}, { jwksPath: 'nope.json' }),
      /config_invalid: config directory\/partners\/0\/jwksPath: cannot read file/,
    ],
    [
      'a missing key file',
      () => config({ keys: { privateJwksPath: 'absent.private.jwks.json' } }),
      /key_material_invalid: cannot read key file/,
    ],
    [
      'not JSON',
      () => {
        const p = join(dir, 'not-json.json');
        writeFileSync(p, '{"state": "USA",');
        return p;
      },
      /config_invalid: .*not valid JSON/,
    ],
  ];
  for (const [what, make, re] of broken) {
    it(`refuses ${what}: exit 1, naming the field`, () => {
      const r = tnx(['config', 'check', '--config', make()]);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, re);
    });
  }

  it('refuses a private key file readable by others (outside keys/dev) with key_material_invalid', () => {
    const path = join(dir, 'open.private.jwks.json');
    writePrivateJwksFile(path, own as never, { overwrite: true });
    chmodSync(path, 0o644);
    const r = tnx(['config', 'check', '--config', config({ keys: { privateJwksPath: 'open.private.jwks.json' } })]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /key_material_invalid: .*readable by group or others/);
  });

  it('refuses a directory that pins one of our own kids for a partner', () => {
    writeFileSync(
      join(dir, 'own-as-partner.jwks.json'),
      JSON.stringify({ keys: (own.keys as Record<string, unknown>[]).map(({ d: _d, ...k }) => k) }),
    );
    const r = tnx(['config', 'check', '--config', config({}, { jwksPath: 'own-as-partner.jwks.json' })]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /config_invalid: .*is also a key of partner GBR/);
  });
});
