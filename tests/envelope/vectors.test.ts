/** Re-opens every vector in protocol/vectors/ with the keys its manifest names and a frozen clock. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { open } from '../../src/domain/protocol/envelope/open.js';
import { verifyReceipt } from '../../src/domain/protocol/envelope/receipt.js';
import { ManualClock } from '../../src/core/clock.js';
import { isTnxError } from '../../src/core/errors.js';
import { devKeyRing, directoryOf, openContext, readJson, ROOT } from './helpers.js';
import { VECTORS, type VectorManifestEntry } from './vectors-manifest.js';

const dir = new URL('protocol/vectors/', ROOT);
const manifest = readJson<VectorManifestEntry[]>(new URL('manifest.json', dir));

describe('protocol/vectors', () => {
  it('the manifest lists exactly the specified vectors, covering every message type and both algorithm pairs', () => {
    assert.deepEqual(manifest.map((m) => m.name).sort(), VECTORS.map((v) => v.name).sort());
    const types = new Set(
      manifest.map((m) => (readJson(new URL(`${m.name}.expected.json`, dir)) as { type: string }).type),
    );
    assert.deepEqual([...types].sort(), ['FollowUpReport', 'TravelNotification', 'TravelUpdate']);
    assert.equal(new Set(manifest.map((m) => m.algorithms)).size, 2);
  });

  for (const v of manifest) {
    it(`${v.name}.jwe opens with keys/dev/${v.recipientKeys} and verifies with ${v.senderKeys} (${v.algorithms})`, async () => {
      const jwe = readFileSync(new URL(`${v.name}.jwe`, dir), 'utf8');
      const expected = readJson(new URL(`${v.name}.expected.json`, dir));
      const clock = new ManualClock(v.iat * 1000);
      const ctx = openContext(
        v.recipient,
        await devKeyRing(v.recipientKeys),
        directoryOf({ [v.sender]: v.senderKeys }),
        clock,
      );
      const opened = await open(jwe, ctx);
      assert.deepEqual(opened.claims.tnx, expected);
      assert.equal(opened.claims.jti, v.jti);
      assert.equal(opened.claims.iat, v.iat);
      assert.equal(opened.sender, v.sender);
      assert.equal(opened.digest, v.digest);
      assert.equal(v.digest, createHash('sha256').update(jwe).digest('base64url'));
      assert.equal(decodeProtectedHeader(jwe).alg, v.algorithms.includes('RSA') ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW');

      const receipt = readFileSync(new URL(`${v.name}.receipt.jwt`, dir), 'utf8');
      const r = await verifyReceipt(
        receipt,
        { partner: v.recipient, messageId: v.jti, digest: v.digest },
        { directory: directoryOf({ [v.recipient]: v.recipientKeys }), state: v.sender },
      );
      assert.equal(r.messageId, v.jti);

      // Outside its time window the same vector is stale: the frozen clock is what makes it open.
      await assert.rejects(open(jwe, { ...ctx, clock: new ManualClock((v.iat + 1209600 + 301) * 1000) }), (e) =>
        isTnxError(e, 'stale_message'),
      );
    });
  }
});
