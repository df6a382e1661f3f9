import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyRing, isDevKeyFile } from '../../src/domain/keys/keyring.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { rotateKeySet, retireKey } from '../../src/domain/keys/rotate.js';
import { PRIVATE_MEMBERS, type Jwks } from '../../src/domain/keys/jwk.js';
import { isTnxError } from '../../src/core/errors.js';
import { ManualClock } from '../../src/core/clock.js';
import { tempDir } from '../harness/tmp.js';
import { DEV } from '../envelope/helpers.js';

const T = Date.UTC(2026, 10, 1);

describe('keys: KeyRing', () => {
  let base: Jwks;
  before(async () => {
    base = await generateKeySet('USA', new ManualClock(T));
  });

  function write(jwks: unknown, mode: number): string {
    const path = join(tempDir('keyring'), 'k.private.jwks.json');
    writeFileSync(path, JSON.stringify(jwks));
    chmodSync(path, mode);
    return path;
  }

  it('loads a 0600 private JWKS; refuses one readable by group or others unless allowInsecureMode', async () => {
    const ring = await KeyRing.fromFile(write(base, 0o600));
    assert.equal(ring.signingKey().alg, 'ES256');
    for (const mode of [0o640, 0o604, 0o644]) {
      const p = write(base, mode);
      await assert.rejects(KeyRing.fromFile(p), (e) => isTnxError(e, 'key_material_invalid') && /chmod 600/.test(e.message));
      await KeyRing.fromFile(p, { allowInsecureMode: true });
    }
  });

  it('recognises the repository demo keys (keys/dev) and nothing else as dev key files', () => {
    assert.equal(isDevKeyFile(new URL('usa.private.jwks.json', DEV).pathname), true);
    assert.equal(isDevKeyFile('/etc/tnx/keys/usa.private.jwks.json'), false);
    assert.equal(isDevKeyFile(new URL('../dev-evil/usa.private.jwks.json', DEV).pathname), false);
  });

  it('signs with the newest non-retired signing key and opens with every non-retired encryption key', async () => {
    const { jwks: rotated, added } = await rotateKeySet(base, new ManualClock(T + 86_400_000));
    const ring = await KeyRing.fromJwks(rotated);
    const newSig = added.find((k) => k.use === 'sig')!;
    assert.equal(ring.signingKey().kid, newSig.kid);
    for (const k of rotated.keys.filter((k) => k.use === 'enc')) assert.ok(ring.decryptionKey(k.kid), `opens with ${k.kid}`);
    assert.equal(ring.decryptionKey(newSig.kid), undefined, 'a signing key never decrypts');
    assert.equal(ring.encryptionKeys()[0]!.kid, added.find((k) => k.use === 'enc')!.kid);
    assert.equal(ring.publicJwks().keys.length, 4);
  });

  it('publicJwks() strips every private member and leaves retired keys out', async () => {
    const { jwks: rotated } = await rotateKeySet(base, new ManualClock(T + 1000));
    const oldEnc = base.keys.find((k) => k.use === 'enc')!.kid;
    const ring = await KeyRing.fromJwks(retireKey(rotated, oldEnc, new ManualClock(T + 2000)));
    const pub = ring.publicJwks();
    assert.equal(pub.keys.length, 3);
    assert.ok(!pub.keys.some((k) => k.kid === oldEnc));
    for (const k of pub.keys) for (const m of PRIVATE_MEMBERS) assert.ok(!(m in k), `${m} must not be published`);
    assert.equal(ring.decryptionKey(oldEnc), undefined, 'a retired key opens nothing');
    assert.ok(ring.describe().find((k) => k.kid === oldEnc)?.retired);
  });

  it('refuses to retire the only current key of a use, an unknown kid, or a key twice', async () => {
    const sig = base.keys.find((k) => k.use === 'sig')!.kid;
    assert.throws(() => retireKey(base, sig, new ManualClock(T)), (e) => isTnxError(e, 'conflict'));
    assert.throws(() => retireKey(base, 'nope', new ManualClock(T)), (e) => isTnxError(e, 'not_found'));
    const { jwks } = await rotateKeySet(base, new ManualClock(T + 1));
    const once = retireKey(jwks, sig, new ManualClock(T + 2));
    assert.throws(() => retireKey(once, sig, new ManualClock(T + 3)), (e) => isTnxError(e, 'conflict'));
  });

  describe('refuses invalid key files with key_material_invalid', () => {
    const sig = () => ({ ...base.keys.find((k) => k.use === 'sig')! });
    const enc = () => ({ ...base.keys.find((k) => k.use === 'enc')! });
    const cases: [string, () => unknown, RegExp][] = [
      ['not a JWKS', () => ({ keys: 'x' }), /JWKS/],
      ['no signing key', () => ({ keys: [enc()] }), /signing/],
      ['no encryption key', () => ({ keys: [sig()] }), /encryption/],
      ['HS256 key', () => ({ keys: [{ ...sig(), alg: 'HS256' }, enc()] }), /alg/],
      ['signing alg on an encryption key', () => ({ keys: [sig(), { ...enc(), alg: 'ES256' }] }), /alg/],
      ['RSA alg on an EC key', () => ({ keys: [{ ...sig(), alg: 'PS256' }, enc()] }), /kty/],
      ['public key only', () => ({ keys: [{ ...sig(), d: undefined }, enc()] }), /no private part/],
      ['duplicate kid', () => ({ keys: [sig(), { ...enc(), kid: sig().kid }] }), /duplicate kid/],
      ['missing use', () => ({ keys: [{ ...sig(), use: undefined }, enc()] }), /use/],
      ['point not on the curve', () => ({ keys: [{ ...sig(), x: enc().x }, enc()] }), /not a valid EC key/],
      ['kid with odd characters', () => ({ keys: [{ ...sig(), kid: 'a b' }, enc()] }), /kid/],
    ];
    for (const [name, make, re] of cases) {
      it(name, async () => {
        const value = JSON.parse(JSON.stringify(make())) as unknown;
        await assert.rejects(KeyRing.fromJwks(value), (e) => isTnxError(e, 'key_material_invalid') && re.test(e.message));
      });
    }
    it('a file that is not JSON', async () => {
      const path = join(tempDir('keyring'), 'bad.json');
      writeFileSync(path, '{"keys": [', { mode: 0o600 });
      await assert.rejects(KeyRing.fromFile(path), (e) => isTnxError(e, 'key_material_invalid'));
    });
  });

  it('a key file with a duplicated member is refused, not read as "last wins"', async () => {
    const text = JSON.stringify(base).replace('"use":"sig"', '"use":"sig","use":"enc"');
    const path = join(tempDir('keyring'), 'dup.json');
    writeFileSync(path, text, { mode: 0o600 });
    await assert.rejects(KeyRing.fromFile(path), (e) => isTnxError(e, 'key_material_invalid') && /not valid JSON/.test(e.message) && isTnxError(e.cause, 'duplicate_property'));
  });

  it('error messages never contain key material', async () => {
    const s = base.keys.find((k) => k.use === 'sig')!;
    try {
      await KeyRing.fromJwks({ keys: [{ ...s, x: base.keys[1]!.x }] });
      assert.fail('should refuse');
    } catch (e) {
      assert.ok(isTnxError(e));
      assert.ok(!e.message.includes(String(s.d)) && !e.message.includes(String(base.keys[1]!.x)));
    }
  });
});
