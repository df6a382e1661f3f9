import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, canonicalAuditEvent, canonicalJson, chainHash } from '../../src/domain/audit/chain.js';
import { isTnxError } from '../../src/core/errors.js';

describe('audit chain hash (src/domain/audit/chain.ts)', () => {
  const base = { seq: 1, id: 'e1', at: 0, action: 'a.b', actor: 'system' };

  it('matches the byte format documented for offline auditors', () => {
    const canonical =
      '{"seq":1,"id":"e1","at":0,"action":"a.b","actor":"system","messageId":null,"partner":null,"outcome":null,"detail":null}';
    assert.equal(canonicalAuditEvent(base), canonical);
    const expected = createHash('sha256')
      .update('0'.repeat(64) + canonical)
      .digest('hex');
    assert.equal(chainHash(GENESIS_HASH, base), expected);
    assert.equal(GENESIS_HASH, '0'.repeat(64));
  });

  it('canonicalises detail recursively with sorted keys, independent of insertion order', () => {
    const a = canonicalJson({ b: 1, a: { d: [1, 'x', { z: true, y: null }], c: 'é' } });
    const b = canonicalJson({ a: { c: 'é', d: [1, 'x', { y: null, z: true }] }, b: 1 });
    assert.equal(a, b);
    assert.equal(a, '{"a":{"c":"é","d":[1,"x",{"y":null,"z":true}]},"b":1}');
    assert.equal(canonicalJson({ a: undefined, b: 2 }), '{"b":2}');
  });

  it('changes when any chained field or the previous hash changes', () => {
    const full = { ...base, messageId: 'm1', partner: 'FRA', outcome: 'ok', detail: { n: 1 } };
    const h = chainHash(GENESIS_HASH, full);
    const variants = [
      { ...full, seq: 2 },
      { ...full, id: 'e2' },
      { ...full, at: 1 },
      { ...full, action: 'a.c' },
      { ...full, actor: 'x' },
      { ...full, messageId: 'm2' },
      { ...full, partner: 'DEU' },
      { ...full, outcome: 'ko' },
      { ...full, detail: { n: 2 } },
    ];
    for (const v of variants) assert.notEqual(chainHash(GENESIS_HASH, v), h);
    assert.notEqual(chainHash('1'.repeat(64), full), h);
  });

  it('refuses values that would not survive a JSON round trip, naming where, not what', () => {
    for (const detail of [{ x: Number.NaN }, { x: new Date(0) }, { x: [undefined] }, { x: 10n }]) {
      assert.throws(
        () => chainHash(GENESIS_HASH, { ...base, detail: detail }),
        (e: unknown) => isTnxError(e, 'invalid_request') && e.pointer?.startsWith('/detail/x') === true,
      );
    }
    assert.throws(
      () => chainHash('abc', base),
      (e: unknown) => isTnxError(e, 'invalid_request'),
    );
    assert.throws(
      () => chainHash(GENESIS_HASH, { ...base, seq: 0 }),
      (e: unknown) => isTnxError(e, 'invalid_request'),
    );
  });
});
