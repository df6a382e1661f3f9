import assert from 'node:assert/strict';
import { normaliseFlight, recordAlsoFoundBy, tripIdentity, tripKey } from '../../src/domain/travel-reports/trip-key.js';
import { freshKeys } from '../registry/fixtures.js';

const reg = '0d6a3c1e-5b2f-4e8a-9c7d-1a2b3c4d5e6f';
const leg = { carrier: 'BA', flightNumber: 'BA0178', scheduledDeparture: '2026-12-20T19:30:00-05:00' };

describe('travel reports: trip de-duplication key', () => {
  const { indexKey } = freshKeys();

  it('normalises flight numbers as published in different layouts', () => {
    assert.equal(normaliseFlight('BA', 'BA0178'), 'BA178');
    assert.equal(normaliseFlight('BA', 'ba 178'), 'BA178');
    assert.equal(normaliseFlight('BA', '178'), 'BA178');
    assert.equal(normaliseFlight('U2', 'U21234'), 'U21234');
    assert.equal(normaliseFlight('9W', '9W0007A'), '9W7A');
  });

  it('is the same for the same trip found by another source (self-report vs manifest)', () => {
    const fromManifest = { carrier: 'BA', flightNumber: 'BA178', scheduledDeparture: '2026-12-20T19:30:00-05:00' };
    assert.equal(tripKey(indexKey, reg, leg), tripKey(indexKey, reg, fromManifest));
    // the local date counts, as on a boarding pass: 19:30 in New York is already the 21st in UTC
    assert.equal(tripIdentity(reg, leg), `${reg}|BA178|2026-12-20`);
  });

  it('differs for another flight, another day, another registrant, or another key', () => {
    const k = tripKey(indexKey, reg, leg);
    assert.notEqual(tripKey(indexKey, reg, { ...leg, flightNumber: 'BA0179' }), k);
    assert.notEqual(tripKey(indexKey, reg, { ...leg, scheduledDeparture: '2026-12-21T19:30:00-05:00' }), k);
    assert.notEqual(tripKey(indexKey, '0d6a3c1e-5b2f-4e8a-9c7d-1a2b3c4d5e70', leg), k);
    assert.notEqual(tripKey(freshKeys().indexKey, reg, leg), k);
    assert.ok(!k.includes('BA178') && !k.includes('2026'), 'the stored key reveals neither flight nor date');
  });

  it('records a second source on the first notification once, keeping the first source', () => {
    const first = { kind: 'self_report' as const };
    const once = recordAlsoFoundBy(first, 'manifest_match');
    assert.deepEqual(once, { kind: 'self_report', alsoFoundBy: ['manifest_match'] });
    assert.equal(recordAlsoFoundBy(once, 'manifest_match'), once, 'idempotent');
    assert.equal(recordAlsoFoundBy(first, 'self_report'), first);
    assert.deepEqual(recordAlsoFoundBy(once, 'other').alsoFoundBy, ['manifest_match', 'other']);
    assert.deepEqual(first, { kind: 'self_report' }, 'input not mutated');
  });
});
