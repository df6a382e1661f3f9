/**
 * The Directory fed from the network directory: atomic replacement, key rollover (validity windows,
 * newest usable encryption key, retired/revoked keys refused), expiry, and the change summary.
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import { isTnxError } from '../../src/core/errors.js';
import { Directory } from '../../src/domain/directory/directory.js';
import { diffDirectories, describeDiff, isEmptyDiff } from '../../src/domain/directory/network-diff.js';
import { ownKeysMissing, partnersFromDirectory } from '../../src/domain/directory/network-partners.js';
import type { DirectoryEntry } from '../../src/domain/directory/network.js';
import { publicJwksOf } from '../../src/domain/keys/files.js';
import type { Jwks, TnxJwk } from '../../src/domain/keys/jwk.js';
import { rotateKeySet } from '../../src/domain/keys/rotate.js';
import { document, entry, stateKeys, T0, HOUR, DAY } from './fixtures.js';

const LIMITS = { concurrency: 2, ratePerSecond: 5 };
const iso = (t: number) => new Date(t).toISOString();
const kidOf = (j: Jwks, use: 'sig' | 'enc', i = 0) => j.keys.filter((k) => k.use === use)[i]!.kid;

describe('directory: network directory into the running Directory', () => {
  let usa: Jwks;
  let gbr: Jwks;
  let fra: Jwks;
  before(async () => {
    usa = await stateKeys('USA');
    gbr = await stateKeys('GBR');
    fra = await stateKeys('FRA');
  });

  it('turns a document into partners without our own entry, with local limits', () => {
    const doc = document(1, [
      entry('USA', usa),
      entry('GBR', gbr),
      { ...entry('FRA', fra), tls: { clientCertSha256: 'ab'.repeat(32) } },
    ]);
    const ps = partnersFromDirectory(doc, {
      self: 'USA',
      limits: LIMITS,
      limitsFor: (s) => (s === 'FRA' ? { concurrency: 1, ratePerSecond: 1 } : undefined),
    });
    assert.deepEqual(
      ps.map((p) => p.state),
      ['GBR', 'FRA'],
    );
    assert.deepEqual(ps[0]!.limits, LIMITS);
    assert.deepEqual(ps[1]!.limits, { concurrency: 1, ratePerSecond: 1 });
    assert.equal(ps[1]!.tls?.clientCertSha256, 'ab'.repeat(32));
    assert.ok(ps.every((p) => p.jwks!.keys.every((k) => k.d === undefined)));
    assert.deepEqual(ownKeysMissing(doc, 'USA', [kidOf(usa, 'sig'), 'USA-sig-new']), ['USA-sig-new']);
  });

  it('replace() swaps every partner at once; a bad replacement leaves the old contents', async () => {
    const clock = new ManualClock(T0);
    const d = new Directory(
      {
        directory: {
          partners: partnersFromDirectory(document(1, [entry('GBR', gbr)]), { self: 'USA', limits: LIMITS }),
        },
      },
      { clock },
    );
    const gbrSig = kidOf(gbr, 'sig');
    assert.equal((await d.verificationKey(gbrSig))?.state, 'GBR');
    d.replace(partnersFromDirectory(document(2, [entry('FRA', fra)]), { self: 'USA', limits: LIMITS }), {
      serial: 2,
      expiresAt: T0 + DAY,
    });
    assert.deepEqual(
      d.list().map((p) => p.state),
      ['FRA'],
    );
    assert.equal(await d.verificationKey(gbrSig), undefined, 'a removed state no longer verifies');
    assert.equal(d.origin()?.serial, 2);
    const clash = [
      ...partnersFromDirectory(document(3, [entry('GBR', gbr)]), { self: 'USA', limits: LIMITS }),
      { ...partnersFromDirectory(document(3, [entry('GBR', gbr)]), { self: 'USA', limits: LIMITS })[0]!, state: 'ITA' },
    ];
    assert.throws(() => d.replace(clash, { serial: 3, expiresAt: T0 + DAY }), /also used by GBR/);
    assert.deepEqual(
      d.list().map((p) => p.state),
      ['FRA'],
      'unchanged after a refused replacement',
    );
    assert.equal(d.origin()?.serial, 2);
    // updatePartner (the directory API) still works on the current snapshot.
    d.updatePartner('FRA', { endpoint: null });
    assert.equal(d.partner('FRA')?.endpoint, null);
  });

  it('rollover: accepts any usable key, seals to the newest usable one, drops retired and revoked keys', async () => {
    const clock = new ManualClock(T0);
    const { jwks: rotated } = await rotateKeySet(gbr, new ManualClock(T0 + HOUR));
    const pub = publicJwksOf(rotated).keys;
    const [oldSig, oldEnc, newSig, newEnc] = [
      kidOf(rotated, 'sig', 0),
      kidOf(rotated, 'enc', 0),
      kidOf(rotated, 'sig', 1),
      kidOf(rotated, 'enc', 1),
    ];
    const with_ = (keys: TnxJwk[]): DirectoryEntry => ({ ...entry('GBR', gbr), jwks: { keys } });
    const d = new Directory({ directory: { partners: [] } }, { clock });
    const load = (keys: TnxJwk[], serial: number) =>
      d.replace(partnersFromDirectory(document(serial, [with_(keys)]), { self: 'USA', limits: LIMITS }), {
        serial,
        expiresAt: T0 + 7 * DAY,
      });

    // The new encryption key becomes usable only at its notBefore: until then we keep sealing to the old one.
    const start = T0 + 2 * HOUR;
    load(
      pub.map((k) => (k.kid === newEnc ? { ...k, tnx_not_before: iso(start) } : k)),
      1,
    );
    assert.equal((await d.encryptionKey('GBR'))?.kid, oldEnc);
    clock.set(start);
    assert.equal((await d.encryptionKey('GBR'))?.kid, newEnc, 'newest usable encryption key');
    assert.equal((await d.verificationKey(oldSig))?.state, 'GBR', 'old signing key still accepted');
    assert.equal((await d.verificationKey(newSig))?.state, 'GBR', 'new signing key accepted');

    // The old signing key reaches its notAfter; the old encryption key is retired; the new one revoked.
    load(
      pub.map((k) => {
        if (k.kid === oldSig) return { ...k, tnx_not_after: iso(start + HOUR) };
        if (k.kid === oldEnc) return { ...k, tnx_retired: iso(start) };
        return k;
      }),
      2,
    );
    assert.equal((await d.verificationKey(oldSig))?.state, 'GBR');
    clock.set(start + HOUR);
    assert.equal(await d.verificationKey(oldSig), undefined, 'past notAfter');
    load(
      pub.map((k) =>
        k.kid === newSig ? { ...k, tnx_revoked: iso(start) } : k.kid === oldEnc ? { ...k, tnx_retired: iso(start) } : k,
      ),
      3,
    );
    assert.equal(await d.verificationKey(newSig), undefined, 'revoked');
    assert.equal((await d.encryptionKey('GBR'))?.kid, newEnc);
  });

  it('past the directory expiry: nothing is sealed (directory_expired, retried), valid keys still verify', async () => {
    const clock = new ManualClock(T0);
    const d = new Directory({ directory: { partners: [] } }, { clock });
    d.replace(partnersFromDirectory(document(1, [entry('GBR', gbr)]), { self: 'USA', limits: LIMITS }), {
      serial: 1,
      expiresAt: T0 + DAY,
    });
    assert.ok(await d.encryptionKey('GBR'));
    clock.set(T0 + DAY);
    await assert.rejects(d.encryptionKey('GBR'), (e: unknown) => isTnxError(e, 'directory_expired') && e.retry);
    assert.equal((await d.verificationKey(kidOf(gbr, 'sig')))?.state, 'GBR');
  });

  it('diff names states and kids added, removed, retired, revoked, and endpoint/contact changes', async () => {
    const { jwks: rotated, added } = await rotateKeySet(usa, new ManualClock(T0 + HOUR));
    const a = document(1, [entry('USA', usa), entry('GBR', gbr)]);
    const usaNext: DirectoryEntry = {
      ...entry('USA', usa),
      endpoint: 'https://tnx.usa.example.org/tnx/v1/messages',
      jwks: {
        keys: publicJwksOf(rotated).keys.map((k) =>
          k.kid === kidOf(usa, 'sig')
            ? { ...k, tnx_revoked: iso(T0) }
            : k.kid === kidOf(usa, 'enc')
              ? { ...k, tnx_retired: iso(T0) }
              : k,
        ),
      },
      pointOfContact: { unit: 'New desk', email: 'new@example.org', phone: '+1 555 0199', hours: '24/7' },
    };
    const b = document(2, [usaNext, entry('FRA', fra)]);
    const d = diffDirectories(a, b);
    assert.equal(d.fromSerial, 1);
    assert.equal(d.toSerial, 2);
    assert.deepEqual(d.statesAdded, ['FRA']);
    assert.deepEqual(d.statesRemoved, ['GBR']);
    assert.deepEqual(
      d.keysAdded
        .filter((k) => k.state === 'USA')
        .map((k) => k.kid)
        .sort(),
      added.map((k) => k.kid).sort(),
    );
    assert.deepEqual(
      d.keysRetired
        .filter((k) => k.state === 'USA')
        .map((k) => k.kid)
        .sort(),
      [kidOf(usa, 'sig'), kidOf(usa, 'enc')].sort(),
    );
    assert.deepEqual(d.keysRevoked, [{ state: 'USA', kid: kidOf(usa, 'sig') }]);
    assert.deepEqual(d.endpointChanged, ['USA']);
    assert.deepEqual(d.contactChanged, ['USA']);
    const text = describeDiff(d).join('\n');
    assert.doesNotMatch(text, /new@example\.org|555 0199/, 'no contact details in the summary');
    assert.ok(isEmptyDiff(diffDirectories(a, { ...a, serial: 2 })));
    assert.deepEqual(diffDirectories(null, a).statesAdded, ['GBR', 'USA']);
  });
});
