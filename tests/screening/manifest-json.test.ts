import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { isTnxError } from '../../src/core/errors.js';
import { parseManifestJson } from '../../src/domain/screening/manifest-json.js';
import { parsePaxlst } from '../../src/domain/screening/paxlst/parse.js';

const dir = new URL('../../protocol/examples/manifests/', import.meta.url);
const json = (): Record<string, any> => JSON.parse(readFileSync(new URL('json-ba0178.json', dir), 'utf8'));

describe('screening: JSON manifest', () => {
  it('the JSON and PAXLST examples of the same flight give equal Manifests', () => {
    const a = parseManifestJson(json());
    const b = parsePaxlst(readFileSync(new URL('paxlst-ba0178.edi', dir), 'utf8'));
    assert.deepStrictEqual(a, b);
    assert.equal(a.passengers.length, 4);
  });

  it('fills optional members with the PAXLST defaults', () => {
    const m = parseManifestJson({
      flight: { carrier: 'UA', flightNumber: 'UA0901', departureAirport: 'SFO', arrivalAirport: 'NRT' },
      passengers: [{ role: 'passenger', familyName: 'TANAKA', givenNames: [] }],
    });
    assert.equal(m.flight.scheduledDeparture, null);
    assert.deepEqual(m.passengers[0], {
      role: 'passenger',
      familyName: 'TANAKA',
      givenNames: [],
      sex: 'U',
      dateOfBirth: null,
      nationality: null,
      documents: [],
      bookingRef: null,
      embarkation: null,
      debarkation: null,
    });
  });

  it('refuses invalid content with the pointer of the member, not its value', () => {
    const cases: Array<[(j: Record<string, any>) => void, string]> = [
      [
        (j) => {
          j.passengers[0].dateOfBirth = '1976-13-01';
        },
        '/passengers/0/dateOfBirth',
      ],
      [
        (j) => {
          j.passengers[1].documents[0].number = 'bad number';
        },
        '/passengers/1/documents/0/number',
      ],
      [
        (j) => {
          j.flight.arrivalAirport = 'jfk';
        },
        '/flight/arrivalAirport',
      ],
      [
        (j) => {
          j.passengers[2].extra = 1;
        },
        '/passengers/2',
      ],
      [
        (j) => {
          delete j.passengers[0].familyName;
        },
        '/passengers/0',
      ],
      [
        (j) => {
          j.passengers[0].documents[0].expiresOn = '2030-02-30';
        },
        '/passengers/0/documents/0/expiresOn',
      ],
    ];
    for (const [mutate, pointer] of cases) {
      const j = json();
      mutate(j);
      assert.throws(
        () => parseManifestJson(j),
        (e: unknown) => {
          assert.ok(isTnxError(e, 'malformed_manifest'));
          assert.equal(e.pointer, pointer);
          assert.doesNotMatch(e.message, /BRIEN|1976|SHCHUKIN/);
          return true;
        },
      );
    }
    assert.throws(
      () => parseManifestJson('not an object'),
      (e: unknown) => isTnxError(e, 'malformed_manifest'),
    );
  });
});
