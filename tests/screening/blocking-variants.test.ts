import { strict as assert } from 'node:assert';
import { CandidateIndex } from '../../src/domain/screening/candidate-index.js';
import { passengerQuery } from '../../src/domain/screening/screen.js';

/**
 * Blocking must put a registrant and his passenger together whatever the field does to the name or
 * the date: each case here was a registrant never compared before the keys below existed.
 */
const cases: Array<[string, [string, string[], string], [string, string[], string]]> = [
  ['a doubled letter', ['SCHMIDT', ['KLAUS'], '1970-05-06'], ['SCCHMIDT', ['KLAUS'], '1970-05-06']],
  ['a dropped letter in a short name', ['MEYER', ['UWE'], '1970-05-06'], ['MEYE', ['UWE'], '1970-05-06']],
  [
    'a joined compound given name',
    ['SMITH', ['JUAN', 'CARLOS'], '1970-05-06'],
    ['SMITH', ['JUANCARLOS'], '1970-05-06'],
  ],
  [
    'a first letter romanised another way',
    ['GEORGIOU', ['NIKOS'], '1970-05-06'],
    ['YEORGIOU', ['NIKOS'], '1970-05-06'],
  ],
  ['another romanisation of one consonant', ['TADHEE', ['OMAR'], '1970-05-06'], ['TAZI', ['OMAR'], '1970-05-06']],
  ['a dropped first letter', ['NGUYEN', ['VAN', 'HUNG'], '1970-05-06'], ['NUYEN', ['VAN', 'HUNG'], '1970-05-06']],
  [
    'one of several given names and a typo',
    ['GARCIA', ['JOSE', 'LUIS', 'ANTONIO'], '1970-05-06'],
    ['GRACIA', ['LUIS'], '1970-05-06'],
  ],
  ['a decade typed wrongly', ['KOWALSKI', ['JAN'], '1963-05-06'], ['KOWALSKI', ['JAN'], '1953-05-06']],
  ['one day off across a year end', ['KOWALSKI', ['JAN'], '1963-12-31'], ['KOWALSKI', ['JAN'], '1964-01-01']],
  [
    'one of several given names and a day off',
    ['NOWAK', ['PIOTR', 'JAN'], '1963-05-06'],
    ['NOWAK', ['PIOTR'], '1963-05-07'],
  ],
  ['a month digit typed wrongly', ['NOWAK', ['PIOTR'], '1963-05-06'], ['NOWAK', ['PIOTR'], '1963-08-06']],
];

describe('screening: blocking keeps variants together', () => {
  for (const [what, [rf, rg, rd], [pf, pg, pd]] of cases) {
    it(`finds the registrant with ${what}`, () => {
      const index = new CandidateIndex();
      index.upsert({
        id: 'r',
        name: { family: rf, given: rg },
        dateOfBirth: rd,
        sex: 'M',
        citizenships: ['DEU'],
        travelDocuments: [],
      });
      // Someone sharing nothing but the date: blocking must not be a scan of everybody.
      index.upsert({
        id: 'o',
        name: { family: 'ZZYZX', given: ['QWERTY'] },
        dateOfBirth: rd,
        sex: 'M',
        citizenships: ['DEU'],
        travelDocuments: [],
      });
      const q = passengerQuery({
        role: 'passenger',
        familyName: pf,
        givenNames: pg,
        sex: 'M',
        dateOfBirth: pd,
        nationality: 'DEU',
        documents: [],
        bookingRef: null,
        embarkation: null,
        debarkation: null,
      });
      assert.deepEqual(
        index.candidates(q).slots.map((s) => index.idOf(s)),
        ['r'],
      );
    });
  }
});
