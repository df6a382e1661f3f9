import { strict as assert } from 'node:assert';
import { packBirthDate, compareBirthDates } from '../../src/domain/screening/birth-date.js';
import { DEFAULT_WEIGHTS, resolveWeights } from '../../src/domain/screening/config.js';
import { normalizeName } from '../../src/domain/screening/normalize.js';
import {
  documentBonus,
  oneEditApart,
  packExpiry,
  scoreMatch,
  scoreUpperBound,
  type ScoringSubject,
} from '../../src/domain/screening/score.js';

function subject(
  family: string,
  given: string[],
  dob: string | null,
  extra: Partial<ScoringSubject> = {},
): ScoringSubject {
  return {
    names: [normalizeName(family, given)],
    dateOfBirth: packBirthDate(dob),
    sex: 'M',
    nationalities: ['RUS'],
    documents: ['721234567'],
    ...extra,
  };
}

// The registrant: Cyrillic original and ICAO Latin, as the registry would hold them.
const registrant: ScoringSubject = {
  names: [normalizeName('Щукин', ['Юрий', 'Петрович']), normalizeName('SHCHUKIN', ['IURII', 'PETROVICH'])],
  dateOfBirth: packBirthDate('1985-07-03'),
  sex: 'M',
  nationalities: ['RUS'],
  documents: ['721234567'],
};
const T = DEFAULT_WEIGHTS.threshold;
const score = (p: ScoringSubject): number => scoreMatch(p, registrant, DEFAULT_WEIGHTS).score;
const otherDoc = { documents: ['990000001'] };

describe('screening: score', () => {
  const variants: Array<[string, ScoringSubject]> = [
    ['exact', subject('SHCHUKIN', ['IURII', 'PETROVICH'], '1985-07-03')],
    ['transliteration variant', subject('SCHUKIN', ['YURIY', 'PETROVICH'], '1985-07-03', otherDoc)],
    ['swapped name order', subject('IURII', ['SHCHUKIN', 'PETROVICH'], '1985-07-03', otherDoc)],
    ['dropped middle name', subject('SHCHUKIN', ['IURII'], '1985-07-03', otherDoc)],
    ['one-letter typo', subject('SHCHUKNI', ['IURII', 'PETROVICH'], '1985-07-03', otherDoc)],
    ['day/month swapped', subject('SHCHUKIN', ['IURII', 'PETROVICH'], '1985-03-07', otherDoc)],
    ['partial date of birth', subject('SHCHUKIN', ['IURII', 'PETROVICH'], '1985', otherDoc)],
    ['year off by one', subject('SHCHUKIN', ['IURII', 'PETROVICH'], '1986-07-03', otherDoc)],
    ['document one edit, name variant', subject('SHUKIN', ['YURI'], '1985-07-03', { documents: ['721234576'] })],
  ];
  for (const [kind, p] of variants) {
    it(`a ${kind} scores above the threshold`, () => {
      const s = score(p);
      assert.ok(s >= T, `${kind}: ${s}`);
      assert.ok(
        scoreUpperBound(p, registrant, DEFAULT_WEIGHTS) +
          documentBonus(p.documents, registrant.documents, DEFAULT_WEIGHTS) >=
          s,
        'bound is an upper bound',
      );
    });
  }

  const strangers: Array<[string, ScoringSubject]> = [
    [
      'unrelated person',
      subject('GARCIA', ['MARIA'], '1990-01-15', { sex: 'F', nationalities: ['ESP'], documents: ['X1'] }),
    ],
    ['namesake born years apart', subject('SHCHUKIN', ['IURII', 'PETROVICH'], '1962-11-20', otherDoc)],
    ['namesake, same year, other month and day', subject('SHCHUKIN', ['IURII'], '1985-11-20', otherDoc)],
    ['same surname, other given name', subject('SHCHUKIN', ['ANDREI'], '1985-07-03', otherDoc)],
    ['same given name, other surname', subject('IVANOV', ['IURII'], '1985-07-03', otherDoc)],
  ];
  for (const [kind, p] of strangers) {
    it(`a ${kind} scores below the threshold`, () => {
      const s = score(p);
      assert.ok(s < T, `${kind}: ${s}`);
    });
  }

  it('explains the score feature by feature', () => {
    const r = scoreMatch(
      subject('SCHUKIN', ['YURIY'], '1985-03-07', { sex: 'F', nationalities: ['UKR'] }),
      registrant,
      DEFAULT_WEIGHTS,
    );
    const byFeature = Object.fromEntries(r.features.map((f) => [f.feature, f.contribution]));
    assert.ok(byFeature.name! >= 0.3, 'two agreeing tokens of ordinary frequency');
    assert.equal(byFeature.dob_day_month_swapped, DEFAULT_WEIGHTS.dateOfBirth.dayMonthSwapped);
    assert.equal(byFeature.document_exact, DEFAULT_WEIGHTS.document.exact);
    assert.equal(byFeature.nationality_differs, DEFAULT_WEIGHTS.nationalityDiffers);
    assert.equal(byFeature.sex_differs, DEFAULT_WEIGHTS.sexDiffers);
    const sum = r.features.reduce((a, f) => a + f.contribution, 0);
    assert.ok(Math.abs(Math.min(1, sum) - r.score) < 0.002, 'contributions add up to the score');
  });

  it('weights come from config: a stricter threshold or penalty changes the outcome', () => {
    const p = subject('SHCHUKIN', ['IURII', 'PETROVICH'], '1986-07-03', otherDoc);
    assert.ok(scoreMatch(p, registrant, DEFAULT_WEIGHTS).score >= T);
    const strict = resolveWeights({ dateOfBirth: { yearOffByOne: -0.5 } });
    assert.ok(scoreMatch(p, registrant, strict).score < strict.threshold);
    assert.equal(strict.dateOfBirth.dayDiffers, DEFAULT_WEIGHTS.dateOfBirth.dayDiffers, 'unset weights keep defaults');
    assert.ok(Object.isFrozen(strict) && Object.isFrozen(strict.dateOfBirth));
  });

  it('compares dates of birth: exact, partial, swapped, off by one, far', () => {
    const c = (a: string, b: string): string => compareBirthDates(packBirthDate(a), packBirthDate(b));
    assert.equal(c('1985-07-03', '1985-07-03'), 'dob_exact');
    assert.equal(c('1985', '1985-07-03'), 'dob_partial');
    assert.equal(c('1985-07', '1985-07-03'), 'dob_partial');
    assert.equal(c('1985-03-07', '1985-07-03'), 'dob_day_month_swapped');
    assert.equal(c('1985-07-04', '1985-07-03'), 'dob_one_day_off');
    assert.equal(c('1985-07-31', '1985-08-01'), 'dob_one_day_off', 'across a month end');
    assert.equal(c('1985-07-08', '1985-07-03'), 'dob_one_digit');
    assert.equal(c('1985-01-03', '1985-07-03'), 'dob_one_digit');
    assert.equal(c('1975-07-03', '1985-07-03'), 'dob_one_digit', 'a decade typed wrongly');
    assert.equal(c('1985-07-25', '1985-07-03'), 'dob_day_differs');
    assert.equal(c('1985-11-20', '1985-07-03'), 'dob_month_and_day_differ');
    assert.equal(c('1984-07-03', '1985-07-03'), 'dob_year_off_by_one');
    assert.equal(c('1984-11-20', '1985-07-03'), 'dob_year_off_by_one_day_differs');
    assert.equal(c('1972-07-03', '1985-07-03'), 'dob_year_differs');
    assert.equal(compareBirthDates(0, packBirthDate('1985')), 'dob_missing');
  });

  it('weighs an unknown passport by its expiry against the newest the registry knows', () => {
    // The registry knows a Russian passport expiring 2031-05-01; the passenger carries another number.
    const known = { ...registrant, newestDocument: { expiresOn: packExpiry('2031-05-01'), issuingState: 'RUS' } };
    const passenger = (expiresOn: string | null, issuingState: string | null = 'RUS'): ScoringSubject =>
      subject('SHCHUKIN', ['IURII', 'PETROVICH'], '1985-07-03', {
        documents: ['990000001'],
        documentExpiries: expiresOn ? [{ expiresOn: packExpiry(expiresOn), issuingState }] : [],
      });
    const docFeature = (p: ScoringSubject, r: ScoringSubject = known) =>
      scoreMatch(p, r, DEFAULT_WEIGHTS).features.find((f) => f.feature.startsWith('document'));
    const W = DEFAULT_WEIGHTS.document;
    assert.deepEqual(docFeature(passenger('2029-02-10')), {
      feature: 'document_expires_before_known',
      contribution: W.expiresBeforeKnown,
    });
    assert.deepEqual(docFeature(passenger('2035-09-30')), {
      feature: 'document_expires_after_known',
      contribution: W.expiresAfterKnown,
    });
    // Nothing to compare: no expiry on the manifest, another issuer (a dual citizen's other passport),
    // the same expiry date, or a registry that never recorded an expiry.
    for (const p of [passenger(null), passenger('2029-02-10', 'DEU'), passenger('2029-02-10', null)])
      assert.equal(docFeature(p)?.feature, 'document_differs');
    assert.equal(docFeature(passenger('2031-05-01'))?.feature, 'document_differs');
    assert.equal(docFeature(passenger('2029-02-10'), registrant)?.feature, 'document_differs');
    // A known number wins over any expiry: the passport the registry has seen is him.
    const own = { ...passenger('2029-02-10'), documents: ['721234567'] };
    assert.equal(docFeature(own)?.feature, 'document_exact');
    // An earlier-expiring unknown passport costs more than a plain difference, a later one less.
    const s = (p: ScoringSubject): number =>
      scoreMatch(p, known, DEFAULT_WEIGHTS).features.reduce((a, f) => a + f.contribution, 0);
    assert.ok(s(passenger('2029-02-10')) < s(passenger(null)));
    assert.ok(s(passenger(null)) < s(passenger('2035-09-30')));
    assert.equal(packExpiry('2031-5-1'), 0);
    assert.ok(packExpiry('2031-05-01') < packExpiry('2031-05-02'));
  });

  it('recognises one edit between document numbers', () => {
    assert.ok(oneEditApart('721234567', '721234568'));
    assert.ok(oneEditApart('721234567', '72123456'));
    assert.ok(oneEditApart('721234567', '7212345678'));
    assert.ok(oneEditApart('721234567', '712234567'));
    assert.ok(!oneEditApart('721234567', '721234567'));
    assert.ok(!oneEditApart('721234567', '127234567'));
  });
});
