import { strict as assert } from 'node:assert';
import { PostingTable } from '../../src/domain/screening/posting-table.js';

const slotsOf = (t: PostingTable, key: number): number[] => {
  const out: number[] = [];
  t.forEach(key, (s) => out.push(s));
  return out.sort((a, b) => a - b);
};

describe('screening: posting table', () => {
  it('keeps many slots per key and many keys, through rehashes and removals', () => {
    const t = new PostingTable(16);
    for (let s = 0; s < 5000; s++) t.add(s % 50, s); // 50 keys × 100 slots, many rehashes
    assert.equal(t.size, 5000);
    assert.equal(slotsOf(t, 7).length, 100);
    const removed = (s: number): boolean => Math.floor(s / 50) % 2 === 0;
    for (let s = 0; s < 5000; s++) if (removed(s)) assert.ok(t.remove(s % 50, s));
    assert.equal(t.remove(7, 7), false, 'already removed');
    assert.equal(t.remove(7, 8), false, 'never filed under that key');
    assert.equal(t.size, 2500);
    assert.deepEqual(
      slotsOf(t, 7),
      Array.from({ length: 100 }, (_, i) => 7 + 50 * i).filter((s) => !removed(s)),
    );
    // Freed entries are reused, and rehashing with free entries keeps every live one.
    for (let s = 10_000; s < 30_000; s++) t.add(1000 + (s % 7), s);
    assert.equal(t.size, 22_500);
    assert.equal(slotsOf(t, 7).length, 50);
    let expected = 0;
    for (let s = 10_000; s < 30_000; s++) if (s % 7 === 3) expected++;
    assert.equal(slotsOf(t, 1003).length, expected);
    const seen = new Uint8Array(40_000);
    const out: number[] = [];
    t.collect(1003, seen, 1, out);
    t.collect(1003, seen, 1, out);
    assert.equal(out.length, expected, 'collect appends each slot once');
    assert.deepEqual(slotsOf(t, 424242), []);
  });
});
