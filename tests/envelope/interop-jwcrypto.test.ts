/**
 * Interop with Python jwcrypto (Debian python3-jwcrypto), run as /usr/bin/python3: it opens what we
 * seal and every vector in protocol/vectors/, and we open what it seals. Skipped, with one visible
 * line, where jwcrypto is not installed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { seal } from '../../src/domain/protocol/envelope/seal.js';
import { open } from '../../src/domain/protocol/envelope/open.js';
import { ManualClock } from '../../src/core/clock.js';
import { DEV, devKeyRing, directoryOf, example, openContext, readJson, ROOT, T0, type DevKeyName } from './helpers.js';
import type { VectorManifestEntry } from './vectors-manifest.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('interop/jwcrypto_envelope.py', import.meta.url));
const available = spawnSync(PYTHON, ['-c', 'import jwcrypto'], { stdio: 'ignore' }).status === 0;

function py(
  mode: 'open' | 'seal',
  a: DevKeyName,
  aKind: 'private' | 'public',
  b: DevKeyName,
  bKind: 'private' | 'public',
  input: string,
): string {
  const file = (n: DevKeyName, k: string) => fileURLToPath(new URL(`${n}.${k}.jwks.json`, DEV));
  const r = spawnSync(PYTHON, [SCRIPT, mode, file(a, aKind), file(b, bKind)], {
    input,
    encoding: 'utf8',
    timeout: 30000,
  });
  if (r.status !== 0) throw new Error(`jwcrypto ${mode} failed: ${r.stderr}`);
  return r.stdout;
}

describe('interop: Python jwcrypto', function () {
  before(function () {
    if (!available) {
      console.log('    (skipped: /usr/bin/python3 cannot import jwcrypto — apt-get install python3-jwcrypto)');
      this.skip();
    }
  });

  const clock = new ManualClock(T0);
  const message = example('travel-notification');
  const pairs = [
    { label: 'ES256 + ECDH-ES+A256KW', usa: 'usa', tha: 'tha' },
    { label: 'PS256 + RSA-OAEP-256', usa: 'usa-rsa', tha: 'tha-rsa' },
  ] as const;

  for (const p of pairs) {
    it(`jwcrypto opens and verifies what seal() produced (${p.label})`, async () => {
      const sealed = await seal(message, 'THA', {
        keys: await devKeyRing(p.usa),
        directory: directoryOf({ THA: p.tha }),
        state: 'USA',
        clock,
      });
      const claims = JSON.parse(py('open', p.tha, 'private', p.usa, 'public', sealed.jwe)) as Record<string, unknown>;
      assert.equal(claims.jti, sealed.jti);
      assert.deepEqual(claims.tnx, message);
    });

    it(`open() accepts what jwcrypto sealed (${p.label})`, async () => {
      const claims = { iss: 'USA', aud: 'THA', jti: randomUUID(), iat: Math.floor(T0 / 1000), tnx: message };
      const jwe = py('seal', p.usa, 'private', p.tha, 'public', JSON.stringify(claims));
      const opened = await open(jwe, openContext('THA', await devKeyRing(p.tha), directoryOf({ USA: p.usa })));
      assert.equal(opened.claims.jti, claims.jti);
      assert.deepEqual(opened.claims.tnx, message);
    });
  }

  it('jwcrypto opens every vector in protocol/vectors/ to its expected message', () => {
    const dir = new URL('protocol/vectors/', ROOT);
    const manifest = readJson<VectorManifestEntry[]>(new URL('manifest.json', dir));
    assert.ok(manifest.length >= 6);
    for (const v of manifest) {
      const claims = JSON.parse(
        py(
          'open',
          v.recipientKeys,
          'private',
          v.senderKeys,
          'public',
          readFileSync(new URL(`${v.name}.jwe`, dir), 'utf8'),
        ),
      ) as Record<string, unknown>;
      assert.equal(claims.jti, v.jti, v.name);
      assert.deepEqual(claims.tnx, readJson(new URL(`${v.name}.expected.json`, dir)), v.name);
    }
  });
});
