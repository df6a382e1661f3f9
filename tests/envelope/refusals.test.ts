/**
 * One test per refusal of open(), each with its own stable code (src/core/errors.ts). The hostile
 * envelopes are built with real crypto (tests/envelope/helpers.ts) so each reaches the check under test.
 */
import assert from 'node:assert/strict';
import { CompactSign, importJWK, type CryptoKey } from 'jose';
import { open } from '../../src/domain/protocol/envelope/open.js';
import { seal } from '../../src/domain/protocol/envelope/seal.js';
import { type ErrorCode, TnxError } from '../../src/core/errors.js';
import { ManualClock } from '../../src/core/clock.js';
import type { KeyRing } from '../../src/domain/keys/keyring.js';
import type { Directory } from '../../src/domain/directory/directory.js';
import {
  craft,
  devKeyRing,
  devPrivateJwks,
  directoryOf,
  encryptRaw,
  example,
  openContext,
  signRaw,
  T0,
  withHeaderText,
  devPublicJwks,
} from './helpers.js';

describe('envelope: open() refusals', () => {
  let tha: KeyRing;
  let dir: Directory;
  const msg = example('travel-notification');

  before(async () => {
    tha = await devKeyRing('tha');
    dir = directoryOf({ USA: 'usa', GBR: 'gbr' });
  });

  async function refused(jwe: string, code: ErrorCode, clock = new ManualClock(T0)): Promise<TnxError> {
    let caught: unknown;
    try {
      await open(jwe, openContext('THA', tha, dir, clock));
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof TnxError, `expected a TnxError, got ${String(caught)}`);
    assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
    return caught;
  }

  async function valid(): Promise<string> {
    return (
      await seal(msg, 'THA', {
        keys: await devKeyRing('usa'),
        directory: directoryOf({ THA: 'tha' }),
        state: 'USA',
        clock: new ManualClock(T0),
      })
    ).jwe;
  }

  const thaEnc = () => devPublicJwks('tha').keys.find((k) => k.use === 'enc')!;
  const jweHeader = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      alg: 'ECDH-ES+A256KW',
      enc: 'A256GCM',
      kid: thaEnc().kid,
      cty: 'JWT',
      epk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' },
      ...extra,
    });

  it('the crafter itself produces an envelope that opens (control)', async () => {
    const opened = await open(await craft(msg), openContext('THA', tha, dir));
    assert.equal(opened.sender, 'USA');
  });

  // ---- outer JWE ----
  it('oversize → payload_too_large (before any parsing)', async () => {
    await refused('a'.repeat(262145), 'payload_too_large');
  });
  it('malformed compact serialization → malformed_envelope', async () => {
    await refused('not.a.jwe', 'malformed_envelope');
    await refused('a.b.c.d.e!', 'malformed_envelope');
    await refused(`${Buffer.from('[1]').toString('base64url')}.a.b.c.d`, 'malformed_envelope');
  });
  it('duplicate keys in the header JSON → malformed_envelope', async () => {
    const text = '{"alg":"ECDH-ES+A256KW","alg":"dir","enc":"A256GCM","cty":"JWT","kid":"x"}';
    const err = await refused(withHeaderText(await valid(), text), 'malformed_envelope');
    assert.deepEqual(err.detail, { reason: 'duplicate_property' });
  });
  it('RSA1_5 in the JWE → unsupported_algorithm', async () => {
    await refused(withHeaderText(await valid(), jweHeader({ alg: 'RSA1_5' })), 'unsupported_algorithm');
  });
  it('enc A128CBC-HS256 → unsupported_algorithm (even correctly encrypted)', async () => {
    const signer = devPrivateJwks('usa').keys.find((k) => k.use === 'sig')!;
    const jws = signRaw(
      { alg: 'ES256', typ: 'tnx+jwt', kid: signer.kid },
      { iss: 'USA', aud: 'THA', jti: crypto.randomUUID(), iat: T0 / 1000, tnx: msg },
      signer,
    );
    const jwe = await encryptRaw(
      jws,
      { alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256', kid: thaEnc().kid, cty: 'JWT' },
      thaEnc(),
    );
    await refused(jwe, 'unsupported_algorithm');
  });
  for (const h of ['jwk', 'jku', 'x5u', 'x5c'] as const) {
    it(`JWE header "${h}" → forbidden_header`, async () => {
      const value = h === 'jwk' ? thaEnc() : h === 'x5c' ? ['MIIB'] : 'https://127.0.0.1/keys';
      const err = await refused(withHeaderText(await valid(), jweHeader({ [h]: value })), 'forbidden_header');
      assert.deepEqual(err.detail, { header: h });
    });
  }
  it('unknown crit → forbidden_header', async () => {
    await refused(withHeaderText(await valid(), jweHeader({ crit: ['exp'], exp: 1 })), 'forbidden_header');
  });
  it('wrong cty → invalid_token_type', async () => {
    await refused(await craft(msg, { jweHeader: { cty: 'json' } }), 'invalid_token_type');
  });
  it('missing JWE kid → unknown_key', async () => {
    await refused(await craft(msg, { jweHeader: { kid: undefined } }), 'unknown_key');
  });
  it('unknown JWE kid → unknown_key', async () => {
    await refused(await craft(msg, { jweHeader: { kid: 'THA-enc-19990101-000000000000' } }), 'unknown_key');
  });

  // ---- decrypt and verify: one error for both ----
  it('tampered ciphertext and tampered signature → the same envelope_rejected, same message', async () => {
    const jwe = await valid();
    const parts = jwe.split('.');
    const c = parts[3]!;
    parts[3] = (c[0] === 'A' ? 'B' : 'A') + c.slice(1);
    const e1 = await refused(parts.join('.'), 'envelope_rejected');

    const signer = devPrivateJwks('usa').keys.find((k) => k.use === 'sig')!;
    const jws = signRaw(
      { alg: 'ES256', typ: 'tnx+jwt', kid: signer.kid },
      { iss: 'USA', aud: 'THA', jti: crypto.randomUUID(), iat: T0 / 1000, tnx: msg },
      signer,
    );
    const [h, p, s] = jws.split('.');
    const sig = Buffer.from(s!, 'base64url');
    sig[10] = sig[10]! ^ 0x01;
    const e2 = await refused(
      await craft(msg, { innerJws: `${h}.${p}.${sig.toString('base64url')}` }),
      'envelope_rejected',
    );
    assert.equal(e1.message, e2.message);
    assert.equal(e1.status, e2.status);
    assert.equal(e1.detail, e2.detail);
  });

  // ---- inner JWS ----
  it('alg none → unsupported_algorithm', async () => {
    const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const inner = `${b({ alg: 'none', typ: 'tnx+jwt' })}.${b({ iss: 'USA', aud: 'THA', jti: crypto.randomUUID(), iat: T0 / 1000, tnx: msg })}.`;
    await refused(await craft(msg, { innerJws: inner }), 'unsupported_algorithm');
  });
  it('HS256 in the JWS → unsupported_algorithm', async () => {
    const secret = new TextEncoder().encode('a shared secret an attacker chose, 32+ bytes long!!');
    const inner = await new CompactSign(
      new TextEncoder().encode(
        JSON.stringify({ iss: 'USA', aud: 'THA', jti: crypto.randomUUID(), iat: T0 / 1000, tnx: msg }),
      ),
    )
      .setProtectedHeader({ alg: 'HS256', typ: 'tnx+jwt', kid: devPrivateJwks('usa').keys[0]!.kid })
      .sign(secret);
    await refused(await craft(msg, { innerJws: inner }), 'unsupported_algorithm');
  });
  it('JWS header jwk (embedded key) → forbidden_header', async () => {
    const pub = devPublicJwks('usa').keys.find((k) => k.use === 'sig')!;
    await refused(await craft(msg, { jwsHeader: { jwk: pub } }), 'forbidden_header');
  });
  it('wrong typ → invalid_token_type', async () => {
    await refused(await craft(msg, { jwsHeader: { typ: 'JWT' } }), 'invalid_token_type');
    await refused(await craft(msg, { jwsHeader: { typ: 'tnx-receipt+jwt' } }), 'invalid_token_type');
  });
  it('missing JWS kid → unknown_key', async () => {
    await refused(await craft(msg, { jwsHeader: { kid: undefined } }), 'unknown_key');
  });
  it('JWS kid that is not a partner signing key (our own, or an encryption key) → unknown_key', async () => {
    const ownSig = devPrivateJwks('tha').keys.find((k) => k.use === 'sig')!;
    await refused(await craft(msg, { signer: ownSig }), 'unknown_key');
    const usaEnc = devPublicJwks('usa').keys.find((k) => k.use === 'enc')!;
    await refused(await craft(msg, { jwsHeader: { kid: usaEnc.kid } }), 'unknown_key');
  });

  // ---- claims ----
  it('wrong aud → wrong_recipient', async () => {
    await refused(await craft({ ...msg, destination: 'GBR' }, { claims: { aud: 'GBR' } }), 'wrong_recipient');
  });
  it('iss ≠ owner of the signing key → sender_mismatch', async () => {
    await refused(await craft({ ...msg, origin: 'GBR' }, { claims: { iss: 'GBR' } }), 'sender_mismatch');
  });
  it('iss not in the directory → unknown_sender', async () => {
    await refused(await craft({ ...msg, origin: 'FRA' }, { claims: { iss: 'FRA' } }), 'unknown_sender');
  });
  it('stale iat (older than maxMessageAgeSeconds + skew) → stale_message', async () => {
    const iat = Math.floor(T0 / 1000) - 1209600 - 301;
    await refused(await craft(msg, { claims: { iat } }), 'stale_message');
    // …and the edge of the window still opens.
    await open(await craft(msg, { claims: { iat: iat + 1 } }), openContext('THA', tha, dir));
  });
  it('future iat (beyond the clock skew) → stale_message', async () => {
    await refused(await craft(msg, { claims: { iat: Math.floor(T0 / 1000) + 301 } }), 'stale_message');
    await open(await craft(msg, { claims: { iat: Math.floor(T0 / 1000) + 300 } }), openContext('THA', tha, dir));
  });
  it('an undefined claim (exp) → invalid_claims', async () => {
    await refused(await craft(msg, { claims: { exp: Math.floor(T0 / 1000) + 60 } }), 'invalid_claims');
  });
  it('duplicate keys in the signed payload → invalid_claims', async () => {
    const signer = devPrivateJwks('usa').keys.find((k) => k.use === 'sig')!;
    const payload = JSON.stringify({
      iss: 'USA',
      aud: 'THA',
      jti: crypto.randomUUID(),
      iat: T0 / 1000,
      tnx: msg,
    }).replace('"aud":"THA"', '"aud":"THA","aud":"GBR"');
    const err = await refused(
      await craft(msg, { innerJws: signRaw({ alg: 'ES256', typ: 'tnx+jwt', kid: signer.kid }, payload, signer) }),
      'invalid_claims',
    );
    assert.deepEqual(err.detail, { reason: 'duplicate_property' });
  });
  it('a message whose origin/destination differ from iss/aud → invalid_claims', async () => {
    const e1 = await refused(await craft({ ...msg, origin: 'GBR' }), 'invalid_claims');
    assert.equal(e1.pointer, '/tnx/origin');
    const fu = example<Record<string, unknown>>('follow-up-report');
    const e2 = await refused(await craft({ ...fu, origin: 'USA', destination: 'GBR' }), 'invalid_claims');
    assert.equal(e2.pointer, '/tnx/destination');
  });
  it('a message that breaks its schema → invalid_message (after every envelope check)', async () => {
    await refused(await craft({ ...msg, notificationId: 'nope' }), 'invalid_message');
  });
  it('an algorithm/key mismatch (RSA-OAEP-256 header on our EC key) → unsupported_algorithm', async () => {
    await refused(
      withHeaderText(await valid(), jweHeader({ alg: 'RSA-OAEP-256', epk: undefined })),
      'unsupported_algorithm',
    );
  });
  it('checks run in the documented order: the first failing check names the error', async () => {
    // oversize beats malformed; alg beats forbidden header; forbidden header beats cty and kid;
    // cty beats kid; aud beats iss and iat; iss membership beats ownership; iat beats the message.
    await refused(`${'x'.repeat(262144)}.`, 'payload_too_large');
    await refused(
      withHeaderText(await valid(), jweHeader({ alg: 'RSA1_5', jku: 'https://127.0.0.1/' })),
      'unsupported_algorithm',
    );
    await refused(
      withHeaderText(await valid(), jweHeader({ jku: 'https://127.0.0.1/', cty: 'json', kid: 'nope' })),
      'forbidden_header',
    );
    await refused(withHeaderText(await valid(), jweHeader({ cty: 'json', kid: 'nope' })), 'invalid_token_type');
    const old = Math.floor(T0 / 1000) - 9_999_999;
    await refused(
      await craft({ ...msg, destination: 'GBR', origin: 'FRA' }, { claims: { aud: 'GBR', iss: 'FRA', iat: old } }),
      'wrong_recipient',
    );
    await refused(await craft({ ...msg, origin: 'FRA' }, { claims: { iss: 'FRA', iat: old } }), 'unknown_sender');
    await refused(await craft({ ...msg, notificationId: 'nope' }, { claims: { iat: old } }), 'stale_message');
  });
  it('refusals never echo personal data from the message', async () => {
    const err = await refused(await craft({ ...msg, notificationId: 'nope' }), 'invalid_message');
    const text = `${err.message} ${JSON.stringify(err.detail ?? {})}`;
    const person = (msg as { person: { name: { family: string } } }).person;
    assert.ok(!text.includes(person.name.family));
  });
  it('key resolvers never take a key from the token: importJWK of an embedded key is never reached', async () => {
    // An attacker signs with their own key and embeds it; with the header refused, nothing is imported.
    const attacker = (await importJWK(
      {
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI',
      },
      'ES256',
    )) as CryptoKey;
    const inner = await new CompactSign(
      new TextEncoder().encode(
        JSON.stringify({ iss: 'USA', aud: 'THA', jti: crypto.randomUUID(), iat: T0 / 1000, tnx: msg }),
      ),
    )
      .setProtectedHeader({ alg: 'ES256', typ: 'tnx+jwt', kid: devPrivateJwks('usa').keys[0]!.kid })
      .sign(attacker);
    await refused(await craft(msg, { innerJws: inner }), 'envelope_rejected');
  });
});
