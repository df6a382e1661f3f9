import assert from 'node:assert/strict';
import { ERROR_CODES, isTnxError } from '../../src/core/errors.js';
import { validateRegistrant } from '../../src/domain/registry/registrant.js';
import { sealRegistrant } from '../../src/domain/registry/sealed-registrant.js';
import { cyrillicRegistrant, freshKeys, personalStrings } from './fixtures.js';

function refused(value: unknown, pointer: string): void {
  assert.throws(
    () => validateRegistrant(value),
    (err: unknown) => {
      assert.ok(isTnxError(err, 'invalid_registrant'), `expected invalid_registrant, got ${String(err)}`);
      assert.equal(err.pointer, pointer);
      assert.equal(err.status, 422);
      for (const v of personalStrings(cyrillicRegistrant()))
        assert.ok(!err.message.includes(v), 'error echoes a personal value');
      return true;
    },
  );
}

describe('registry: registrant validation', () => {
  it('registers invalid_registrant as a 422 code', () => {
    assert.equal(ERROR_CODES.invalid_registrant.status, 422);
  });

  it('accepts a complete registrant', () => {
    const r = cyrillicRegistrant();
    assert.equal(validateRegistrant(r), r);
  });

  it('refuses a record without a periodic review date (CJEU C-118/22), and stores nothing', () => {
    const { reviewDue: _dropped, ...noReview } = cyrillicRegistrant();
    refused(noReview, '/reviewDue');
    refused({ ...cyrillicRegistrant(), reviewDue: null }, '/reviewDue');
    assert.throws(
      () => sealRegistrant(noReview, freshKeys(), Date.now()),
      (e: unknown) => isTnxError(e, 'invalid_registrant'),
    );
  });

  it('refuses incoherent registry dates', () => {
    refused({ ...cyrillicRegistrant(), registrationEnd: '2015-12-31' }, '/registrationEnd');
    refused({ ...cyrillicRegistrant(), reviewDue: '2010-01-01' }, '/reviewDue');
    refused({ ...cyrillicRegistrant(), status: 'ended', registrationEnd: null }, '/registrationEnd');
    refused({ ...cyrillicRegistrant(), status: 'deceased' }, '/status');
  });

  it('refuses bad personal fields by pointer, without echoing them', () => {
    const r = cyrillicRegistrant();
    refused({ ...r, person: { ...r.person, dateOfBirth: '1979-02-30' } }, '/person/dateOfBirth');
    refused({ ...r, person: { ...r.person, name: { family: 'Петров', given: [] } } }, '/person/name/family');
    refused(
      {
        ...r,
        person: { ...r.person, travelDocuments: [{ number: 'K48 213-377', type: 'passport', issuingState: 'USA' }] },
      },
      '/person/travelDocuments/0/number',
    );
    refused({ ...r, convictions: [] }, '/convictions');
    refused(
      { ...r, convictions: [{ ...r.convictions[0]!, registrationEndsOn: '2010-01-01' }] },
      '/convictions/0/registrationEndsOn',
    );
    refused({ ...r, notes: [{ text: 'x', author: 'staff 17', at: '2026-10-02T09:30:00Z' }] }, '/notes/0/author');
    refused({ ...r, favouriteColour: 'blue' }, ''); // named by its object: the name is input
  });
});
