import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { CandidateIndex } from '../../src/domain/screening/candidate-index.js';
import { DEFAULT_WEIGHTS, resolveWeights } from '../../src/domain/screening/config.js';
import { parsePaxlst } from '../../src/domain/screening/paxlst/parse.js';
import { screenManifest } from '../../src/domain/screening/screen.js';
import { rng, syntheticPerson, toRegistrant } from './synthetic/population.js';

const EXAMPLE = new URL('../../protocol/examples/manifests/paxlst-ba0178.edi', import.meta.url);

function registry(): CandidateIndex {
  const index = new CandidateIndex();
  const r = rng(99);
  for (let i = 0; i < 2000; i++) index.upsert(toRegistrant(syntheticPerson(r, `R${i}`), r));
  // The registrant on board: held in Cyrillic with the ICAO transliteration; the manifest spells
  // the given name IURII too, but he travels on a passport the registry does not know.
  index.upsert({
    id: 'reg-shchukin',
    name: { family: 'SHCHUKIN', given: ['IURII', 'PETROVICH'] },
    nameOriginalScript: { family: 'Щукин', given: ['Юрий', 'Петрович'] },
    dateOfBirth: '1985-07-07',
    sex: 'M',
    citizenships: ['RUS'],
    travelDocuments: [{ number: '700000001' }],
  });
  // A namesake of the crew member, born another year: not a candidate.
  index.upsert({
    id: 'reg-nakamura',
    name: { family: 'NAKAMURA', given: ['KEN'] },
    dateOfBirth: '1961-08-14',
    sex: 'M',
    citizenships: ['JPN'],
    travelDocuments: [],
  });
  return index;
}

describe('screening: screenManifest', () => {
  const index = registry();
  const manifest = parsePaxlst(readFileSync(EXAMPLE, 'utf8'));

  it('reports the registrant on board, with score and the features that matched', () => {
    const result = screenManifest(manifest, index);
    assert.equal(result.passengers.length, manifest.passengers.length);
    assert.equal(result.threshold, DEFAULT_WEIGHTS.threshold);
    const hit = result.passengers[2]!;
    assert.equal(hit.passengerIndex, 2);
    assert.deepEqual(
      hit.candidates.map((c) => c.registrantId),
      ['reg-shchukin'],
    );
    const c = hit.candidates[0]!;
    assert.ok(c.score >= DEFAULT_WEIGHTS.threshold);
    const features = c.features.map((f) => f.feature);
    assert.ok(features.includes('name') && features.includes('dob_exact') && features.includes('nationality_match'));
    for (const i of [0, 1, 3]) assert.deepEqual(result.passengers[i]!.candidates, [], `passenger ${i}`);
    assert.ok(result.stats.candidates < index.size / 20, 'blocking, not a full scan');
  });

  it('keeps personal data out of the result: positions and registrant ids only', () => {
    const text = JSON.stringify(screenManifest(manifest, index));
    for (const pii of ['SHCHUKIN', 'IURII', 'BRIEN', '1985', '721234567', 'PB1234567'])
      assert.ok(!text.includes(pii), pii);
  });

  it('honours the configured threshold', () => {
    const strict = screenManifest(manifest, index, resolveWeights({ threshold: 1.01 }));
    assert.ok(strict.passengers.every((p) => p.candidates.length === 0));
  });
});
