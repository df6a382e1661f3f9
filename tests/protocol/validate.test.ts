import assert from 'node:assert/strict';
import { isTnxError, type ErrorCode } from '../../src/core/errors.js';
import { daysOfNotice, instantOf, isRealPartialDate } from '../../src/domain/protocol/semantic-checks.js';
import {
  validateClaims,
  validateMessage,
  validateMessageClaims,
  validateReceipt,
  validateReceiptClaims,
} from '../../src/domain/protocol/validate.js';
import { example, loadExamples } from './examples.js';

type Mutator = (m: any) => void;  

function refused(fn: () => unknown, code: ErrorCode, pointer?: string): Error {
  try {
    fn();
  } catch (err) {
    assert.ok(isTnxError(err), `expected TnxError, got ${String(err)}`);
    assert.equal(err.code, code, `code (message: ${err.message})`);
    if (pointer !== undefined) assert.equal(err.pointer, pointer, `pointer (message: ${err.message})`);
    return err;
  }
  assert.fail(`expected ${code}${pointer ? ' at ' + pointer : ''}`);
}

function variant(name: string, mutate: Mutator): Record<string, unknown> {
  const m = example(name);
  mutate(m);
  return m;
}

describe('protocol: message validation', () => {
  it('accepts every example in protocol/examples/ (one per message type at least)', () => {
    const examples = loadExamples();
    const types = new Set<unknown>();
    for (const ex of examples) {
      types.add(ex.json.type);
      if (ex.json.type === 'Receipt') validateReceipt(ex.json);
      else assert.deepEqual(validateMessage(ex.json), ex.json, ex.name);
    }
    assert.deepEqual([...types].sort(), ['FollowUpReport', 'Receipt', 'TravelNotification', 'TravelUpdate']);
  });

  it('dispatches on v and type: unsupported_version, unsupported_message_type, invalid_message', () => {
    refused(() => validateMessage(variant('follow-up-report', (m) => (m.v = '2'))), 'unsupported_version', '/v');
    refused(() => validateMessage(variant('follow-up-report', (m) => delete m.v)), 'invalid_message', '/v');
    refused(() => validateMessage(variant('follow-up-report', (m) => (m.v = 1))), 'invalid_message', '/v');
    refused(() => validateMessage(variant('follow-up-report', (m) => (m.type = 'Gossip'))), 'unsupported_message_type', '/type');
    // A receipt is never posted to an inbox.
    refused(() => validateMessage(example('receipt')), 'unsupported_message_type', '/type');
    refused(() => validateMessage(variant('follow-up-report', (m) => delete m.type)), 'invalid_message', '/type');
    refused(() => validateMessage([1]), 'invalid_message', '');
    refused(() => validateMessage(null), 'invalid_message', '');
    // "constructor" is not an own key of the registry, whatever Object.prototype has.
    refused(() => validateMessage(variant('follow-up-report', (m) => (m.type = 'constructor'))), 'unsupported_message_type');
  });

  it('refuses schema violations with the pointer of the offending field and without echoing values', () => {
    const cases: [string, Mutator, string][] = [
      ['travel-notification', (m) => delete m.person.dateOfBirth, '/person/dateOfBirth'],
      ['travel-notification', (m) => (m.person.dateOfBirth = '03/1971'), '/person/dateOfBirth'],
      ['travel-notification', (m) => (m.person.nickname = 'Ole'), '/person'], // the object holding the unknown name
      ['travel-notification', (m) => (m.origin = 'US'), '/origin'],
      ['travel-notification', (m) => (m.destination = 'tha'), '/destination'],
      ['travel-notification', (m) => (m.notificationId = '6F1C2A0E-4B7D-4C61-9A53-0D2E8F7B91A4'), '/notificationId'],
      ['travel-notification', (m) => (m.travel.legs[1].departureAirport = 'ISTA'), '/travel/legs/1/departureAirport'],
      // A date-time without an offset is ambiguous across time zones: refused.
      ['travel-notification', (m) => (m.travel.legs[0].scheduledArrival = '2026-12-11T16:45:00'), '/travel/legs/0/scheduledArrival'],
      ['travel-notification', (m) => (m.convictions[0].convictedOn = '2014-02-30'), '/convictions/0/convictedOn'],
      ['travel-notification', (m) => (m.convictions[0].victimMinor = 'yes'), '/convictions/0/victimMinor'],
      ['travel-notification', (m) => (m.convictions = []), '/convictions'],
      ['travel-notification', (m) => (m.handling.caveats = ['no_onward_transfer']), '/handling/caveats'],
      ['travel-notification', (m) => (m.pointOfContact.email = 'not-an-email'), '/pointOfContact/email'],
      ['travel-notification', (m) => (m.person.name.family = 'Кузнецов'), '/person/name/family'],
      ['travel-notification', (m) => (m.travel.destinationCountries = ['THA', 'THA']), '/travel/destinationCountries'],
      ['travel-notification', (m) => (m.ext = { caseReference: 'x' }), '/ext'], // names under /ext are the sender's: never echoed,
      ['travel-notification', (m) => (m.ext = { USA_caseReference: 42 }), '/ext'],
      ['travel-notification', (m) => (m.report.daysOfNotice = 2.5), '/report/daysOfNotice'],
      ['travel-update-amend', (m) => (m.changed = ['person.name']), '/changed/0'],
      ['follow-up-report', (m) => (m.action = 'arrested'), '/action'],
      ['follow-up-report', (m) => (m.actionAt = '2026-12-13 10:22:00+07:00'), '/actionAt'],
    ];
    for (const [name, mutate, pointer] of cases) {
      const msg = variant(name, mutate);
      const err = refused(() => validateMessage(msg), 'invalid_message', pointer);
      assert.ok(err.message.includes(pointer), `message names the field: ${err.message}`);
      for (const secret of ['Kuznetsov', 'Кузнецов', '1971', 'Ole', 'not-an-email', 'ISTA', 'arrested', '42']) {
        assert.ok(!err.message.includes(secret), `message must not echo "${secret}": ${err.message}`);
      }
    }
  });

  it('tolerates unknown data only under ext, with STATE_name keys', () => {
    const m = variant('follow-up-report', (x) => (x.ext = { THA_immigrationCase: 'IMM-7781', DEU_x: '' }));
    assert.deepEqual(validateMessage(m).ext, { THA_immigrationCase: 'IMM-7781', DEU_x: '' });
  });

  it('enforces the semantic rules beyond JSON Schema', () => {
    const cases: [string, Mutator, string][] = [
      ['travel-notification', (m) => (m.travel.departureAt = '2026-12-11T04:05:00Z'), '/travel/departureAt'], // same instant, other spelling
      ['travel-notification', (m) => (m.travel.legs[1].sequence = 3), '/travel/legs/1/sequence'],
      ['travel-notification', (m) => m.travel.legs.reverse(), '/travel/departureAt'],
      ['travel-notification', (m) => (m.travel.legs[0].scheduledArrival = '2026-12-11T06:00:00+03:00'), '/travel/legs/0/scheduledArrival'],
      ['travel-notification', (m) => (m.travel.legs[1].scheduledDeparture = '2026-12-11T15:00:00+03:00'), '/travel/legs/1/scheduledDeparture'],
      ['travel-notification', (m) => (m.travel.destinationCountries = ['TUR']), '/travel/destinationCountries'],
      ['travel-notification', (m) => (m.destination = 'USA'), '/destination'],
      ['travel-notification', (m) => (m.person.dateOfBirth = '1971-02-29'), '/person/dateOfBirth'],
      ['travel-notification', (m) => (m.report.daysOfNotice = 25), '/report/daysOfNotice'],
      ['travel-notification', (m) => (m.travel.returnDate = '2026-12-01'), '/travel/returnDate'],
      ['travel-notification', (m) => (m.travel.accommodation[0].to = '2026-12-01'), '/travel/accommodation/0/to'],
      ['travel-notification', (m) => (m.convictions[0].registrationEndsOn = '2010-01-01'), '/convictions/0/registrationEndsOn'],
      ['travel-update-amend', (m) => delete m.travel, '/travel'],
      ['travel-update-amend', (m) => delete m.changed, '/changed'],
      ['travel-update-amend', (m) => (m.travel.destinationCountries = ['TUR']), '/travel/destinationCountries'],
      ['travel-update-cancel', (m) => (m.travel = example('travel-notification').travel), '/travel'],
      ['travel-update-cancel', (m) => (m.changed = ['travel.legs']), '/changed'],
      ['follow-up-report', (m) => (m.destination = 'THA'), '/destination'],
    ];
    for (const [name, mutate, pointer] of cases) {
      refused(() => validateMessage(variant(name, mutate)), 'invalid_message', pointer);
    }
    // A leap-year DOB and a year-only DOB are fine.
    validateMessage(variant('travel-notification', (m) => (m.person.dateOfBirth = '1972-02-29')));
    validateMessage(variant('travel-notification', (m) => (m.person.dateOfBirth = '1971')));
  });

  it('computes instants and days of notice across offsets', () => {
    assert.equal(instantOf('2026-12-10T23:05:00-05:00'), Date.parse('2026-12-11T04:05:00Z'));
    assert.equal(instantOf('2026-12-02T22:15:00.250Z'), Date.parse('2026-12-02T22:15:00.250Z'));
    assert.equal(daysOfNotice('2026-11-16T14:20:00-05:00', '2026-12-10T23:05:00-05:00'), 24);
    assert.equal(daysOfNotice('2026-12-02T16:05:00Z', '2026-12-02T21:40:00Z'), 0);
    assert.equal(daysOfNotice('2026-12-03T00:00:00Z', '2026-12-02T21:40:00Z'), -1);
    assert.ok(isRealPartialDate('2024-02-29'));
    assert.ok(!isRealPartialDate('2026-02-29'));
    assert.ok(!isRealPartialDate('2026-04-31'));
    assert.ok(!isRealPartialDate('2026-13'));
  });

  it('validates receipts: digest shape, UTC milliseconds, no extra fields', () => {
    refused(() => validateReceipt(variant('receipt', (m) => (m.receivedAt = '2026-11-16T19:20:03Z'))), 'invalid_message', '/receivedAt');
    refused(() => validateReceipt(variant('receipt', (m) => (m.receivedAt = '2026-11-16T20:20:03.417+01:00'))), 'invalid_message', '/receivedAt');
    refused(() => validateReceipt(variant('receipt', (m) => (m.digest = m.digest + '='))), 'invalid_message', '/digest');
    refused(() => validateReceipt(variant('receipt', (m) => (m.digest = m.digest.slice(0, 42) + 'V'))), 'invalid_message', '/digest');
    refused(() => validateReceipt(variant('receipt', (m) => (m.ext = {}))), 'invalid_message', ''); // receipts have no /ext: the root holds it
    refused(() => validateReceipt(variant('receipt', (m) => (m.v = '0'))), 'unsupported_version', '/v');
  });

  it('validates claims and binds origin/destination to iss/aud', () => {
    const tnx = example('follow-up-report');
    const claims = { iss: 'THA', aud: 'USA', jti: '2a7c1e33-9b0d-4f6e-8a21-c3d4e5f60718', iat: 1_796_000_000, tnx };
    assert.deepEqual(validateMessageClaims(structuredClone(claims)), claims);
    assert.deepEqual(validateClaims(structuredClone(claims)), claims);
    refused(() => validateClaims({ ...claims, exp: 1 }), 'invalid_claims', '');
    refused(() => validateClaims({ ...claims, aud: ['USA'] }), 'invalid_claims', '/aud');
    refused(() => validateClaims({ ...claims, iat: 1.5 }), 'invalid_claims', '/iat');
    refused(() => validateClaims({ ...claims, jti: 'msg-1' }), 'invalid_claims', '/jti');
    refused(() => validateClaims({ ...claims, tnx: 'x' }), 'invalid_claims', '/tnx');
    refused(() => validateClaims({ ...claims, aud: 'THA' }), 'invalid_claims', '/aud');
    refused(() => validateClaims('{}'), 'invalid_claims', '');
    // A partner may sign only as itself and only to the audience the message names.
    refused(() => validateMessageClaims({ ...claims, iss: 'DEU' }), 'invalid_claims', '/tnx/origin');
    refused(() => validateMessageClaims({ ...claims, aud: 'DEU' }), 'invalid_claims', '/tnx/destination');
    // The message inside is validated too; its pointer is relative to the message.
    refused(() => validateMessageClaims({ ...claims, tnx: { ...tnx, action: 'x' } }), 'invalid_message', '/action');
    const receiptClaims = { iss: 'USA', aud: 'THA', jti: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', iat: 1_796_000_000, tnx: example('receipt') };
    assert.deepEqual(validateReceiptClaims(receiptClaims).tnx, example('receipt'));
  });
});
