import assert from 'node:assert/strict';
import { uuid7 } from '../../src/core/uuid7.js';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid7 (src/core/uuid7.ts)', () => {
  it('is an RFC 9562 version-7 UUID in lower case, and passes the protocol schema pattern', () => {
    for (let i = 0; i < 1000; i++) assert.match(uuid7(), FORMAT);
  });

  it('carries its creation time in the first 48 bits', () => {
    const before = Date.now();
    const id = uuid7();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    assert.ok(ms >= before && ms <= Date.now() + 5, `${ms} within [${before}, now]`);
  });

  it('is strictly increasing within a process: 20,000 ids (many in one millisecond), then a clock going back', () => {
    // No future times here: the generator never goes back, so a future time would stay with the process.
    const ids = [...Array.from({ length: 20_000 }, () => uuid7()), uuid7(Date.now() - 60_000)];
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `${ids[i - 1]} < ${ids[i]}`);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('keeps 62 random bits per id', () => {
    const tails = new Set(Array.from({ length: 5000 }, () => uuid7().slice(19)));
    assert.equal(tails.size, 5000);
  });
});
