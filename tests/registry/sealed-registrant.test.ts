import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import { KekRing } from '../../src/domain/registry/kek.js';
import { parseSymmetricKeys } from '../../src/domain/registry/key-file.js';
import { registryKeys } from '../../src/domain/registry/registry-keys.js';
import {
  needsRewrap,
  openIdentity,
  openRegistrant,
  PERSONAL_FIELDS,
  rekeyRegistrant,
  resealRegistrant,
  rewrapRegistrant,
  sealRegistrant,
  shredRegistrant,
  type SealedRegistrant,
} from '../../src/domain/registry/sealed-registrant.js';
import { cyrillicRegistrant, freshKeys, greekRegistrant, octJwks, personalStrings, secret } from './fixtures.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => isTnxError(err) && err.code === code);
}

describe('registry: sealed registrant (field-level encryption at rest)', () => {
  it('round-trips every field through seal and open', () => {
    const keys = freshKeys();
    const r = cyrillicRegistrant();
    const sealed = sealRegistrant(r, keys, NOW);
    assert.deepEqual(openRegistrant(sealed, keys), r);
    const minimal = greekRegistrant(); // no aliases, photo reference or notes
    const sealedMinimal = sealRegistrant(minimal, keys, NOW);
    assert.deepEqual(
      Object.keys(sealedMinimal.fields).sort(),
      [...PERSONAL_FIELDS].sort(),
      'absent fields are sealed too',
    );
    assert.deepEqual(openRegistrant(sealedMinimal, keys), minimal);
  });

  it('keeps no personal value in clear in the stored record, only registry dates and status', () => {
    const keys = freshKeys();
    const r = cyrillicRegistrant();
    const json = JSON.stringify(sealRegistrant(r, keys, NOW));
    for (const value of personalStrings(r)) {
      assert.ok(!json.includes(value), `sealed record leaks a personal value (${value.length} chars)`);
      assert.ok(
        !json.toLowerCase().includes(value.toLowerCase()),
        'sealed record leaks a personal value (case-folded)',
      );
    }
    // The DOB in any common form, and the document numbers in base64 form, are absent too.
    assert.ok(!json.includes('19790314') && !json.includes('14.03.1979'));
    for (const d of r.person.travelDocuments)
      assert.ok(!json.includes(Buffer.from(d.number).toString('base64').slice(0, 10)));
    const sealed = JSON.parse(json) as SealedRegistrant;
    assert.deepEqual(Object.keys(sealed.fields).sort(), [...PERSONAL_FIELDS].sort());
    assert.equal(sealed.status, 'active');
    assert.equal(sealed.reviewDue, '2027-01-10');
    assert.equal(sealed.registrationEnd, null);
  });

  it('uses a fresh data key and IVs: sealing the same registrant twice gives unrelated ciphertexts', () => {
    const keys = freshKeys();
    const r = cyrillicRegistrant();
    const a = sealRegistrant(r, keys, NOW);
    const b = sealRegistrant(r, keys, NOW);
    assert.notEqual(a.dek!.ciphertext, b.dek!.ciphertext);
    for (const f of PERSONAL_FIELDS) assert.notEqual(a.fields[f], b.fields[f]);
    // Blind indexes are deterministic by design (that is what makes search work).
    assert.deepEqual(a.blindIndexes, b.blindIndexes);
  });

  it('binds each ciphertext to its record and field (AAD): moved fields and keys do not decrypt', () => {
    const keys = freshKeys();
    const a = sealRegistrant(cyrillicRegistrant(), keys, NOW);
    const b = sealRegistrant(greekRegistrant(), keys, NOW);
    // a's name copied onto b's record
    throwsCode(
      () => openRegistrant({ ...b, fields: { ...b.fields, 'person.name': a.fields['person.name']! } }, keys),
      'personal_data_unreadable',
    );
    // a's whole field set under b's id, with a's own wrapped data key
    throwsCode(() => openRegistrant({ ...a, id: b.id }, keys), 'personal_data_unreadable');
    // a's wrapped data key moved to b
    throwsCode(() => openRegistrant({ ...b, dek: a.dek }, keys), 'personal_data_unreadable');
    // swap two fields inside one record
    throwsCode(
      () =>
        openRegistrant(
          {
            ...a,
            fields: {
              ...a.fields,
              'person.sex': a.fields['person.dateOfBirth']!,
              'person.dateOfBirth': a.fields['person.sex']!,
            },
          },
          keys,
        ),
      'personal_data_unreadable',
    );
    // a field deleted from the stored record (e.g. to hide the notes)
    const { notes: _notes, ...trimmed } = a.fields;
    throwsCode(() => openRegistrant({ ...a, fields: trimmed }, keys), 'personal_data_unreadable');
    // one flipped ciphertext character
    const token = a.fields.convictions!;
    const parts = token.split('.');
    parts[3] = (parts[3]![0] === 'A' ? 'B' : 'A') + parts[3]!.slice(1);
    throwsCode(
      () => openRegistrant({ ...a, fields: { ...a.fields, convictions: parts.join('.') } }, keys),
      'personal_data_unreadable',
    );
    // the untouched records still open
    assert.equal(openRegistrant(a, keys).person.name.family, 'Petrov');
    assert.equal(openRegistrant(b, keys).person.name.family, 'Papadopoulos');
  });

  it('opens only the identity for screening: convictions, notes and photo reference stay sealed', () => {
    const keys = freshKeys();
    const r = cyrillicRegistrant();
    const sealed = sealRegistrant(r, keys, NOW);
    const identity = openIdentity(sealed, keys);
    assert.deepEqual(identity.person, r.person);
    assert.deepEqual(identity.pastTravelDocuments, r.pastTravelDocuments);
    assert.deepEqual(
      Object.keys(identity).sort(),
      ['id', 'person', ...(r.pastTravelDocuments ? ['pastTravelDocuments'] : [])].sort(),
    );
    // Not decrypted at all: ciphertexts it does not read can be garbage without it noticing…
    const garbled = { ...sealed, fields: { ...sealed.fields, convictions: 'x', notes: 'y', photoRef: 'z' } };
    assert.deepEqual(openIdentity(garbled, keys).person, r.person);
    throwsCode(() => openRegistrant(garbled, keys), 'personal_data_unreadable');
    // …while every field it reads is authenticated as before.
    const parts = sealed.fields['person.name']!.split('.');
    parts[3] = (parts[3]![0] === 'A' ? 'B' : 'A') + parts[3]!.slice(1);
    throwsCode(
      () => openIdentity({ ...sealed, fields: { ...sealed.fields, 'person.name': parts.join('.') } }, keys),
      'personal_data_unreadable',
    );
    throwsCode(() => openIdentity(shredRegistrant(sealed, NOW), keys), 'registrant_erased');
  });

  it('cannot be read with another KEK (the database alone is not enough)', () => {
    const keys = freshKeys();
    const sealed = sealRegistrant(cyrillicRegistrant(), keys, NOW);
    const thief = registryKeys(
      new KekRing(parseSymmetricKeys(octJwks({ kid: 'kek-1', k: secret() }), 'x')),
      keys.indexKey,
    );
    throwsCode(() => openRegistrant(sealed, thief), 'personal_data_unreadable');
  });

  it('crypto-shreds on erasure: a backup copy of the ciphertexts can no longer be decrypted', () => {
    const keys = freshKeys();
    const r = cyrillicRegistrant();
    const live = sealRegistrant(r, keys, NOW);
    const backupOfFields = structuredClone(live.fields); // e.g. a database dump taken before erasure
    const tombstone = shredRegistrant(live, NOW + 1000);

    assert.equal(tombstone.dek, null);
    assert.deepEqual(tombstone.fields, {});
    assert.deepEqual(tombstone.blindIndexes, []);
    assert.equal(tombstone.status, 'ended');
    assert.equal(tombstone.erasedAt, NOW + 1000);
    assert.equal(tombstone.registrationStart, r.registrationStart, 'statistics fields survive');
    for (const v of personalStrings(r)) assert.ok(!JSON.stringify(tombstone).includes(v));

    throwsCode(() => openRegistrant(tombstone, keys), 'registrant_erased');
    // Restoring the backed-up ciphertexts onto the tombstone does not help: their data key is gone,
    // and no other data key (e.g. a new record's) opens them.
    throwsCode(() => openRegistrant({ ...tombstone, fields: backupOfFields }, keys), 'registrant_erased');
    const other = sealRegistrant({ ...r, id: r.id }, keys, NOW);
    throwsCode(() => openRegistrant({ ...other, fields: backupOfFields }, keys), 'personal_data_unreadable');
  });

  it('completes shredding in backups that still hold the wrapped data key once the old KEK is retired', () => {
    const kek1 = { kid: 'kek-2026-01', k: secret() };
    const kek2 = { kid: 'kek-2026-07', k: secret() };
    const index = freshKeys().indexKey;
    const ring1 = registryKeys(new KekRing(parseSymmetricKeys(octJwks(kek1), 'k')), index);
    const backup = sealRegistrant(cyrillicRegistrant(), ring1, NOW); // full record, dumped to backup

    // Rotation: kek2 active, kek1 kept to unwrap until every record is re-wrapped.
    const ring12 = registryKeys(new KekRing(parseSymmetricKeys(octJwks(kek2, kek1), 'k')), index);
    const live = rewrapRegistrant(backup, ring12, NOW + 1);
    shredRegistrant(live, NOW + 2);
    assert.equal(openRegistrant(backup, ring12).id, backup.id, 'while kek1 is kept, the backup is still readable');

    // kek1 retired: the backup copy is unreadable for good.
    const ring2 = registryKeys(new KekRing(parseSymmetricKeys(octJwks(kek2, { ...kek1, retired: true }), 'k')), index);
    throwsCode(() => openRegistrant(backup, ring2), 'personal_data_unreadable');
  });

  it('rotates the KEK by re-wrapping the data key only: fields stay byte-identical', () => {
    const kek1 = { kid: 'kek-a', k: secret() };
    const kek2 = { kid: 'kek-b', k: secret() };
    const index = freshKeys().indexKey;
    const old = registryKeys(new KekRing(parseSymmetricKeys(octJwks(kek1), 'k')), index);
    const sealed = sealRegistrant(cyrillicRegistrant(), old, NOW);
    assert.equal(sealed.dek!.kid, 'kek-a');

    const rotated = registryKeys(new KekRing(parseSymmetricKeys(octJwks(kek2, kek1), 'k')), index);
    assert.equal(needsRewrap(sealed, rotated), true);
    const rewrapped = rewrapRegistrant(sealed, rotated, NOW + 5);
    assert.equal(rewrapped.dek!.kid, 'kek-b');
    assert.equal(needsRewrap(rewrapped, rotated), false);
    assert.deepEqual(rewrapped.fields, sealed.fields);
    assert.equal(rewrapped.updatedAt, NOW + 5);
    assert.equal(rewrapRegistrant(rewrapped, rotated, NOW + 9), rewrapped, 'already current: unchanged');

    const onlyNew = registryKeys(new KekRing(parseSymmetricKeys(octJwks(kek2), 'k')), index);
    assert.deepEqual(openRegistrant(rewrapped, onlyNew), openRegistrant(sealed, old));
    throwsCode(() => openRegistrant(sealed, onlyNew), 'personal_data_unreadable');
  });

  it('reseals an updated registrant under the same data key, with fresh IVs and new indexes', () => {
    const keys = freshKeys();
    const r = cyrillicRegistrant();
    const first = sealRegistrant(r, keys, NOW);
    const changed = {
      ...r,
      person: {
        ...r.person,
        travelDocuments: [{ number: 'N0000001', type: 'passport' as const, issuingState: 'USA' }],
      },
      reviewDue: '2028-01-10',
    };
    const second = resealRegistrant({ ...first, reviewFlaggedAt: NOW }, changed, keys, NOW + 10);
    assert.deepEqual(second.dek, first.dek, 'same data key, same wrapping');
    assert.notEqual(second.fields['person.name'], first.fields['person.name'], 'fresh IV on every write');
    assert.notDeepEqual(second.blindIndexes, first.blindIndexes);
    assert.equal(second.createdAt, NOW);
    assert.equal(second.reviewFlaggedAt, null, 'a later review date clears the overdue flag');
    assert.deepEqual(openRegistrant(second, keys), changed);
    throwsCode(
      () => resealRegistrant(first, { ...changed, id: greekRegistrant().id }, keys, NOW),
      'invalid_registrant',
    );
    throwsCode(() => resealRegistrant(shredRegistrant(first, NOW), changed, keys, NOW), 'registrant_erased');
  });

  it('re-keys a registrant with a new data key version; old ciphertexts do not open under it', () => {
    const keys = freshKeys();
    const r = cyrillicRegistrant();
    const v1 = sealRegistrant(r, keys, NOW);
    const v2 = rekeyRegistrant(v1, keys, NOW + 1);
    assert.equal(v2.dek!.version, 2);
    assert.deepEqual(openRegistrant(v2, keys), r);
    throwsCode(() => openRegistrant({ ...v2, fields: v1.fields }, keys), 'personal_data_unreadable');
  });
});
