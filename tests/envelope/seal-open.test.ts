import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { seal } from '../../src/domain/protocol/envelope/seal.js';
import { open } from '../../src/domain/protocol/envelope/open.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import { rotateKeySet, retireKey } from '../../src/domain/keys/rotate.js';
import { isTnxError } from '../../src/core/errors.js';
import { ManualClock } from '../../src/core/clock.js';
import type { TnxMessage } from '../../src/domain/protocol/types.js';
import { devKeyRing, devPrivateJwks, directoryOf, example, openContext, T0 } from './helpers.js';

describe('envelope: seal → open', () => {
  const clock = new ManualClock(T0);

  for (const [name, from, to] of [
    ['travel-notification', 'USA', 'THA'],
    ['travel-update-amend', 'USA', 'THA'],
    ['follow-up-report', 'THA', 'USA'],
  ] as const) {
    it(`round-trips ${name} (${from} → ${to}) with ES256 + ECDH-ES+A256KW/A256GCM`, async () => {
      const msg = example(name);
      const sender = await devKeyRing(from === 'USA' ? 'usa' : 'tha');
      const receiver = await devKeyRing(to === 'USA' ? 'usa' : 'tha');
      const sealed = await seal(msg, to, {
        keys: sender,
        directory: directoryOf({ [to]: to === 'USA' ? 'usa' : 'tha' }),
        state: from,
        clock,
      });

      const jweHeader = decodeProtectedHeader(sealed.jwe);
      assert.equal(jweHeader.alg, 'ECDH-ES+A256KW');
      assert.equal(jweHeader.enc, 'A256GCM');
      assert.equal(jweHeader.cty, 'JWT');
      assert.equal(jweHeader.kid, receiver.encryptionKeys()[0]!.kid);
      assert.equal(sealed.digest, createHash('sha256').update(sealed.jwe).digest('base64url'));

      const opened = await open(
        sealed.jwe,
        openContext(to, receiver, directoryOf({ [from]: from === 'USA' ? 'usa' : 'tha' })),
      );
      assert.equal(opened.sender, from);
      assert.equal(opened.digest, sealed.digest);
      assert.equal(opened.claims.jti, sealed.jti);
      assert.equal(opened.claims.iss, from);
      assert.equal(opened.claims.aud, to);
      assert.equal(opened.claims.iat, Math.floor(T0 / 1000));
      assert.deepEqual(opened.claims.tnx, msg);
    });
  }

  it('round-trips with PS256 + RSA-OAEP-256/A256GCM (optional algorithms)', async () => {
    const msg = example('travel-notification');
    const sealed = await seal(msg, 'THA', {
      keys: await devKeyRing('usa-rsa'),
      directory: directoryOf({ THA: 'tha-rsa' }),
      state: 'USA',
      clock,
    });
    assert.equal(decodeProtectedHeader(sealed.jwe).alg, 'RSA-OAEP-256');
    const opened = await open(
      sealed.jwe,
      openContext('THA', await devKeyRing('tha-rsa'), directoryOf({ USA: 'usa-rsa' })),
    );
    assert.deepEqual(opened.claims.tnx, msg);
  });

  it('gives every seal a new jti and a new ciphertext', async () => {
    const ctx = { keys: await devKeyRing('usa'), directory: directoryOf({ THA: 'tha' }), state: 'USA', clock };
    const a = await seal(example('follow-up-report'), 'USA', {
      ...ctx,
      keys: await devKeyRing('tha'),
      directory: directoryOf({ USA: 'usa' }),
      state: 'THA',
    });
    const b = await seal(example('follow-up-report'), 'USA', {
      ...ctx,
      keys: await devKeyRing('tha'),
      directory: directoryOf({ USA: 'usa' }),
      state: 'THA',
    });
    assert.notEqual(a.jti, b.jti);
    assert.notEqual(a.jwe, b.jwe);
    assert.notEqual(a.digest, b.digest);
  });

  it('refuses to seal an invalid message, or one whose origin/destination disagree with the envelope', async () => {
    const ctx = { keys: await devKeyRing('usa'), directory: directoryOf({ THA: 'tha' }), state: 'USA', clock };
    const bad = { ...example<TnxMessage>('travel-notification'), notificationId: 'not-a-uuid' };
    await assert.rejects(seal(bad, 'THA', ctx), (e) => isTnxError(e, 'invalid_message'));
    await assert.rejects(seal(example('travel-notification'), 'GBR', ctx), (e) => isTnxError(e, 'invalid_message'));
    await assert.rejects(seal(example('travel-notification'), 'THA', { ...ctx, state: 'GBR' }), (e) =>
      isTnxError(e, 'invalid_message'),
    );
  });

  it('refuses to seal to a state that is not in the directory', async () => {
    const msg = { ...example<TnxMessage>('follow-up-report') };
    await assert.rejects(
      seal(msg, 'USA', { keys: await devKeyRing('tha'), directory: directoryOf({ GBR: 'gbr' }), state: 'THA', clock }),
      (e) => isTnxError(e, 'unknown_key'),
    );
  });

  describe('key rotation', () => {
    it('opens messages sealed to the old encryption key until it is retired, then refuses them', async () => {
      const original = devPrivateJwks('tha');
      const { jwks: rotated, added } = await rotateKeySet(original as never, new ManualClock(T0 + 1000));
      const newEnc = added.find((k) => k.use === 'enc')!;
      const oldEnc = original.keys.find((k) => k.use === 'enc')!;
      const thaRotated = await KeyRing.fromJwks(rotated);
      assert.equal(thaRotated.encryptionKeys()[0]!.kid, newEnc.kid, 'newest encryption key first');
      assert.equal(thaRotated.signingKey().kid, added.find((k) => k.use === 'sig')!.kid, 'signs with the newest key');

      // USA still holds THA's old public JWKS: it seals to the old key.
      const sealed = await seal(example('travel-notification'), 'THA', {
        keys: await devKeyRing('usa'),
        directory: directoryOf({ THA: 'tha' }),
        state: 'USA',
        clock,
      });
      assert.equal(decodeProtectedHeader(sealed.jwe).kid, oldEnc.kid);
      const opened = await open(sealed.jwe, openContext('THA', thaRotated, directoryOf({ USA: 'usa' })));
      assert.equal(opened.sender, 'USA');

      const retired = await KeyRing.fromJwks(retireKey(rotated, oldEnc.kid, new ManualClock(T0 + 2000)));
      assert.ok(!retired.publicJwks().keys.some((k) => k.kid === oldEnc.kid), 'retired key is not published');
      await assert.rejects(open(sealed.jwe, openContext('THA', retired, directoryOf({ USA: 'usa' }))), (e) =>
        isTnxError(e, 'unknown_key'),
      );
    });
  });
});
