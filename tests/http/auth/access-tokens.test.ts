/**
 * OAuth 2.0 JWT access tokens on /api/v1/*, issued by a real node-oidc-provider through the
 * client-credentials grant. Valid tokens pass with their mapped role and name `oauth:<client_id>` in
 * the audit trail; expired, wrong-audience, wrong-issuer, unmapped-role, unsigned (`alg: none`),
 * forged and self-keyed tokens are all the same 401. Only the refused cases are crafted by hand.
 */
import assert from 'node:assert/strict';
import { CompactSign, decodeJwt, importJWK, type JWK } from 'jose';
import request from 'supertest';
import { ManualClock } from '../../../src/core/clock.js';
import { bearer, bootstrap, secretOf, TOKEN_IDS, type TestGateway } from '../../gateway/bootstrap.js';
import { sha256Hex } from '../../../src/http/auth.js';
import { AUDIENCE, signingKey, startIssuer, type TestClient, type TestIssuer } from './issuer.js';

const AUDITOR: TestClient = { id: 'usa-audit-system', secret: 'a'.repeat(43), role: 'tnx-auditors' };
const NMS: TestClient = { id: 'usa-nms', secret: 'n'.repeat(43), role: 'tnx-submitters' };
const STRANGER: TestClient = { id: 'usa-other', secret: 'o'.repeat(43), role: 'payroll' };

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

describe('http/auth: OAuth 2.0 JWT access tokens', () => {
  let key: JWK;
  let idp: TestIssuer;
  let otherIdp: TestIssuer;
  let gw: TestGateway;
  const clock = new ManualClock(Date.now());

  before(async () => {
    key = await signingKey();
    idp = await startIssuer([AUDITOR, NMS, STRANGER], key);
    // Same signing key, another issuer name: only the `iss` check can refuse its tokens.
    otherIdp = await startIssuer([AUDITOR], key);
    gw = await bootstrap({
      clock,
      config: {
        auth: {
          tokens: TOKEN_IDS.map((id) => ({
            id,
            role: id === 'submitter2' ? 'submitter' : id,
            sha256: sha256Hex(secretOf(id)),
          })),
          oauth: {
            issuer: idp.issuer,
            jwksUri: idp.jwksUri,
            audience: AUDIENCE,
            clockToleranceSeconds: 0,
            roles: { 'tnx-auditors': 'auditor', 'tnx-submitters': 'submitter' },
          },
        },
      },
    });
  });
  after(async () => {
    await gw?.close();
    await idp?.close();
    await otherIdp?.close();
  });
  beforeEach(() => clock.set(Date.now()));

  const audit = (authorization: string) => request(gw.url).get('/api/v1/audit').set('Authorization', authorization);

  async function refused(token: string, what: string): Promise<void> {
    const res = await audit(`Bearer ${token}`);
    assert.equal(res.status, 401, what);
    assert.equal(res.body.code, 'unauthenticated', what);
    assert.equal(res.body.detail, 'a valid bearer token is required', `${what}: one message for every failure`);
  }

  it('admits a valid token with the mapped role and records oauth:<client_id> as the actor', async () => {
    const token = await idp.token(AUDITOR);
    const res = await audit(`Bearer ${token}`);
    assert.equal(res.status, 200);
    const trail = await request(gw.url)
      .get('/api/v1/audit')
      .query({ actor: `oauth:${AUDITOR.id}`, action: 'audit.queried' })
      .set('Authorization', bearer('auditor'));
    assert.equal(trail.status, 200);
    assert.equal(trail.body.items.length, 1);
    assert.equal(trail.body.items[0].actor, 'oauth:usa-audit-system');
  });

  it('maps the role claim: a submitter token is 403 on the audit route, not 401', async () => {
    const res = await audit(`Bearer ${await idp.token(NMS)}`);
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'forbidden');
  });

  it('keeps the static hashed tokens working beside OAuth', async () => {
    assert.equal((await audit(bearer('auditor'))).status, 200);
  });

  it('refuses a role claim that maps to no TNX role', async () => {
    await refused(await idp.token(STRANGER), 'unmapped role');
  });

  it('refuses an expired token', async () => {
    const token = await idp.token(AUDITOR);
    clock.set(((decodeJwt(token).exp as number) + 1) * 1000);
    await refused(token, 'expired');
  });

  it('refuses a token for another audience', async () => {
    await refused(await idp.token(AUDITOR, 'https://other.tnx.test/api'), 'wrong audience');
  });

  it('refuses a token from another issuer even when its signature verifies', async () => {
    await refused(await otherIdp.token(AUDITOR), 'wrong issuer');
  });

  it('refuses unsigned and alg:none tokens', async () => {
    const real = await idp.token(AUDITOR);
    const payload = real.split('.')[1];
    await refused(`${b64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`, 'alg none');
    await refused(`${b64url({ alg: 'none', typ: 'at+jwt', kid: key.kid })}.${payload}.`, 'alg none with kid');
    await refused(`${real.split('.').slice(0, 2).join('.')}.`, 'signature stripped');
  });

  it('refuses a forged token: claims changed under a real signature', async () => {
    const [h, p, s] = (await idp.token(NMS)).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    await refused(`${h}.${b64url({ ...claims, tnx_role: 'tnx-auditors' })}.${s}`, 'forged claims');
  });

  it('refuses a token that names its own key, even when signed with the issuer key', async () => {
    const claims = decodeJwt(await idp.token(AUDITOR));
    const { d: _d, ...publicJwk } = key;
    const signed = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid!, jwk: publicJwk })
      .sign(await importJWK(key, 'ES256'));
    await refused(signed, 'embedded jwk header');
  });

  it('refuses an ID-token-typed JWT signed by the issuer (typ must be at+jwt)', async () => {
    const claims = decodeJwt(await idp.token(AUDITOR));
    const signed = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid! })
      .sign(await importJWK(key, 'ES256'));
    await refused(signed, 'typ JWT');
  });
});
