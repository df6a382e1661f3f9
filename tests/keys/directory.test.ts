import assert from 'node:assert/strict';
import { Directory } from '../../src/domain/directory/directory.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { rotateKeySet, retireKey } from '../../src/domain/keys/rotate.js';
import { publicJwksOf } from '../../src/domain/keys/files.js';
import type { Partner } from '../../src/config/schema.js';
import { isTnxError } from '../../src/core/errors.js';
import { ManualClock } from '../../src/core/clock.js';
import type { Jwks } from '../../src/domain/keys/jwk.js';

const T = Date.UTC(2026, 10, 1);
const POC = { unit: 'Desk', email: 'desk@x.example.org', phone: '+1 555 0100', hours: '24/7' };

function partner(state: string, jwks: unknown): Partner {
  return { state, name: state, endpoint: `http://127.0.0.1:1/${state}`, jwks: jwks as NonNullable<Partner['jwks']>, pointOfContact: POC, accepts: ['TravelNotification'], limits: { concurrency: 1, ratePerSecond: 1 } };
}

describe('directory: Directory', () => {
  let gbr: Jwks;
  let tha: Jwks;
  before(async () => {
    gbr = await generateKeySet('GBR', new ManualClock(T));
    tha = await generateKeySet('THA', new ManualClock(T), 'rsa');
  });

  it('lists partners and finds one by state', () => {
    const d = new Directory({ directory: { partners: [partner('GBR', publicJwksOf(gbr)), partner('THA', publicJwksOf(tha))] } });
    assert.deepEqual(d.list().map((p) => p.state), ['GBR', 'THA']);
    assert.equal(d.partner('THA')?.endpoint, 'http://127.0.0.1:1/THA');
    assert.equal(d.partner('FRA'), undefined);
  });

  it('verificationKey(kid) names the owner and algorithm of partner signing keys only', async () => {
    const d = new Directory({ directory: { partners: [partner('GBR', publicJwksOf(gbr)), partner('THA', publicJwksOf(tha))] } });
    const thaSig = tha.keys.find((k) => k.use === 'sig')!;
    const v = await d.verificationKey(thaSig.kid);
    assert.equal(v?.state, 'THA');
    assert.equal(v?.alg, 'PS256');
    assert.equal(await d.verificationKey(gbr.keys.find((k) => k.use === 'enc')!.kid), undefined, 'an encryption key never verifies');
    assert.equal(await d.verificationKey('unknown'), undefined);
  });

  it('encryptionKey(state) is the newest non-retired encryption key, imported once and cached', async () => {
    const { jwks: rotated, added } = await rotateKeySet(gbr, new ManualClock(T + 60_000));
    const d = new Directory({ directory: { partners: [partner('GBR', publicJwksOf(rotated))] } });
    const e1 = await d.encryptionKey('GBR');
    assert.equal(e1?.kid, added.find((k) => k.use === 'enc')!.kid);
    assert.equal(e1?.alg, 'ECDH-ES+A256KW');
    const e2 = await d.encryptionKey('GBR');
    assert.equal(e1?.key, e2?.key, 'the same imported CryptoKey');
    assert.equal(await d.encryptionKey('FRA'), undefined);
  });

  it('ignores retired partner keys', async () => {
    const { jwks: rotated } = await rotateKeySet(gbr, new ManualClock(T + 60_000));
    const oldSig = gbr.keys.find((k) => k.use === 'sig')!.kid;
    const retired = retireKey(rotated, oldSig, new ManualClock(T + 120_000));
    const stillListed = { keys: retired.keys.map(({ d: _d, ...k }) => k) }; // a partner file that still lists it, marked retired
    const d = new Directory({ directory: { partners: [partner('GBR', stillListed)] } });
    assert.equal(await d.verificationKey(oldSig), undefined);
  });

  describe('refuses a bad directory with config_invalid naming the partner', () => {
    it('a private key in a partner JWKS', () => {
      assert.throws(() => new Directory({ directory: { partners: [partner('GBR', gbr)] } }), (e) => isTnxError(e, 'config_invalid') && /partners\/0/.test(e.message));
    });
    it('a partner key without use/alg', () => {
      const keys = publicJwksOf(gbr).keys.map(({ alg: _a, ...k }) => k);
      assert.throws(() => new Directory({ directory: { partners: [partner('GBR', { keys })] } }), (e) => isTnxError(e, 'config_invalid') && /alg/.test(e.message));
    });
    it('one kid used by two partners', () => {
      const clone = { keys: publicJwksOf(gbr).keys.map((k) => ({ ...k })) };
      assert.throws(
        () => new Directory({ directory: { partners: [partner('GBR', publicJwksOf(gbr)), partner('FRA', clone)] } }),
        (e) => isTnxError(e, 'config_invalid') && /also used by GBR/.test(e.message),
      );
    });
  });
});
