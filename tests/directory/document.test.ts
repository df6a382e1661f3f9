/** The signed network directory: sign, verify and every refusal, each with its own code. */
import assert from 'node:assert/strict';
import { isTnxError, type ErrorCode } from '../../src/core/errors.js';
import { verifyNetworkDirectory, type VerifyOptions } from '../../src/domain/directory/network-jws.js';
import { checkEntries, validateNetworkDirectory } from '../../src/domain/directory/network.js';
import type { Jwks } from '../../src/domain/keys/jwk.js';
import { coordinator, document, entry, sign, signRaw, stateKeys, T0, DAY, type Coordinator } from './fixtures.js';

async function refused(p: Promise<unknown>, code: ErrorCode, pattern?: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isTnxError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

describe('directory: signed network document', () => {
  let c: Coordinator;
  let usa: Jwks;
  let gbr: Jwks;
  let opts: VerifyOptions;
  before(async () => {
    c = await coordinator();
    usa = await stateKeys('USA');
    gbr = await stateKeys('GBR');
    opts = { anchors: c.public, now: T0 + 1000, network: 'tnx-test' };
  });

  it('verifies what the coordinator signed and names the signing kid', async () => {
    const doc = document(1, [entry('USA', usa), entry('GBR', gbr)]);
    const jws = await sign(doc, c);
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
    assert.deepEqual(header, { alg: 'ES256', typ: 'tnx-directory+jwt', kid: c.key.kid });
    const v = await verifyNetworkDirectory(jws, opts);
    assert.equal(v.kid, c.key.kid);
    assert.deepEqual(v.document, doc);
  });

  it('accepts any of several trust anchors (coordinator key rollover)', async () => {
    const next = await coordinator();
    const anchors = { keys: [...c.public.keys, ...next.public.keys] };
    const jws = await sign(document(1, [entry('USA', usa)]), next);
    assert.equal((await verifyNetworkDirectory(jws, { ...opts, anchors })).kid, next.key.kid);
    // An anchor retired by the gateway's configuration no longer verifies anything.
    const retired = { keys: [c.public.keys[0]!, { ...next.public.keys[0]!, tnx_retired: new Date(T0).toISOString() }] };
    await refused(
      verifyNetworkDirectory(jws, { ...opts, anchors: retired }),
      'directory_signature_invalid',
      /trust anchors/,
    );
  });

  it('refuses a lower or equal serial (rollback)', async () => {
    const jws = await sign(document(5, [entry('USA', usa)]), c);
    await refused(verifyNetworkDirectory(jws, { ...opts, minSerial: 5 }), 'directory_rollback');
    await refused(verifyNetworkDirectory(jws, { ...opts, minSerial: 9 }), 'directory_rollback');
    assert.equal((await verifyNetworkDirectory(jws, { ...opts, minSerial: 4 })).document.serial, 5);
  });

  it('refuses an expired document unless reading the last good copy', async () => {
    const jws = await sign(document(1, [entry('USA', usa)]), c);
    await refused(verifyNetworkDirectory(jws, { ...opts, now: T0 + 7 * DAY }), 'directory_expired');
    assert.ok(await verifyNetworkDirectory(jws, { ...opts, now: T0 + 8 * DAY, allowExpired: true }));
  });

  it('refuses a bad signature, an unknown kid and a key not among the anchors', async () => {
    const jws = await sign(document(1, [entry('USA', usa)]), c);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    await refused(verifyNetworkDirectory(flipped, opts), 'directory_signature_invalid', /signature/);
    const other = await coordinator();
    await refused(
      verifyNetworkDirectory(await sign(document(1, []), other), opts),
      'directory_signature_invalid',
      /trust anchors/,
    );
    // Same kid as the anchor, another key: the anchor's material decides.
    const impostor = { ...other, key: { ...other.key, kid: c.key.kid } };
    await refused(
      verifyNetworkDirectory(await sign(document(1, []), impostor), opts),
      'directory_signature_invalid',
      /signature/,
    );
  });

  it('refuses alg none, other algs, a wrong typ, crit, jwk and unknown header members', async () => {
    const payload = JSON.stringify(document(1, [entry('USA', usa)]));
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'tnx-directory+jwt', kid: c.key.kid })).toString('base64url')}.${Buffer.from(payload).toString('base64url')}.`;
    await refused(verifyNetworkDirectory(none, opts), 'directory_malformed');
    const noneSig = `${none}AAAA`;
    await refused(verifyNetworkDirectory(noneSig, opts), 'directory_signature_invalid', /alg must be/);
    const base = { alg: 'ES256', typ: 'tnx-directory+jwt', kid: c.key.kid };
    await refused(
      verifyNetworkDirectory(signRaw({ ...base, alg: 'HS256' }, payload, c), opts),
      'directory_signature_invalid',
      /alg/,
    );
    await refused(
      verifyNetworkDirectory(signRaw({ ...base, typ: 'tnx+jwt' }, payload, c), opts),
      'directory_signature_invalid',
      /typ/,
    );
    await refused(
      verifyNetworkDirectory(signRaw({ ...base, crit: ['exp'], exp: 1 }, payload, c), opts),
      'directory_signature_invalid',
      /crit/,
    );
    await refused(
      verifyNetworkDirectory(signRaw({ ...base, jwk: c.public.keys[0] }, payload, c), opts),
      'directory_signature_invalid',
      /jwk/,
    );
    await refused(
      verifyNetworkDirectory(signRaw({ ...base, cty: 'json' }, payload, c), opts),
      'directory_signature_invalid',
      /cty/,
    );
    // The raw signer itself is sound: the untouched header verifies.
    assert.ok(await verifyNetworkDirectory(signRaw(base, payload, c), opts));
  });

  it('refuses oversized and truncated documents and duplicate header members', async () => {
    const jws = await sign(document(1, [entry('USA', usa), entry('GBR', gbr)]), c);
    await refused(verifyNetworkDirectory(jws, { ...opts, maxBytes: 1000 }), 'directory_too_large');
    await refused(
      verifyNetworkDirectory(jws.slice(0, jws.lastIndexOf('.')), opts),
      'directory_malformed',
      /3 segments/,
    );
    await refused(verifyNetworkDirectory(jws.slice(0, jws.length - 5), opts), 'directory_malformed', /truncated/);
    await refused(verifyNetworkDirectory(jws.slice(0, jws.length - 6), opts), 'directory_signature_invalid');
    await refused(verifyNetworkDirectory('', opts), 'directory_malformed');
    const dupHeader = `${Buffer.from('{"alg":"ES256","alg":"ES256","typ":"tnx-directory+jwt","kid":"x"}').toString('base64url')}.${jws.split('.')[1]}.${jws.split('.')[2]}`;
    await refused(verifyNetworkDirectory(dupHeader, opts), 'directory_malformed', /strict JSON/);
  });

  it('refuses duplicate states, duplicate kids, http: endpoints off loopback and schema violations', async () => {
    const base = { alg: 'ES256', typ: 'tnx-directory+jwt', kid: c.key.kid };
    const bad = async (doc: unknown, pattern: RegExp) =>
      refused(verifyNetworkDirectory(signRaw(base, JSON.stringify(doc), c), opts), 'directory_invalid', pattern);
    await bad(document(1, [entry('USA', usa), entry('USA', gbr)]), /states\/1\/state duplicates/);
    await bad(document(1, [entry('USA', usa), entry('GBR', usa)]), /already used by USA/);
    await bad(
      document(1, [{ ...entry('USA', usa), endpoint: 'http://usa.example.org/tnx/v1/messages' }]),
      /endpoint must be an https/,
    );
    await bad({ ...document(1, []), extra: true }, /additional properties/);
    await bad({ ...document(1, []), serial: 0 }, /serial/);
    await bad(
      document(1, [{ ...entry('USA', usa), jwks: { keys: [{ ...usa.keys[0]! }] } }]),
      /additional properties|private/,
    );
    await bad({ ...document(1, []), nextUpdate: new Date(T0 - 1).toISOString() }, /nextUpdate must be later/);
    await bad({ ...document(1, []), network: 'other' }, /network "other"/);
    // https off loopback, http on loopback and a null endpoint are fine.
    const ok = document(1, [
      { ...entry('USA', usa), endpoint: 'https://tnx.usa.example.org/tnx/v1/messages' },
      { ...entry('GBR', gbr), endpoint: null },
    ]);
    assert.equal(validateNetworkDirectory(ok).states.length, 2);
  });

  it('checks key material and validity windows of entries', async () => {
    const k = { ...entry('USA', usa).jwks.keys[0]! };
    assert.throws(
      () => checkEntries([{ ...entry('USA', usa), jwks: { keys: [{ ...k, x: k.y }] } }]),
      /not a valid EC key/,
    );
    const window = { ...k, tnx_not_before: new Date(T0).toISOString(), tnx_not_after: new Date(T0 - 1).toISOString() };
    assert.throws(
      () => checkEntries([{ ...entry('USA', usa), jwks: { keys: [window] } }]),
      /later than tnx_not_before/,
    );
  });
});

describe('directory: protocol/examples/network-directory.json', () => {
  it('is a valid network directory (schema and rules)', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = JSON.parse(
      readFileSync(new URL('../../protocol/examples/directory/network-directory.json', import.meta.url), 'utf8'),
    ) as unknown;
    assert.equal(validateNetworkDirectory(doc).states.length, 4);
  });
});
