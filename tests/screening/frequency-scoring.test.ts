import { strict as assert } from 'node:assert';
import { CandidateIndex, type RegistrantForScreening } from '../../src/domain/screening/candidate-index.js';
import { DEFAULT_WEIGHTS, resolveWeights } from '../../src/domain/screening/config.js';
import type { ManifestPassenger } from '../../src/domain/screening/manifest.js';
import { passengerQuery, screenPassenger, type ScreeningStats } from '../../src/domain/screening/screen.js';
import { scoreMatch } from '../../src/domain/screening/score.js';

const stats = (): ScreeningStats => ({ postingsVisited: 0, candidates: 0, passengers: 0, scored: 0 });

function registrant(
  id: string,
  family: string,
  given: string[],
  dob: string,
  docs: string[] = [],
): RegistrantForScreening {
  return {
    id,
    name: { family, given },
    dateOfBirth: dob,
    sex: 'M',
    citizenships: ['GBR'],
    travelDocuments: docs.map((number) => ({ number })),
  };
}

function passenger(family: string, given: string[], dob: string | null, docs: string[] = []): ManifestPassenger {
  return {
    role: 'passenger',
    familyName: family,
    givenNames: given,
    sex: 'M',
    dateOfBirth: dob,
    nationality: 'GBR',
    documents: docs.map((number) => ({ type: 'passport', number, issuingState: 'GBR', expiresOn: null })),
    bookingRef: null,
    embarkation: null,
    debarkation: null,
  };
}

/** A registry where SMITH and JOHN are very common and the other names rare. */
function registry(): CandidateIndex {
  const index = new CandidateIndex();
  const rareFamilies = ['ABERNETHY', 'QUILLFEATHER', 'TREMAYNE', 'OKONKWO', 'VASQUEZ', 'LINDQVIST', 'MAKAROVA'];
  for (let i = 0; i < 6000; i++) {
    const family =
      i % 3 === 0 ? 'SMITH' : `${rareFamilies[i % rareFamilies.length]!}${String.fromCharCode(65 + (i % 26))}`;
    const given =
      i % 2 === 0
        ? ['JOHN']
        : [`GIVEN${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i >> 5) % 26))}`];
    const y = 1950 + (i % 50);
    index.upsert(registrant(`F${i}`, family, given, `${y}-0${1 + (i % 9)}-1${i % 10}`));
  }
  return index;
}

describe('screening: scoring by how common a value is', () => {
  const index = registry();
  index.upsert(registrant('rare', 'PENHALLOW', ['CADOC'], '1971-04-12', ['533380006']));
  index.upsert(registrant('common', 'SMITH', ['JOHN'], '1971-04-12'));
  const score = (p: ManifestPassenger, id: string): number =>
    scoreMatch(passengerQuery(p), index.subject(index.slotOf(id)!), DEFAULT_WEIGHTS, index.rarity).score;
  const found = (p: ManifestPassenger): string[] =>
    screenPassenger(passengerQuery(p), index, DEFAULT_WEIGHTS, stats()).map((c) => c.registrantId);

  it('an agreeing rare name weighs more than an agreeing common one', () => {
    const rare = score(passenger('PENHALLOW', ['CADOC'], '1971-04-12'), 'rare');
    const common = score(passenger('SMITH', ['JOHN'], '1971-04-12'), 'common');
    assert.ok(rare > common + 0.2, `rare ${rare}, common ${common}`);
  });

  it('a date typed one day off is a typing error: a rare name is still found', () => {
    assert.deepEqual(found(passenger('PENHALLOW', ['CADOC'], '1971-04-13')), ['rare']);
    assert.deepEqual(found(passenger('PENHALLOW', ['CADOC'], '1961-04-12')), ['rare'], 'one digit of the year');
  });

  it('a common name with only the birth year is not enough', () => {
    assert.deepEqual(found(passenger('SMITH', ['JOHN'], '1971')), []);
  });

  it('a clearly different family name is not bought back by an agreeing given name and date', () => {
    const s = score(passenger('WAINWRIGHT', ['CADOC'], '1971-04-12'), 'rare');
    assert.ok(s < DEFAULT_WEIGHTS.threshold, `score ${s}`);
    const r = scoreMatch(
      passengerQuery(passenger('WAINWRIGHT', ['CADOC'], '1971-04-12')),
      index.subject(index.slotOf('rare')!),
      DEFAULT_WEIGHTS,
      index.rarity,
    );
    assert.ok(r.features.some((f) => f.feature === 'name_token_differs' && f.contribution < 0));
  });

  it('a registry larger than the reference size asks for more evidence (registry_size)', () => {
    const p = passengerQuery(passenger('PENHALLOW', ['CADOC'], '1971-04-12'));
    const at = (referenceSize: number): number =>
      scoreMatch(
        p,
        index.subject(index.slotOf('rare')!),
        resolveWeights({ frequency: { referenceSize } }),
        index.rarity,
      ).score;
    const size = (referenceSize: number) =>
      scoreMatch(
        p,
        index.subject(index.slotOf('rare')!),
        resolveWeights({ frequency: { referenceSize } }),
        index.rarity,
      ).features.find((f) => f.feature === 'registry_size')?.contribution;
    assert.equal(size(1_000_000), undefined, 'a smaller registry than the reference changes nothing');
    assert.ok(size(100)! < -0.15, `${size(100)}`); // log2(100 / 6002) bits
    assert.ok(at(100) < at(1_000_000));
  });
});

describe('screening: documents the registry has seen before', () => {
  it('a passport replaced by a renewal still matches, and erasure forgets it', () => {
    const index = new CandidateIndex();
    index.upsert(registrant('r', 'SMITH', ['JOHN'], '1960-02-03', ['OLD123456']));
    index.upsert(registrant('r', 'SMITH', ['JOHN'], '1960-02-03', ['NEW654321'])); // renewal
    // Name and date differ too much to match without a document: only the old passport finds him.
    const p = passenger('SMYTHE', ['JON'], '1962-02-03', ['OLD123456']);
    const hit = screenPassenger(passengerQuery(p), index, DEFAULT_WEIGHTS, stats());
    assert.deepEqual(
      hit.map((c) => c.registrantId),
      ['r'],
    );
    assert.ok(hit[0]!.features.some((f) => f.feature === 'document_exact'));
    assert.ok(index.remove('r'));
    index.upsert(registrant('r', 'SMITH', ['JOHN'], '1960-02-03', ['NEW654321']));
    assert.deepEqual(screenPassenger(passengerQuery(p), index, DEFAULT_WEIGHTS, stats()), []);
  });

  it('past documents given by the registry count like current ones', () => {
    const index = new CandidateIndex();
    index.upsert({
      ...registrant('r', 'SMITH', ['JOHN'], '1960-02-03', ['NEW654321']),
      pastTravelDocuments: [{ number: 'OLD123456' }],
    });
    const p = passenger('SMYTHE', ['JON'], '1962-02-03', ['OLD123456']);
    assert.deepEqual(
      screenPassenger(passengerQuery(p), index, DEFAULT_WEIGHTS, stats()).map((c) => c.registrantId),
      ['r'],
    );
  });
});
