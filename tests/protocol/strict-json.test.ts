import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import { FORBIDDEN_NAMES } from '../../src/domain/protocol/forbidden-names.js';
import { parseStrictJson } from '../../src/domain/protocol/strict-json.js';

function refusal(text: string, code: string, maxDepth?: number): Record<string, unknown> | undefined {
  try {
    parseStrictJson(text, maxDepth === undefined ? {} : { maxDepth });
  } catch (err) {
    assert.ok(isTnxError(err), `expected a TnxError, got ${String(err)}`);
    assert.equal(err.code, code, `for ${JSON.stringify(text).slice(0, 60)}`);
    return err.detail;
  }
  assert.fail(`expected ${code} for ${text.slice(0, 60)}`);
}

describe('protocol: parseStrictJson', () => {
  it('parses what JSON.parse parses, identically', () => {
    const samples = [
      '{"a":1,"b":[true,false,null,"x"],"c":{"d":-1.5e3,"e":"\\u00e9\\n\\"\\\\\\/"}}',
      ' [ ] ',
      '"Алексей"',
      '0',
      '{"nested":{"deeper":[[[1]]]}}',
      '"\\ud83d\\ude00"',
    ];
    for (const s of samples) assert.deepEqual(parseStrictJson(s), JSON.parse(s));
  });

  it('refuses duplicate keys at any depth (JSON.parse would keep the last one)', () => {
    const d = refusal('{"a":{"jti":"1","jti":"2"}}', 'duplicate_property');
    assert.equal(d?.position, 16);
    refusal('{"iss":"USA","iss":"DEU"}', 'duplicate_property');
    // Same name in two different objects is fine.
    assert.deepEqual(parseStrictJson('[{"a":1},{"a":2}]'), [{ a: 1 }, { a: 2 }]);
  });

  it('refuses __proto__, constructor, prototype and every Object.prototype member name as a key', () => {
    for (const name of FORBIDDEN_NAMES) refusal(`{"ok":1,"${name}":{"polluted":true}}`, 'forbidden_property_name');
    refusal('{"a":[{"__proto__":{"isAdmin":true}}]}', 'forbidden_property_name');
    // An escaped spelling is the same name once decoded.
    refusal('{"\\u005f_proto__":{}}', 'forbidden_property_name');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    // Such words as values are data, not names.
    assert.deepEqual(parseStrictJson('{"note":"constructor"}'), { note: 'constructor' });
  });

  it('refuses nesting deeper than the limit, counting the top level as 1', () => {
    assert.deepEqual(parseStrictJson('[[[1]]]', { maxDepth: 3 }), [[[1]]]);
    refusal('[[[[1]]]]', 'nesting_too_deep', 3);
    refusal('{"a":{"b":{"c":{}}}}', 'nesting_too_deep', 3);
    // A hostile 100 000-level document fails fast with the typed error, not a stack overflow.
    refusal('['.repeat(100_000) + ']'.repeat(100_000), 'nesting_too_deep');
  });

  it('refuses malformed text with the position of the fault', () => {
    const cases: [string, number][] = [
      ['{"a":1,}', 7],
      ['{"a" 1}', 5],
      ['[1 2]', 3],
      ['{"a":01}', 6],
      ['"unterminated', 13],
      ['"tab\tinside"', 4],
      ['{"a":1} x', 8],
      ['\ufeff{}', 0],
      ['', 0],
      ['nul', 0],
      ['"\\x41"', 1],
      ['"\\u12G4"', 1],
      ["{'a':1}", 1],
      ['NaN', 0],
    ];
    for (const [text, position] of cases) {
      const d = refusal(text, 'malformed_json');
      assert.equal(d?.position, position, `position for ${JSON.stringify(text)}`);
    }
  });
});
