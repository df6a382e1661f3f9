/**
 * `tnx token create` end to end: the real command writes the hash into a gateway's configuration,
 * and the printed secret then authenticates against that gateway, started from the file.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { loadConfigFile } from '../../src/config/load.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { federation, start } from '../e2e/federation.js';
import { tnx } from './keys-spawn.js';

describe('cli: tnx token create', function () {
  this.timeout(120_000);
  let gw: RunningGateway | null = null;
  after(() => gw?.close());

  it('prints a secret once, writes only its hash, and the secret authenticates with its role', async () => {
    const f = await federation(['USA', 'GBR'] as const);
    const path = f.USA.setup.configPath;
    const r = tnx(['token', 'create', '--role', 'submitter', '--name', 'ops-submitter', '--config', path]);
    assert.equal(r.status, 0, r.stderr);
    const secret = r.stdout.trim();
    assert.match(secret, /^tnx_[A-Za-z0-9_-]{43}$/, 'the secret alone on standard output');
    assert.match(r.stderr, /shown once/);

    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes(secret), 'the secret is not stored');
    const token = loadConfigFile(path).auth.tokens.find((t) => t.id === 'ops-submitter');
    assert.deepEqual(token, {
      id: 'ops-submitter',
      role: 'submitter',
      sha256: createHash('sha256').update(secret).digest('hex'),
    });

    gw = await start({ ...f.USA, config: loadConfigFile(path) });
    const notice = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 86_400_000 });
    await request(gw.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${secret}`)
      .send(notice)
      .expect(202);
    await request(gw.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${secret}x`)
      .send(notice)
      .expect(401);
  });

  it('refuses a bad role (exit 2) and a name in use (exit 1), leaving the file as it was', async () => {
    const f = await federation(['USA'] as const);
    const path = f.USA.setup.configPath;
    const before = readFileSync(path, 'utf8');
    const bad = tnx(['token', 'create', '--role', 'root', '--config', path]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--role must be one of/);
    const taken = tnx(['token', 'create', '--role', 'poc', '--name', 'national-system', '--config', path]);
    assert.equal(taken.status, 1);
    assert.match(taken.stderr, /conflict: a token named national-system exists/);
    assert.equal(taken.stdout, '', 'no secret printed for a token not created');
    assert.equal(readFileSync(path, 'utf8'), before);
  });
});
