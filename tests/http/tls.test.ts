/**
 * HTTPS and mTLS with certificates made by openssl in the test: TLS 1.2 floor, 1.3 preferred; the
 * inbox admits a partner's message only over that partner's certificate (CA-chained or pinned).
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import {
  bootstrap,
  inboundNotification,
  partnerSealer,
  type PartnerSealer,
  type TestGateway,
} from '../gateway/bootstrap.js';
import { certDir, makeCa, makeIntermediate, makeLeaf, makeSelfSigned, type Pem } from './certs.js';
import { ClientCertVerifier } from '../../src/http/tls.js';
import { isTnxError } from '../../src/core/errors.js';
import { systemClock } from '../../src/core/clock.js';

interface Answer {
  status: number;
  body: string;
  protocol: string | null;
}

function call(url: string, path: string, opts: RequestOptions & { body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, url),
      { method: opts.body === undefined ? 'GET' : 'POST', ...opts },
      (res) => {
        const chunks: Buffer[] = [];
        const protocol = (res.socket as TLSSocket).getProtocol();
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), protocol }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('http: HTTPS and mTLS', () => {
  let dir: string;
  let serverCa: Pem;
  let server: Pem;
  let thaCa: Pem;
  let thaClient: Pem;
  let gbrClient: Pem;
  let stranger: Pem;
  let gw: TestGateway;
  let tha: PartnerSealer;
  let gbr: PartnerSealer;

  before(async function () {
    this.timeout(60_000);
    dir = certDir();
    serverCa = makeCa(dir, 'server-ca');
    server = makeLeaf(dir, 'gateway', serverCa, 'serverAuth', 'IP:127.0.0.1');
    thaCa = makeCa(dir, 'tha-ca');
    thaClient = makeLeaf(dir, 'tha-client', thaCa, 'clientAuth');
    gbrClient = makeSelfSigned(dir, 'gbr-client');
    stranger = makeSelfSigned(dir, 'stranger');
    gw = await bootstrap({
      config: {
        http: {
          host: '127.0.0.1',
          port: 0,
          tls: { certPath: server.certPath, keyPath: server.keyPath, requireClientCert: true },
        },
      },
      partnerTls: {
        THA: { clientCaPath: thaCa.certPath },
        GBR: { clientCertSha256: new X509Certificate(gbrClient.cert).fingerprint256 },
      },
    });
    tha = await partnerSealer('THA');
    gbr = await partnerSealer('GBR');
  });
  after(async () => {
    await gw.close();
  });

  const inbox = (client: Pem | null, jwe: string, extra: RequestOptions = {}) =>
    call(gw.url, '/tnx/v1/messages', {
      ca: serverCa.cert,
      headers: { 'Content-Type': 'application/jose' },
      body: jwe,
      ...(client ? { cert: client.cert, key: client.key } : {}),
      ...extra,
    });

  it('serves HTTPS and negotiates TLS 1.3 when offered', async () => {
    assert.match(gw.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await call(gw.url, '/healthz', { ca: serverCa.cert });
    assert.equal(res.status, 200);
    assert.equal(res.protocol, 'TLSv1.3');
  });

  it('accepts TLS 1.2 and refuses TLS 1.1', async () => {
    const v12 = await call(gw.url, '/healthz', { ca: serverCa.cert, maxVersion: 'TLSv1.2' });
    assert.equal(v12.protocol, 'TLSv1.2');
    await assert.rejects(call(gw.url, '/healthz', { ca: serverCa.cert, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }));
  });

  it('the local API does not need a client certificate', async () => {
    const res = await call(gw.url, '/readyz', { ca: serverCa.cert });
    assert.equal(res.status, 200);
  });

  it('admits a partner over a certificate chaining to its CA', async () => {
    const { jwe } = await tha.seal(inboundNotification('THA'));
    const res = await inbox(thaClient, jwe);
    assert.equal(res.status, 200, res.body);
  });

  it('admits a partner over its pinned certificate', async () => {
    const { jwe } = await gbr.seal(inboundNotification('GBR'));
    const res = await inbox(gbrClient, jwe);
    assert.equal(res.status, 200, res.body);
  });

  it("refuses a partner presenting ANOTHER partner's certificate (sender_mismatch), nothing stored", async () => {
    const { jwe, jti } = await tha.seal(inboundNotification('THA'));
    const res = await inbox(gbrClient, jwe);
    assert.equal(res.status, 403);
    assert.equal((JSON.parse(res.body) as { code: string }).code, 'sender_mismatch');
    assert.equal(await gw.ctx.store.inbound.getByJti('THA', jti), null);
  });

  it('refuses the inbox without a client certificate, or with an unknown one (unauthenticated)', async () => {
    const { jwe } = await tha.seal(inboundNotification('THA'));
    for (const client of [null, stranger]) {
      const res = await inbox(client, jwe);
      assert.equal(res.status, 401);
      assert.equal((JSON.parse(res.body) as { code: string }).code, 'unauthenticated');
    }
  });

  it('refuses certificates of the partner CA that were not made for a TLS client (unauthenticated)', async () => {
    const cases: [string, Pem][] = [
      ['a server-only certificate', makeLeaf(dir, 'tha-server-only', thaCa, 'serverAuth', 'IP:127.0.0.1')],
      ['the CA certificate itself', thaCa],
      [
        'a client certificate whose key usage forbids signing',
        makeLeaf(dir, 'tha-no-sign', thaCa, 'clientAuth', undefined, 'keyUsage=critical,keyEncipherment\n'),
      ],
    ];
    for (const [what, client] of cases) {
      const { jwe, jti } = await tha.seal(inboundNotification('THA'));
      const res = await inbox(client, jwe);
      assert.equal(res.status, 401, what);
      assert.equal((JSON.parse(res.body) as { code: string }).code, 'unauthenticated', what);
      assert.equal(await gw.ctx.store.inbound.getByJti('THA', jti), null, what);
    }
    // The same CA's proper client certificate, with an explicit digitalSignature usage, is admitted.
    const ok = makeLeaf(dir, 'tha-sign', thaCa, 'clientAuth', undefined, 'keyUsage=critical,digitalSignature\n');
    const { jwe } = await tha.seal(inboundNotification('THA'));
    assert.equal((await inbox(ok, jwe)).status, 200);
  });

  it('admits a chain through an intermediate CA sent by the client', async () => {
    const inter = makeIntermediate(dir, 'tha-intermediate', thaCa);
    const leaf = makeLeaf(dir, 'tha-client-2', inter, 'clientAuth');
    const { jwe } = await tha.seal(inboundNotification('THA'));
    const res = await inbox({ ...leaf, cert: Buffer.concat([leaf.cert, inter.cert]) }, jwe);
    assert.equal(res.status, 200, res.body);
    // without the intermediate the chain does not reach the THA CA
    const { jwe: jwe2 } = await tha.seal(inboundNotification('THA'));
    assert.equal((await inbox(leaf, jwe2)).status, 401);
  });

  it('refuses a directory whose client CA file is missing, naming the partner (config_invalid)', () => {
    assert.throws(
      () =>
        new ClientCertVerifier(
          [{ ...gw.config.directory.partners[0]!, tls: { clientCaPath: '/nonexistent/ca.pem' } }],
          systemClock,
        ),
      (err: unknown) => isTnxError(err, 'config_invalid'),
    );
  });
});
