import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { isTnxError, type TnxError } from '../../src/core/errors.js';
import { parsePaxlst } from '../../src/domain/screening/paxlst/parse.js';
import { FLIGHT, paxlst, person } from './paxlst-builder.js';

const EXAMPLE = new URL('../../protocol/examples/manifests/paxlst-ba0178.edi', import.meta.url);

function refused(text: string, tag: string, reason: RegExp): TnxError {
  try {
    parsePaxlst(text);
  } catch (err) {
    assert.ok(isTnxError(err, 'malformed_manifest'), `expected malformed_manifest, got ${String(err)}`);
    assert.equal(err.status, 400);
    assert.equal(err.detail?.segment, tag, err.message);
    assert.match(err.message, reason);
    assert.equal(typeof err.detail?.position, 'number');
    return err;
  }
  assert.fail('manifest was accepted');
}

describe('screening: PAXLST parser', () => {
  describe('valid manifests', () => {
    it('reads the example: flight, passengers, crew, several documents, release-escaped name', () => {
      const m = parsePaxlst(readFileSync(EXAMPLE, 'utf8'));
      assert.deepEqual(m.flight, {
        carrier: 'BA',
        flightNumber: 'BA0178',
        departureAirport: 'LHR',
        arrivalAirport: 'JFK',
        scheduledDeparture: '2026-12-01T11:30',
        scheduledArrival: '2026-12-01T14:25',
      });
      assert.equal(m.passengers.length, 4);
      const [obrien, anna, shchukin, crew] = m.passengers;
      assert.equal(obrien!.familyName, "O'BRIEN");
      assert.deepEqual(obrien!.givenNames, ['SEAN', 'PATRICK']);
      assert.equal(obrien!.dateOfBirth, '1976-03-14');
      assert.equal(obrien!.bookingRef, 'QX7P2L');
      assert.equal(obrien!.embarkation, 'LHR');
      assert.equal(obrien!.debarkation, 'JFK');
      assert.deepEqual(obrien!.documents, [
        { type: 'passport', number: 'PB1234567', issuingState: 'IRL', expiresOn: '2030-01-17' },
        { type: 'visa', number: 'VX99887766', issuingState: 'USA', expiresOn: '2028-06-30' },
      ]);
      assert.equal(anna!.dateOfBirth, '2001-09', 'day 00 means unknown day');
      assert.equal(anna!.sex, 'F');
      assert.equal(shchukin!.dateOfBirth, '1985-07-07', 'format 102 CCYYMMDD');
      assert.equal(shchukin!.documents[0]!.expiresOn, null);
      assert.equal(crew!.role, 'crew');
      assert.equal(crew!.dateOfBirth, '1980-02-29');
    });

    it('uses default service characters without UNA, and honours a custom UNA', () => {
      const body = [...FLIGHT, ...person('DOE:JOHN', ['ATT+2++M', 'DTM+329:700101']), 'CNT+42:1'];
      const plain = parsePaxlst(paxlst(body, { una: null }));
      assert.equal(plain.passengers[0]!.familyName, 'DOE');
      // Custom UNA: component '|', element '*', release '!', terminator '~'; '+' and ':' become data.
      const custom = paxlst(body, { una: null })
        .replace(/\+/g, '*')
        .replace(/:/g, '|')
        .replace(/'/g, '~')
        .replace('DOE|JOHN', 'D!~OE+|JO!*HN:');
      const m = parsePaxlst('UNA|*.! ~\n' + custom);
      assert.equal(m.passengers[0]!.familyName, 'D~OE+');
      assert.deepEqual(m.passengers[0]!.givenNames, ['JO*HN:']);
      assert.equal(m.passengers[0]!.dateOfBirth, '1970-01-01');
    });

    it('accepts segments on one line (no line breaks)', () => {
      const body = [...FLIGHT, ...person("O?'NEIL:MARY?:ANN"), 'CNT+42:1'];
      const m = parsePaxlst(paxlst(body, { newline: false }));
      assert.equal(m.passengers[0]!.familyName, "O'NEIL");
      assert.deepEqual(m.passengers[0]!.givenNames, ['MARY:ANN']);
    });

    it('works without UNG/UNE, and with missing optional segments', () => {
      const body = ['BGM+745', 'TDT+20+UA0901', 'LOC+125+SFO', 'LOC+87+NRT', ...person('TANAKA'), 'CNT+42:1'];
      const m = parsePaxlst(paxlst(body, { groups: false }));
      assert.equal(m.flight.carrier, 'UA', 'carrier falls back to the flight number prefix');
      assert.equal(m.flight.scheduledDeparture, null);
      const p = m.passengers[0]!;
      assert.deepEqual(p.givenNames, []);
      assert.equal(p.sex, 'U');
      assert.equal(p.dateOfBirth, null);
      assert.equal(p.nationality, null);
      assert.deepEqual(p.documents, []);
    });

    it('dates two-digit birth years by the flight date: no birth after departure', () => {
      const body = [
        ...FLIGHT,
        ...person('A:B', ['DTM+329:261130']),
        ...person('C:D', ['DTM+329:261202']),
        ...person('E:F', ['DTM+329:000000']),
        'CNT+42:3',
      ];
      const m = parsePaxlst(paxlst(body));
      assert.equal(m.passengers[0]!.dateOfBirth, '2026-11-30');
      assert.equal(m.passengers[1]!.dateOfBirth, '1926-12-02', 'a day after departure is a century earlier');
      assert.equal(m.passengers[2]!.dateOfBirth, '2000', 'month and day 00: year only');
    });
  });

  describe('interchanges and lists', () => {
    const msg = (ref: string, people: string[], count: number): string[] => {
      const body = ['BGM+745', ...FLIGHT.slice(1), ...people, `CNT+42:${count}`];
      return [`UNH+${ref}+PAXLST:D:02B:UN:IATA+F1+01:C`, ...body, `UNT+${body.length + 2}+${ref}`];
    };
    const interchange = (messages: string[][], unz = messages.length): string =>
      ['UNB+UNOA:4+S:ZZ+R:ZZ+261201:0815+IC7', ...messages.flat(), `UNZ+${unz}+IC7`].map((x) => x + "'").join('\n');

    it('joins the people of a flight split over several messages', () => {
      const m = parsePaxlst(
        interchange([msg('A1', person('ONE:A'), 1), msg('A2', [...person('TWO:B'), ...person('THREE:C')], 2)]),
      );
      assert.deepEqual(
        m.passengers.map((p) => p.familyName),
        ['ONE', 'TWO', 'THREE'],
      );
      refused(interchange([msg('A1', person('ONE:A'), 1), msg('A2', person('TWO:B'), 1)], 1), 'UNZ', /message count/);
      const other = msg('A2', person('TWO:B'), 1).map((x) => x.replace('LH0400', 'LH0402'));
      refused(interchange([msg('A1', person('ONE:A'), 1), other]), 'TDT', /different flights/);
    });

    it('reads a crew list (BGM+250, CNT+41) and checks a crew count sent in a passenger list', () => {
      const crew = parsePaxlst(paxlst(['BGM+250', ...FLIGHT.slice(1), ...person('PILOT:ANNA', [], 'FM'), 'CNT+41:1']));
      assert.equal(crew.passengers[0]!.role, 'crew');
      refused(
        paxlst([...FLIGHT, ...person('A:B'), ...person('C:D', [], 'FM'), 'CNT+42:1', 'CNT+41:2']),
        'CNT',
        /crew count/,
      );
    });

    it('refuses document details outside a document group', () => {
      refused(paxlst([...FLIGHT, ...person('A:B', ['LOC+91+DEU']), 'CNT+42:1']), 'LOC', /issuing state outside/);
      refused(paxlst([...FLIGHT, ...person('A:B', ['DTM+36:300101']), 'CNT+42:1']), 'DTM', /expiry date outside/);
      refused(paxlst([...FLIGHT, 'ATT+2++M', ...person('A:B'), 'CNT+42:1']), 'ATT', /outside a person/);
      refused(paxlst([...FLIGHT, ...person('A:B'), 'CNT+42:1', 'NAT+2+DEU']), 'NAT', /after CNT/);
    });
  });

  describe('malformed manifests', () => {
    const ok = [...FLIGHT, ...person('DOE:JOHN', ['DTM+329:700101', 'DOC+P+X1234567', 'DTM+36:300101']), 'CNT+42:1'];

    it('refuses a wrong UNT segment count and a wrong UNT reference', () => {
      refused(paxlst(ok, { untCount: 3 }), 'UNT', /segment count/);
      refused(paxlst(ok, { untRef: 'M2' }), 'UNT', /control reference/);
    });

    it('refuses wrong UNE and UNZ counts and references', () => {
      refused(paxlst(ok, { uneCount: 2 }), 'UNE', /message count/);
      refused(paxlst(ok, { unzCount: 2 }), 'UNZ', /group count/);
      refused(paxlst(ok, { unzRef: 'IC9' }), 'UNZ', /control reference/);
      refused(paxlst(ok, { groups: false, unzCount: 0 }), 'UNZ', /message count/);
      refused(paxlst(ok).replace('UNE+1+G1', 'UNE+1+G2'), 'UNE', /control reference/);
    });

    it('refuses a CNT+42 that does not match the passengers', () => {
      const e = refused(paxlst([...ok.slice(0, -1), 'CNT+42:2']), 'CNT', /passenger count/);
      assert.equal(e.detail?.element, 1);
    });

    it('refuses an unterminated segment and a dangling release character', () => {
      const text = paxlst(ok).trimEnd();
      refused(text.slice(0, -1), 'UNZ', /not terminated/);
      refused(paxlst(ok).trimEnd() + '?', '?', /release character/);
      // An escaped terminator joins two segments, so the UNT count no longer adds up.
      refused(paxlst(ok).replace("DOE:JOHN'", "DOE:JOHN?'"), 'UNT', /segment count/);
    });

    it('refuses missing mandatory segments', () => {
      refused(paxlst(ok.filter((s) => s !== 'BGM+745')), 'TDT', /BGM/);
      refused(paxlst(ok.filter((s) => !s.startsWith('TDT'))), 'LOC', /before TDT/);
      refused(paxlst(ok.filter((s) => s !== 'LOC+87+JFK' && !s.startsWith('DTM+232'))), 'UNT', /LOC\+87/);
      refused(paxlst(ok.filter((s) => !s.startsWith('CNT'))), 'UNT', /CNT\+42/);
      refused(paxlst(ok).replace(/UNZ[^']*'\n?/, ''), 'UNZ', /missing mandatory segment UNZ/);
      refused(paxlst(['BGM+745', ...person('DOE'), 'CNT+42:1']), 'NAD', /before TDT/);
    });

    it('refuses bad values, naming segment and element but not the value', () => {
      const e = refused(paxlst(ok.map((s) => (s === 'DTM+329:700101' ? 'DTM+329:701399' : s))), 'DTM', /date of birth/);
      assert.equal(e.detail?.element, 1);
      assert.doesNotMatch(e.message, /701399|DOE|JOHN/);
      assert.doesNotMatch(JSON.stringify(e.detail), /701399|DOE|JOHN/);
      refused(paxlst(ok.map((s) => (s.startsWith('DOC') ? 'DOC+P+' : s))), 'DOC', /document number/);
      refused(paxlst(ok.map((s) => (s.startsWith('DOC') ? 'DOC+Q+123' : s))), 'DOC', /type code/);
      refused(paxlst([...ok.slice(0, 6), 'NAD+FL+++:JOHN', 'CNT+42:1']), 'NAD', /family name/);
      refused(paxlst([...ok.slice(0, -1), 'ATT+2++Z', 'CNT+42:1'].filter(Boolean)), 'ATT', /sex code/);
      refused(paxlst([...ok.slice(0, -1), 'NAT+2+DE', 'CNT+42:1']), 'NAT', /three-letter/);
      refused(paxlst(ok.map((s) => (s.startsWith('DTM+189') ? 'DTM+189:2613011030:201' : s))), 'DTM', /date\/time/);
      refused(paxlst([...ok.slice(0, -1), 'XYZ+1', 'CNT+42:1']), 'XYZ', /not allowed/);
    });

    it('refuses garbage', () => {
      refused('hello world', '???', /not terminated/);
      refused('{"flight":{}}', '???', /not terminated/);
      refused("UNB+UNOA:4+X+Y+261201:0815+1'UNZ+0+1'", 'UNZ', /message count|no message/);
      refused("ab'cd'", '???', /three upper-case/);
      assert.throws(
        () => parsePaxlst(''),
        (e: unknown) => isTnxError(e, 'malformed_manifest'),
      );
      assert.throws(
        () => parsePaxlst(42),
        (e: unknown) => isTnxError(e, 'malformed_manifest'),
      );
    });
  });
});
