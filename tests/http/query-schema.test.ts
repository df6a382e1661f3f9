/** The one query parser: allow-list, one value per name, typed values, refusals that never echo a value. */
import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import { CURSOR, readQuery } from '../../src/features/query-schema.js';

const schema = {
  partner: { type: 'string', pattern: /^[A-Z]{3}$/, what: 'a state code' },
  name: { type: 'string', maxLength: 5 },
  state: { type: 'enum', values: ['queued', 'delivered'], list: true },
  from: { type: 'date-or-instant' },
  day: { type: 'date-or-instant' },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  cursor: { type: 'string', pattern: CURSOR, what: 'a cursor' },
} as const;

function refusedAt(pointer: string, secret?: string) {
  return (e: unknown) =>
    isTnxError(e, 'invalid_request') && e.pointer === pointer && (secret === undefined || !e.message.includes(secret));
}

describe('http: query schema (the one query parser)', () => {
  it('types what it allows and fills defaults', () => {
    const q = readQuery(schema, {
      partner: 'THA',
      state: 'queued,delivered',
      from: '2026-01-02T03:04:05Z',
      day: '2026-01-02',
    });
    assert.deepEqual(
      { ...q },
      {
        partner: 'THA',
        state: ['queued', 'delivered'],
        from: Date.parse('2026-01-02T03:04:05Z'),
        day: Date.parse('2026-01-02T00:00:00Z'),
        limit: 50,
      },
    );
    // Every date filter takes a date or an instant alike; epoch milliseconds are not a date.
    assert.equal(readQuery(schema, { from: '2026-01-02' }).from, Date.parse('2026-01-02T00:00:00Z'));
    assert.equal(readQuery(schema, { day: '2026-01-02T05:00:00+02:00' }).day, Date.parse('2026-01-02T03:00:00Z'));
    assert.throws(() => readQuery(schema, { from: '1700000000000' }), refusedAt('query/from'));
    assert.throws(() => readQuery(schema, { from: '2026-02-30' }), refusedAt('query/from'));
    assert.throws(() => readQuery(schema, { from: '2026-01-02T03:04:05' }), refusedAt('query/from'), 'no offset');
    assert.deepEqual({ ...readQuery({}, undefined) }, {});
  });

  it('refuses an unknown parameter with the fixed pointer `query`, listing the allowed ones, never its name', () => {
    assert.throws(
      () => readQuery(schema, { partnr: 'K48213377' }),
      (e: unknown) =>
        refusedAt('query', 'K48213377')(e) &&
        isTnxError(e) &&
        Array.isArray(e.detail?.allowed) &&
        !e.message.includes('partnr'),
    );
    assert.throws(() => readQuery({}, { '<img src=x>': 'x' }), refusedAt('query', '<img'));
    assert.throws(() => readQuery({}, { purpose: 'x' }), refusedAt('query'));
  });

  it('refuses repeated parameters and bad values without echoing them', () => {
    assert.throws(() => readQuery(schema, { partner: ['THA', 'GBR'] }), refusedAt('query/partner'));
    assert.throws(() => readQuery(schema, { partner: 'tha' }), refusedAt('query/partner', 'tha'));
    assert.throws(() => readQuery(schema, { name: 'Petrova' }), refusedAt('query/name', 'Petrova'));
    assert.throws(() => readQuery(schema, { state: 'queued,lost' }), refusedAt('query/state', 'lost,'));
    assert.throws(() => readQuery(schema, { from: 'yesterday' }), refusedAt('query/from', 'yesterday'));
    assert.throws(() => readQuery(schema, { day: '2026-13-45' }), refusedAt('query/day'));
    for (const limit of ['0', '501', 'abc', '1.5'])
      assert.throws(() => readQuery(schema, { limit }), refusedAt('query/limit'));
  });

  it('refuses a missing required parameter with what it expects', () => {
    const range = { from: { type: 'date-or-instant', required: true } } as const;
    assert.throws(() => readQuery(range, {}), refusedAt('query/from'));
    assert.throws(() => readQuery({ who: { type: 'string', required: true } } as const, {}), refusedAt('query/who'));
  });
});
