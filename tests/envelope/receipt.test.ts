import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { signReceipt, verifyReceipt } from '../../src/domain/protocol/envelope/receipt.js';
import { seal } from '../../src/domain/protocol/envelope/seal.js';
import { open } from '../../src/domain/protocol/envelope/open.js';
import { isTnxError, type ErrorCode } from '../../src/core/errors.js';
import { ManualClock } from '../../src/core/clock.js';
import { devKeyRing, devPrivateJwks, directoryOf, example, openContext, signRaw, T0 } from './helpers.js';

describe('envelope: receipts', () => {
  const clock = new ManualClock(T0);
  const receivedAt = '2026-12-01T00:00:00.000Z';

  it('the receiver signs a receipt for what it opened; the sender verifies it against what it sent', async () => {
    const sealed = await seal(example('travel-notification'), 'THA', {
      keys: await devKeyRing('usa'),
      directory: directoryOf({ THA: 'tha' }),
      state: 'USA',
      clock,
    });
    const tha = await devKeyRing('tha');
    const opened = await open(sealed.jwe, openContext('THA', tha, directoryOf({ USA: 'usa' })));
    const jws = await signReceipt(
      { messageId: opened.claims.jti, digest: opened.digest, receivedAt, sender: opened.sender },
      { keys: tha, state: 'THA', clock },
    );

    const h = decodeProtectedHeader(jws);
    assert.equal(h.typ, 'tnx-receipt+jwt');
    assert.equal(h.alg, 'ES256');
    assert.equal(h.kid, tha.signingKey().kid);
    const claims = decodeJwt(jws);
    assert.equal(claims.iss, 'THA');
    assert.equal(claims.aud, 'USA');
    assert.notEqual(claims.jti, sealed.jti, 'a receipt has its own jti');

    const receipt = await verifyReceipt(
      jws,
      { partner: 'THA', messageId: sealed.jti, digest: sealed.digest },
      { directory: directoryOf({ THA: 'tha' }), state: 'USA' },
    );
    assert.deepEqual(receipt, { v: '1', type: 'Receipt', messageId: sealed.jti, digest: sealed.digest, receivedAt });
  });

  describe('refusals', () => {
    const messageId = randomUUID();
    const digest = createHash('sha256').update('one').digest('base64url');
    const usaDir = () => directoryOf({ THA: 'tha', GBR: 'gbr' });

    async function receiptFrom(
      state: 'THA' | 'GBR',
      input: Partial<{ messageId: string; digest: string; sender: string }> = {},
    ): Promise<string> {
      return signReceipt(
        { messageId, digest, receivedAt, sender: 'USA', ...input },
        { keys: await devKeyRing(state === 'THA' ? 'tha' : 'gbr'), state, clock },
      );
    }
    async function rejects(
      jws: string,
      code: ErrorCode,
      expected = { partner: 'THA', messageId, digest },
    ): Promise<void> {
      await assert.rejects(verifyReceipt(jws, expected, { directory: usaDir(), state: 'USA' }), (e) =>
        isTnxError(e, code),
      );
    }

    it('another message id or digest → receipt_mismatch', async () => {
      await rejects(await receiptFrom('THA', { messageId: randomUUID() }), 'receipt_mismatch');
      await rejects(
        await receiptFrom('THA', { digest: createHash('sha256').update('two').digest('base64url') }),
        'receipt_mismatch',
      );
    });
    it('signed by another partner than the one delivered to → receipt_invalid', async () => {
      await rejects(await receiptFrom('GBR'), 'receipt_invalid');
    });
    it('addressed to another state → receipt_invalid', async () => {
      await rejects(await receiptFrom('THA', { sender: 'GBR' }), 'receipt_invalid');
    });
    it('tampered signature → receipt_invalid', async () => {
      const jws = await receiptFrom('THA');
      const [h, p, s] = jws.split('.');
      await rejects(`${h}.${p}.${(s![0] === 'A' ? 'B' : 'A') + s!.slice(1)}`, 'receipt_invalid');
    });
    it('wrong typ (a message JWS passed off as a receipt) → receipt_invalid', async () => {
      const key = devPrivateJwks('tha').keys.find((k) => k.use === 'sig')!;
      const payload = {
        iss: 'THA',
        aud: 'USA',
        jti: randomUUID(),
        iat: T0 / 1000,
        tnx: { v: '1', type: 'Receipt', messageId, digest, receivedAt },
      };
      await rejects(signRaw({ alg: 'ES256', typ: 'tnx+jwt', kid: key.kid }, payload, key), 'receipt_invalid');
      // Control: the same payload with the right typ verifies.
      await verifyReceipt(
        signRaw({ alg: 'ES256', typ: 'tnx-receipt+jwt', kid: key.kid }, payload, key),
        { partner: 'THA', messageId, digest },
        { directory: usaDir(), state: 'USA' },
      );
    });
    it('alg none or HS256 → receipt_invalid', async () => {
      const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const payload = {
        iss: 'THA',
        aud: 'USA',
        jti: randomUUID(),
        iat: T0 / 1000,
        tnx: { v: '1', type: 'Receipt', messageId, digest, receivedAt },
      };
      await rejects(`${b({ alg: 'none', typ: 'tnx-receipt+jwt' })}.${b(payload)}.`, 'receipt_invalid');
      await rejects(
        `${b({ alg: 'HS256', typ: 'tnx-receipt+jwt', kid: 'THA-sig' })}.${b(payload)}.AAAA`,
        'receipt_invalid',
      );
    });
    it('garbage → receipt_invalid', async () => {
      await rejects('<html>502 Bad Gateway</html>', 'receipt_invalid');
    });
  });
});
