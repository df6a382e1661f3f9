/**
 * What a refusal tells the caller, on a real gateway: every schema violation of a body in one problem
 * document (`errors`, bounded, `errorCount` beyond the bound), and the strict-JSON reason behind an
 * envelope refusal (`reason`), while decryption and signature failures stay one indistinguishable answer.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { MAX_FIELD_ERRORS } from '../../src/domain/protocol/schema-errors.js';
import { bearer, bootstrap, inboundNotification, type TestGateway } from '../gateway/bootstrap.js';
import { craft, devPrivateJwks, signRaw } from '../envelope/helpers.js';

const HOUR = 3_600_000;

describe('http: problem members (errors, reason)', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await bootstrap();
  });
  after(async () => gw?.close());

  const submit = (body: unknown) =>
    request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .send(body as object);

  it('lists every schema violation of a submission, each by pointer and rule, never the value', async () => {
    const n = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 72 * HOUR }) as Record<
      string,
      unknown
    >;
    const person = { ...(n.person as Record<string, unknown>), sex: 'Q-secret', dateOfBirth: '31/12/1971' };
    const res = await submit({ ...n, person, nickname: 'Smokey' });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.code, 'invalid_message');
    const errors = res.body.errors as { pointer: string; code: string; detail: string }[];
    // The unknown field is named by the object that holds it (the root): its name is input.
    assert.deepEqual(errors.map((e) => e.pointer).sort(), ['', '/person/dateOfBirth', '/person/sex'].sort());
    for (const e of errors) {
      assert.deepEqual(Object.keys(e).sort(), ['code', 'detail', 'pointer']);
      assert.match(e.code, /^[a-z_]+$/);
    }
    assert.equal(errors.find((e) => e.pointer === '')?.code, 'additional_properties');
    assert.equal(res.body.pointer, errors[0]!.pointer, 'pointer names the first, as before');
    assert.equal(res.body.errorCount, undefined, 'no count when all are listed');
    for (const secret of ['Smokey', 'Q-secret', '31/12/1971']) assert.ok(!res.text.includes(secret), secret);
  });

  it('bounds the list and says how many there were', async () => {
    const n = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 72 * HOUR });
    // Thirty convictions, each with a malformed date: thirty violations at thirty pointers.
    const c = (n.convictions as Record<string, unknown>[])[0]!;
    const convictions = Array.from({ length: 30 }, () => ({ ...c, convictedOn: 'not a date' }));
    const res = await submit({ ...n, convictions });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.errors.length, MAX_FIELD_ERRORS);
    // Every one of the thirty dates breaks at least one rule; the count covers all of them.
    assert.ok(res.body.errorCount >= 30, `errorCount ${res.body.errorCount}`);
  });

  it('an envelope whose signed payload is not strict JSON says why (reason); decryption and signature failures do not', async () => {
    const signer = devPrivateJwks('gbr').keys.find((k) => k.use === 'sig')!;
    const msg = inboundNotification('GBR');
    const claims = { iss: 'GBR', aud: 'USA', jti: randomUUID(), iat: Math.floor(Date.now() / 1000), tnx: msg };
    const payload = JSON.stringify(claims).replace('"aud":"USA"', '"aud":"USA","aud":"THA"');
    const dup = await craft(msg, {
      recipient: 'usa',
      innerJws: signRaw({ alg: signer.alg, typ: 'tnx+jwt', kid: signer.kid }, payload, signer),
    });
    const post = (jwe: string) =>
      request(gw.url).post('/tnx/v1/messages').set('Content-Type', 'application/jose').send(jwe);
    const res = await post(dup);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 'invalid_claims');
    assert.equal(res.body.reason, 'duplicate_property');

    // Signed with another state's key under GBR's kid: the signature fails.
    const forger = devPrivateJwks('fra').keys.find((k) => k.use === 'sig')!;
    const forged = await craft(msg, {
      recipient: 'usa',
      claims: { iss: 'GBR', aud: 'USA' },
      signer: { ...forger, kid: signer.kid },
    });
    // Sealed properly, then one ciphertext character changed: decryption fails.
    const good = await craft(msg, { recipient: 'usa', claims: { iss: 'GBR', aud: 'USA' }, signer });
    const parts = good.split('.');
    parts[3] = (parts[3]![0] === 'A' ? 'B' : 'A') + parts[3]!.slice(1);
    const bodies = [];
    for (const jwe of [forged, parts.join('.')]) {
      const r = await post(jwe);
      assert.equal(r.status, 400, r.text);
      const { instance: _instance, ...rest } = r.body as Record<string, unknown>;
      assert.equal(rest.code, 'envelope_rejected');
      assert.equal(rest.reason, undefined);
      bodies.push(rest);
    }
    assert.deepEqual(bodies[0], bodies[1], 'one answer for both');
  });
});
