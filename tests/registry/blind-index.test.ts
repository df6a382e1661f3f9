import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import {
  BLIND_INDEX_BYTES,
  blindIndex,
  matchesAll,
  nameTokens,
  normaliseDocumentNumber,
  searchTerms,
  type RegistrantQuery,
} from '../../src/domain/registry/blind-index.js';
import { parseSymmetricKeys } from '../../src/domain/registry/key-file.js';
import {
  reindexRegistrant,
  sealRegistrant,
  type SealedRegistrant,
} from '../../src/domain/registry/sealed-registrant.js';
import { cyrillicRegistrant, freshKeys, greekRegistrant, secret } from './fixtures.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('registry: blind indexes', () => {
  it('normalises transliteration variants of one name to the same tokens', () => {
    const same = (a: string, b: string): void => assert.deepEqual(nameTokens(a), nameTokens(b), `${a} / ${b}`);
    same('Дмитрий Петров', 'DMITRII PETROV'); // ICAO 9303 (2013) transliteration in the passport
    same('Дмитрий Петров', 'Dmitriy Petrov'); // BGN/PCGN
    same('Юрий Хрущёв', 'Iurii Khrushchev');
    same('Юрий Хрущёв', 'Yuriy Hrushchev');
    same('Евгений', 'Yevgeniy');
    same('Ελευθέριος Παπαδόπουλος', 'Eleftherios Papadopoulos'); // ELOT 743
    same('Müller', 'MUELLER');
    same('José Núñez', 'JOSE NUNEZ');
    same('Alexandr', 'Aleksandr');
    assert.notDeepEqual(nameTokens('Petrov'), nameTokens('Ivanov'));
    assert.deepEqual(nameTokens('J. R. Smith'), ['smith'], 'initials are not indexed');
  });

  it('normalises document numbers: upper case, separators and MRZ filler removed', () => {
    assert.equal(normaliseDocumentNumber(' k48-213 377<<'), 'K48213377');
    assert.equal(normaliseDocumentNumber('ZX.908/1726'), 'ZX9081726');
  });

  it('computes truncated, domain-separated HMACs under the index key', () => {
    const { indexKey } = freshKeys();
    const v = blindIndex(indexKey, 'name', 'petrov');
    assert.equal(Buffer.from(v, 'base64url').length, BLIND_INDEX_BYTES);
    assert.notEqual(blindIndex(indexKey, 'doc', 'petrov'), v, 'kinds are domain-separated');
    const [other] = parseSymmetricKeys(secret(), 'k');
    assert.notEqual(blindIndex(other!, 'name', 'petrov'), v, 'another key gives other indexes');
  });

  describe('search over sealed records', () => {
    const keys = freshKeys();
    const petrov = cyrillicRegistrant();
    // Registered in Latin only (no original-script name), with a BGN-style spelling.
    const latinOnly = cyrillicRegistrant({
      person: {
        ...cyrillicRegistrant().person,
        name: { family: 'Khrushchev', given: ['Yuriy'] },
        dateOfBirth: '1979-03-15',
        travelDocuments: [{ number: 'P7654321', type: 'passport', issuingState: 'GBR' }],
      },
    });
    delete latinOnly.person.nameOriginalScript;
    delete latinOnly.person.aliases;
    const greek = greekRegistrant();
    const db: SealedRegistrant[] = [petrov, latinOnly, greek].map((r) => sealRegistrant(r, keys, NOW));
    const find = (q: RegistrantQuery): string[] => {
      const terms = searchTerms(q, keys.indexKey);
      return db.filter((s) => matchesAll(s.blindIndexes, terms)).map((s) => s.id);
    };

    it('finds a Cyrillic-registered person by the Latin spelling of the passport, and by an alias', () => {
      assert.deepEqual(find({ name: 'PETROV DMITRII' }), [petrov.id]);
      assert.deepEqual(find({ name: 'Dmitriy Petrov' }), [petrov.id]);
      assert.deepEqual(find({ name: 'Петров' }), [petrov.id]);
      assert.deepEqual(find({ name: 'Dima Petroff' }), [petrov.id]);
    });

    it('finds a Latin-registered person by the original Cyrillic and Greek scripts', () => {
      assert.deepEqual(find({ name: 'Юрий Хрущёв' }), [latinOnly.id]);
      assert.deepEqual(find({ name: 'Iurii KHRUSHCHEV' }), [latinOnly.id]);
      assert.deepEqual(find({ name: 'Παπαδόπουλος' }), [greek.id]);
    });

    it('finds by exact date of birth, by year, and by document number in any layout', () => {
      assert.deepEqual(find({ dateOfBirth: '1979-03-14' }), [petrov.id]);
      assert.deepEqual(find({ dateOfBirth: '1979' }).sort(), [petrov.id, latinOnly.id].sort());
      assert.deepEqual(find({ dateOfBirth: '1985' }), [greek.id], 'a year-only DOB is found by year');
      assert.deepEqual(find({ documentNumber: 'zx 908-1726' }), [petrov.id]);
      assert.deepEqual(find({ documentNumber: 'P7654321' }), [latinOnly.id]);
    });

    it('combines criteria with AND and finds nothing for a non-matching combination or an empty query', () => {
      assert.deepEqual(find({ name: 'Petrov', dateOfBirth: '1979-03-14' }), [petrov.id]);
      assert.deepEqual(find({ name: 'Petrov', dateOfBirth: '1979-03-15' }), []);
      assert.deepEqual(find({ name: 'Ivanova' }), []);
      assert.deepEqual(find({}), []);
      assert.deepEqual(find({ name: 'J.' }), [], 'a query of initials only matches nothing, not everyone');
    });

    it('finds nothing with another index key (the index is useless without its key)', () => {
      const other = freshKeys();
      const terms = searchTerms({ name: 'Petrov' }, other.indexKey);
      assert.equal(db.filter((s) => matchesAll(s.blindIndexes, terms)).length, 0);
    });

    it('re-indexes under a new index key without touching the encrypted fields', () => {
      const next = freshKeys().indexKey;
      const moved = reindexRegistrant(db[0]!, keys, next, NOW + 1);
      assert.deepEqual(moved.fields, db[0]!.fields);
      assert.ok(matchesAll(moved.blindIndexes, searchTerms({ name: 'Petrov', dateOfBirth: '1979-03-14' }, next)));
      assert.ok(
        !matchesAll(moved.blindIndexes, searchTerms({ name: 'Petrov' }, keys.indexKey)),
        'old-key terms no longer match',
      );
    });

    it('refuses a malformed date-of-birth query', () => {
      assert.throws(
        () => searchTerms({ dateOfBirth: '14/03/1979' }, keys.indexKey),
        (e: unknown) => isTnxError(e, 'invalid_request') && !e.message.includes('1979'),
      );
    });
  });
});
