import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isTnxError } from '../../src/core/errors.js';
import { KekRing } from '../../src/domain/registry/kek.js';
import { generateKeyFile, retireKey, rotateKeyFile } from '../../src/domain/registry/key-file-admin.js';
import { openRegistrant, rewrapRegistrant, sealRegistrant } from '../../src/domain/registry/sealed-registrant.js';
import { tempDir } from '../harness/tmp.js';
import { cyrillicRegistrant, freshKeys } from './fixtures.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('registry: key file administration (generate, rotate, retire)', () => {
  it('walks a full KEK rotation on disk: generate, rotate, re-wrap, retire', () => {
    const dir = tempDir('tnx-kek-admin');
    const path = join(dir, 'kek.jwks.json');
    const { indexKey } = freshKeys();
    generateKeyFile(path, 'kek-2026-01', NOW);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.throws(
      () => generateKeyFile(path, 'again', NOW),
      (e: unknown) => isTnxError(e, 'key_material_invalid'),
    );

    const keys1 = { kek: KekRing.fromFile(path), indexKey };
    const sealed = sealRegistrant(cyrillicRegistrant(), keys1, NOW);

    rotateKeyFile(path, 'kek-2026-07', NOW + 1);
    const keys2 = { kek: KekRing.fromFile(path), indexKey };
    assert.equal(keys2.kek.active.kid, 'kek-2026-07');
    assert.deepEqual(keys2.kek.kids, ['kek-2026-07', 'kek-2026-01']);
    const rewrapped = rewrapRegistrant(sealed, keys2, NOW + 2);

    retireKey(path, 'kek-2026-01', NOW + 3);
    const keys3 = { kek: KekRing.fromFile(path), indexKey };
    assert.deepEqual(keys3.kek.kids, ['kek-2026-07']);
    assert.equal(openRegistrant(rewrapped, keys3).id, sealed.id);
    assert.throws(
      () => openRegistrant(sealed, keys3),
      (e: unknown) => isTnxError(e, 'personal_data_unreadable'),
    );
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['kek.jwks.json'], 'no temporary files left behind');
  });

  it('refuses to retire the last usable key, an unknown kid, or a duplicate kid', () => {
    const path = join(tempDir('tnx-kek-admin'), 'kek.jwks.json');
    generateKeyFile(path, 'only', NOW);
    assert.throws(
      () => retireKey(path, 'only', NOW),
      (e: unknown) => isTnxError(e, 'key_material_invalid'),
    );
    assert.throws(
      () => retireKey(path, 'nope', NOW),
      (e: unknown) => isTnxError(e, 'key_material_invalid'),
    );
    assert.throws(
      () => rotateKeyFile(path, 'only', NOW),
      (e: unknown) => isTnxError(e, 'key_material_invalid'),
    );
    assert.throws(
      () => rotateKeyFile(path, 'bad kid!', NOW),
      (e: unknown) => isTnxError(e, 'key_material_invalid'),
    );
    assert.equal(KekRing.fromFile(path).active.kid, 'only');
  });
});
