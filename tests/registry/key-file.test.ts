import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { isTnxError } from '../../src/core/errors.js';
import { KekRing } from '../../src/domain/registry/kek.js';
import { octThumbprint, parseSymmetricKeys, readSymmetricKeyFile } from '../../src/domain/registry/key-file.js';
import { loadRegistryKeys } from '../../src/domain/registry/registry-keys.js';
import { tempDir } from '../harness/tmp.js';
import { keyFile, octJwks, secret } from './fixtures.js';

function keyMaterialInvalid(fn: () => unknown, not?: string): void {
  assert.throws(fn, (err: unknown) => {
    if (!isTnxError(err, 'key_material_invalid')) return false;
    if (not !== undefined) assert.ok(!err.message.includes(not), 'error message must not carry key material');
    return true;
  });
}

describe('registry: key files (KEK and blind-index key)', () => {
  it('reads a JWKS of oct keys in order, the first usable one active', () => {
    const a = secret();
    const b = secret();
    const ring = new KekRing(
      parseSymmetricKeys(
        octJwks({ kid: 'old', k: a, retired: true }, { kid: 'new', k: b }, { kid: 'mid', k: secret() }),
        'f',
      ),
    );
    assert.equal(ring.active.kid, 'new');
    assert.deepEqual(ring.kids, ['new', 'mid']);
    assert.equal(ring.get('old'), undefined, 'a retired KEK opens nothing');
    assert.equal(ring.active.secret.toString('base64url'), b);
  });

  it('reads a bare base64url secret and names it by its RFC 7638 thumbprint', () => {
    const s = secret();
    const [key] = parseSymmetricKeys(`${s}\n`, 'f');
    assert.equal(key!.kid, octThumbprint(Buffer.from(s, 'base64url')));
    assert.match(key!.kid, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(key!.kid, s);
  });

  it('refuses keys of the wrong size or kind without echoing the material', () => {
    const short = Buffer.alloc(16, 7).toString('base64url');
    keyMaterialInvalid(() => parseSymmetricKeys(short, 'f'), short);
    keyMaterialInvalid(() => parseSymmetricKeys(`${secret()}==`, 'f'));
    keyMaterialInvalid(() => parseSymmetricKeys(JSON.stringify({ keys: [{ kty: 'EC', kid: 'x', k: secret() }] }), 'f'));
    keyMaterialInvalid(() => parseSymmetricKeys(JSON.stringify({ keys: [] }), 'f'));
    const s = secret();
    keyMaterialInvalid(() => parseSymmetricKeys(octJwks({ kid: 'dup', k: s }, { kid: 'dup', k: secret() }), 'f'), s);
    keyMaterialInvalid(
      () => new KekRing(parseSymmetricKeys(octJwks({ kid: 'gone', k: secret(), retired: true }), 'f')),
    );
  });

  it('refuses a key file group or others can read (mode must be 0600)', () => {
    const dir = tempDir('tnx-keyfile');
    const p = keyFile(dir, 'kek.key', secret(), 0o600);
    assert.equal(readSymmetricKeyFile(p).length, 1);
    chmodSync(p, 0o640);
    keyMaterialInvalid(() => readSymmetricKeyFile(p));
    chmodSync(p, 0o604);
    keyMaterialInvalid(() => readSymmetricKeyFile(p));
    keyMaterialInvalid(() => readSymmetricKeyFile(`${dir}/missing.key`));
  });

  it('refuses an index key that is also a KEK, and an index file with several keys', () => {
    const dir = tempDir('tnx-keyfile');
    const shared = secret();
    const kekPath = keyFile(dir, 'kek.json', octJwks({ kid: 'k1', k: secret() }, { kid: 'k0', k: shared }));
    keyMaterialInvalid(() => loadRegistryKeys({ kekPath, indexKeyPath: keyFile(dir, 'idx.key', shared) }));
    keyMaterialInvalid(() =>
      loadRegistryKeys({
        kekPath,
        indexKeyPath: keyFile(dir, 'idx2.json', octJwks({ kid: 'i1', k: secret() }, { kid: 'i2', k: secret() })),
      }),
    );
    const ok = loadRegistryKeys({ kekPath, indexKeyPath: keyFile(dir, 'idx3.key', secret()) });
    assert.equal(ok.kek.active.kid, 'k1');
  });
});
