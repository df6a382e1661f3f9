/**
 * The MongoDB filters of the registry part (src/adapters/store-mongo/registry-queries.ts), executed by mingo on
 * fixture documents, plus the registry mongoose schemas' indexes.
 */
import assert from 'node:assert/strict';
import { find, update } from 'mingo';
import {
  addSourceFilter,
  addSourceUpdate,
  eraseFilter,
  replaceFilter,
  reportVersionFilter,
  retentionFilter,
  scanFilter,
  searchFilter,
  shredReportsFilter,
} from '../../src/adapters/store-mongo/registry-queries.js';
import { registrantSchema, travelReportSchema } from '../../src/adapters/store-mongo/registry-schemas.js';
import type { Filter } from '../../src/adapters/store-mongo/queries.js';

type Doc = Record<string, unknown>;
const ids = (docs: Doc[], f: Filter) => (find(docs, f as never).all() as Doc[]).map((d) => d._id).sort();

const registrants: Doc[] = [
  {
    _id: 'r1',
    blindIndexes: ['a', 'b', 'c'],
    erasedAt: null,
    registrationEnd: '2019-01-01',
    reviewDue: '2030-01-01',
    reviewFlaggedAt: null,
    updatedAt: 5,
  },
  {
    _id: 'r2',
    blindIndexes: ['a', 'c'],
    erasedAt: null,
    registrationEnd: null,
    reviewDue: '2019-01-01',
    reviewFlaggedAt: null,
    updatedAt: 5,
  },
  {
    _id: 'r3',
    blindIndexes: ['a', 'b'],
    erasedAt: null,
    registrationEnd: null,
    reviewDue: '2019-01-01',
    reviewFlaggedAt: 7,
    updatedAt: 5,
  },
  {
    _id: 'r4',
    blindIndexes: [],
    erasedAt: 9,
    registrationEnd: '2018-01-01',
    reviewDue: '2018-01-01',
    reviewFlaggedAt: null,
    updatedAt: 9,
  },
  {
    _id: 'r5',
    blindIndexes: ['a', 'b', 'c'],
    erasedAt: null,
    registrationEnd: '2031-01-01',
    reviewDue: '2031-01-01',
    reviewFlaggedAt: null,
    updatedAt: 5,
  },
];

describe('registry mongo query builders (executed with mingo)', () => {
  it('search: every term (AND), live records only', () => {
    assert.deepEqual(ids(registrants, searchFilter(['a', 'b'])), ['r1', 'r3', 'r5']);
    assert.deepEqual(ids(registrants, searchFilter(['c', 'b', 'b'])), ['r1', 'r5']);
    assert.deepEqual(ids(registrants, searchFilter(['$where'])), [], 'a value is an operand, never an operator');
  });

  it('retention: ended before the cut-off, or review overdue and not flagged; never erased', () => {
    assert.deepEqual(ids(registrants, retentionFilter({ endBefore: '2020-01-01', reviewBefore: '2020-01-01' })), [
      'r1',
      'r2',
    ]);
  });

  it('replace and scan guards', () => {
    assert.deepEqual(ids(registrants, replaceFilter('r1', 5)), ['r1']);
    assert.deepEqual(ids(registrants, replaceFilter('r1', 4)), []);
    assert.deepEqual(ids(registrants, replaceFilter('r4', 9)), [], 'erased records are never replaced');
    assert.deepEqual(ids(registrants, eraseFilter('r1')), ['r1']);
    assert.deepEqual(ids(registrants, eraseFilter('r4')), [], 'an erased record is not erased again');
    assert.deepEqual(ids(registrants, eraseFilter({ $ne: 'x' } as never)), [], 'an id is an operand');
    assert.deepEqual(ids(registrants, scanFilter('r2')), ['r3', 'r5']);
    assert.deepEqual(ids(registrants, scanFilter(null)), ['r1', 'r2', 'r3', 'r5']);
  });

  it('travel reports: version guard and shredding', () => {
    const reports: Doc[] = [
      { _id: 't1', registrantId: 'r1', version: 2, sealedReport: 'x' },
      { _id: 't2', registrantId: 'r1', version: 1, sealedReport: null },
    ];
    assert.deepEqual(ids(reports, reportVersionFilter('t1', 2)), ['t1']);
    assert.deepEqual(ids(reports, reportVersionFilter('t1', 1)), []);
    assert.deepEqual(ids(reports, shredReportsFilter('r1')), ['t1']);
  });

  it('trip index: a source is added once and never repeats the first', () => {
    const trip: Doc = { _id: 'k', firstSource: 'self_report', alsoFoundBy: [] };
    const apply = (kind: 'manifest_match' | 'self_report') => {
      if (find([trip], addSourceFilter('k', kind) as never).all().length === 1)
        update(trip, addSourceUpdate(kind) as never);
    };
    apply('manifest_match');
    apply('manifest_match');
    apply('self_report');
    assert.deepEqual(trip.alsoFoundBy, ['manifest_match']);
  });

  it('schemas declare the indexes the queries use', () => {
    const keys = (s: typeof registrantSchema) => s.indexes().map(([k]) => JSON.stringify(k));
    assert.ok(keys(registrantSchema).includes('{"blindIndexes":1}'));
    assert.ok(keys(registrantSchema).includes('{"registrationEnd":1}'));
    assert.ok(keys(registrantSchema).includes('{"reviewDue":1}'));
    assert.ok(keys(travelReportSchema).includes('{"registrantId":1,"createdAt":1}'));
  });
});
