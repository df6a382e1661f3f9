/**
 * Interop with node-jose 2.2.0, an independent JOSE implementation: it opens and verifies what we seal
 * (and our receipts), and we open what it seals following the TNX/1 header rules — for both
 * algorithm pairs.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import jose from 'node-jose';
import { seal } from '../../src/domain/protocol/envelope/seal.js';
import { open } from '../../src/domain/protocol/envelope/open.js';
import { signReceipt } from '../../src/domain/protocol/envelope/receipt.js';
import { ManualClock } from '../../src/core/clock.js';
import {
  devKeyRing,
  devPrivateJwks,
  devPublicJwks,
  directoryOf,
  example,
  openContext,
  T0,
  type DevKeyName,
} from './helpers.js';

const PAIRS: { label: string; usa: DevKeyName; tha: DevKeyName; jwsAlg: string; jweAlg: string }[] = [
  { label: 'ES256 + ECDH-ES+A256KW', usa: 'usa', tha: 'tha', jwsAlg: 'ES256', jweAlg: 'ECDH-ES+A256KW' },
  { label: 'PS256 + RSA-OAEP-256', usa: 'usa-rsa', tha: 'tha-rsa', jwsAlg: 'PS256', jweAlg: 'RSA-OAEP-256' },
];

/** node-jose keys from our JWKS, key material only (it has its own opinion on extra members). */
async function nodeJoseKey(jwk: Record<string, unknown>): Promise<Awaited<ReturnType<typeof jose.JWK.asKey>>> {
  const { tnx_created: _c, tnx_retired: _r, ...rest } = jwk;
  return jose.JWK.asKey(rest);
}

describe('interop: node-jose', () => {
  const clock = new ManualClock(T0);
  const message = example('travel-notification');

  for (const p of PAIRS) {
    describe(p.label, () => {
      it('node-jose decrypts and verifies what seal() produced', async () => {
        const sealed = await seal(message, 'THA', {
          keys: await devKeyRing(p.usa),
          directory: directoryOf({ THA: p.tha }),
          state: 'USA',
          clock,
        });
        const thaEnc = await nodeJoseKey(devPrivateJwks(p.tha).keys.find((k) => k.use === 'enc')!);
        const usaSig = await nodeJoseKey(devPublicJwks(p.usa).keys.find((k) => k.use === 'sig')!);
        const outer = await jose.JWE.createDecrypt(thaEnc, { algorithms: [p.jweAlg, 'A256GCM'] }).decrypt(sealed.jwe);
        assert.equal(outer.header.cty, 'JWT');
        const inner = await jose.JWS.createVerify(usaSig, { algorithms: [p.jwsAlg] }).verify(
          outer.plaintext.toString('ascii'),
        );
        assert.equal(inner.header.typ, 'tnx+jwt');
        const claims = JSON.parse(inner.payload.toString('utf8')) as Record<string, unknown>;
        assert.equal(claims.jti, sealed.jti);
        assert.equal(claims.iss, 'USA');
        assert.equal(claims.aud, 'THA');
        assert.deepEqual(claims.tnx, message);
      });

      it('open() accepts what node-jose sealed (nested JWS in JWE, TNX/1 headers)', async () => {
        const usaSig = devPrivateJwks(p.usa).keys.find((k) => k.use === 'sig')!;
        const thaEnc = devPublicJwks(p.tha).keys.find((k) => k.use === 'enc')!;
        const claims = { iss: 'USA', aud: 'THA', jti: randomUUID(), iat: Math.floor(T0 / 1000), tnx: message };
        const jws = await jose.JWS.createSign(
          { format: 'compact', fields: { alg: p.jwsAlg, typ: 'tnx+jwt', kid: usaSig.kid } },
          await nodeJoseKey(usaSig),
        )
          .update(Buffer.from(JSON.stringify(claims)))
          .final();
        const jwe = await jose.JWE.createEncrypt(
          { format: 'compact', fields: { alg: p.jweAlg, enc: 'A256GCM', kid: thaEnc.kid, cty: 'JWT' } },
          await nodeJoseKey(thaEnc),
        )
          .update(Buffer.from(jws))
          .final();
        const opened = await open(jwe, openContext('THA', await devKeyRing(p.tha), directoryOf({ USA: p.usa })));
        assert.equal(opened.claims.jti, claims.jti);
        assert.deepEqual(opened.claims.tnx, message);
      });

      it('node-jose verifies our receipts', async () => {
        const tha = await devKeyRing(p.tha);
        const receipt = await signReceipt(
          {
            messageId: randomUUID(),
            digest: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
            receivedAt: '2026-12-01T00:00:00.000Z',
            sender: 'USA',
          },
          { keys: tha, state: 'THA', clock },
        );
        const thaSig = await nodeJoseKey(devPublicJwks(p.tha).keys.find((k) => k.use === 'sig')!);
        const v = await jose.JWS.createVerify(thaSig, { algorithms: [p.jwsAlg] }).verify(receipt);
        assert.equal(v.header.typ, 'tnx-receipt+jwt');
        assert.equal((JSON.parse(v.payload.toString()) as { tnx: { type: string } }).tnx.type, 'Receipt');
      });
    });
  }

  it('open() still refuses a node-jose envelope that embeds its signing key (jwk header)', async () => {
    const usaSig = devPrivateJwks('usa').keys.find((k) => k.use === 'sig')!;
    const thaEnc = devPublicJwks('tha').keys.find((k) => k.use === 'enc')!;
    const { d: _d, tnx_created: _c, ...pub } = usaSig as Record<string, unknown>;
    const claims = { iss: 'USA', aud: 'THA', jti: randomUUID(), iat: Math.floor(T0 / 1000), tnx: message };
    const jws = await jose.JWS.createSign(
      { format: 'compact', fields: { alg: 'ES256', typ: 'tnx+jwt', kid: usaSig.kid, jwk: pub } },
      await nodeJoseKey(usaSig),
    )
      .update(Buffer.from(JSON.stringify(claims)))
      .final();
    const jwe = await jose.JWE.createEncrypt(
      { format: 'compact', fields: { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: thaEnc.kid, cty: 'JWT' } },
      await nodeJoseKey(thaEnc),
    )
      .update(Buffer.from(jws))
      .final();
    await assert.rejects(open(jwe, openContext('THA', await devKeyRing('tha'), directoryOf({ USA: 'usa' }))), {
      code: 'forbidden_header',
    });
  });
});
