/**
 * TLS from the signed network directory, with certificates made by openssl in the test:
 *   - a sender verifies a partner's inbox certificate against the CA its directory entry carries
 *     (`tls.caPem`): refused (and retried) while the entry has no CA, delivered — without a restart —
 *     once the coordinator publishes the CA;
 *   - an inbox that requires mTLS admits a partner's client certificate by the pin or client CA in the
 *     CURRENT directory entry: admitted, then refused after the coordinator drops the pin, then admitted
 *     by a client CA published in a later issue;
 *   - that inbox's CertificateRequest names the client CAs of the CURRENT directory (as `openssl
 *     s_client` reads them off the wire), so a client holding several certificates picks the right
 *     one: a CA the coordinator publishes is advertised, one it replaces or drops is not, no restart.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { until } from '../harness/poll.js';
import { tempDir } from '../harness/tmp.js';
import { certDir, makeCa, makeLeaf, type Pem } from '../http/certs.js';
import { Network } from './network-harness.js';

function post(url: string, client: Pem, ca: Pem): Promise<{ status: number; code: string | null }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL('/tnx/v1/messages', url),
      {
        method: 'POST',
        cert: client.cert,
        key: client.key,
        ca: ca.cert,
        headers: { 'content-type': 'application/jose' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let code: string | null;
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString()) as { code?: string }).code ?? null;
          } catch {
            code = null;
          }
          resolve({ status: res.statusCode ?? 0, code });
        });
      },
    );
    req.on('error', reject);
    req.end('a.b.c.d.e');
  });
}

/** The client CA names a TLS server sends in its CertificateRequest, read by `openssl s_client`. */
function advertisedClientCas(url: string): Promise<string[]> {
  const { host } = new URL(url);
  return new Promise((resolve, reject) => {
    const child = execFile('openssl', ['s_client', '-connect', host], { timeout: 15_000 }, (err, stdout) => {
      const lines = stdout.split('\n');
      const at = lines.indexOf('Acceptable client certificate CA names');
      if (at < 0) {
        if (lines.includes('No client certificate CA names sent')) resolve([]);
        else reject(err ?? new Error(`no CertificateRequest seen: ${stdout.slice(0, 300)}`));
        return;
      }
      const names: string[] = [];
      for (const l of lines.slice(at + 1)) {
        const m = /^CN ?= ?(.+)$/.exec(l.trim());
        if (!m) break;
        names.push(m[1]!);
      }
      resolve(names);
    });
    child.stdin?.end();
  });
}

describe('directory: TLS trust comes from the live network directory', function () {
  this.timeout(120_000);
  const net = new Network(tempDir('tnx-nettls'), 1);
  let dir: string;
  let thaCa: Pem;
  let thaServer: Pem;
  let gbrCa: Pem;
  let gbrServer: Pem;
  let usaClientCa: Pem;
  let usaClient: Pem;

  before(async function () {
    this.timeout(120_000);
    dir = certDir();
    thaCa = makeCa(dir, 'tha-ca');
    thaServer = makeLeaf(dir, 'tha-server', thaCa, 'serverAuth', 'IP:127.0.0.1');
    gbrCa = makeCa(dir, 'gbr-ca');
    gbrServer = makeLeaf(dir, 'gbr-server', gbrCa, 'serverAuth', 'IP:127.0.0.1');
    usaClientCa = makeCa(dir, 'usa-client-ca');
    usaClient = makeLeaf(dir, 'usa-client', usaClientCa, 'clientAuth');
    await net.start();
    for (const s of ['USA', 'THA', 'GBR']) await net.addState(s);
    const tha = net.states.get('THA')!;
    tha.extra = { endpoint: `https://127.0.0.1:${tha.port}/tnx/v1/messages` };
    const gbr = net.states.get('GBR')!;
    gbr.extra = { endpoint: `https://127.0.0.1:${gbr.port}/tnx/v1/messages` };
    const usa = net.states.get('USA')!;
    usa.extra = {
      tls: { clientCertSha256: new X509Certificate(usaClient.cert).fingerprint256 },
    };
    await net.publish();
    await net.startGateway('USA');
    await net.startGateway('THA', { http: { tls: { certPath: thaServer.certPath, keyPath: thaServer.keyPath } } });
    await net.startGateway('GBR', {
      http: { tls: { certPath: gbrServer.certPath, keyPath: gbrServer.keyPath, requireClientCert: true } },
    });
  });
  after(async function () {
    this.timeout(60_000);
    await net.stop();
  });

  it("verifies the partner's server certificate with the CA its directory entry carries", async () => {
    const sent = { from: 'USA', id: await net.send('USA', 'THA') };
    const usa = net.gateway('USA');
    // No CA in the entry: the certificate chains to nothing public, the attempt fails and is retried.
    const retrying = await until('refused TLS, retrying', async () => {
      const r = await usa.ctx.store.outbound.get(sent.id);
      return r?.state === 'retrying' ? r : null;
    });
    assert.match(retrying.lastError ?? '', /CERT|SIGNATURE|ISSUER|SELF_SIGNED/);
    // The coordinator publishes THA's CA: the next attempt trusts it, no restart, no local edit.
    net.states.get('THA')!.extra!.tls = { caPem: thaCa.cert.toString('utf8') };
    await net.publish();
    const done = await until(
      'delivered over the directory CA',
      async () => {
        const r = await usa.ctx.store.outbound.get(sent.id);
        return r && r.state !== 'retrying' && r.state !== 'delivering' && r.state !== 'queued' ? r : null;
      },
      20_000,
    );
    assert.equal(done.state, 'delivered');
  });

  it("admits a partner's client certificate by its CURRENT directory entry: pin, none, client CA", async () => {
    const gbrUrl = net.gateway('GBR').url!;
    const gbr = net.gateway('GBR');
    const admitted = await post(gbrUrl, usaClient, gbrCa);
    assert.notEqual(admitted.code, 'unauthenticated');
    assert.ok(admitted.status >= 400 && admitted.status !== 401, `status ${admitted.status}`);

    // The coordinator drops USA's pin: within one refresh the same certificate is refused.
    const usa = net.states.get('USA')!;
    usa.extra = {};
    const serial = await net.publish();
    await until('GBR applied the issue', () => gbr.ctx.network!.status().serial === serial);
    const refused = await post(gbrUrl, usaClient, gbrCa);
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'unauthenticated');

    // A client CA in a later issue admits the certificate again.
    usa.extra = { tls: { clientCaPem: usaClientCa.cert.toString('utf8') } };
    const again = await net.publish();
    await until('GBR applied the next issue', () => gbr.ctx.network!.status().serial === again);
    const chained = await post(gbrUrl, usaClient, gbrCa);
    assert.notEqual(chained.code, 'unauthenticated');
    assert.notEqual(chained.status, 401);
  });

  it('advertises the client CAs of the CURRENT directory in its CertificateRequest, no restart', async () => {
    const gbr = net.gateway('GBR');
    const usa = net.states.get('USA')!;
    const fra = await net.addState('FRA');
    const fraClientCa = makeCa(dir, 'fra-client-ca');
    const usaClientCa2 = makeCa(dir, 'usa-client-ca-2');
    const publishAndWait = async (): Promise<void> => {
      const serial = await net.publish();
      await until('GBR applied the issue', () => gbr.ctx.network!.status().serial === serial);
    };

    usa.extra = { tls: { clientCaPem: usaClientCa.cert.toString('utf8') } };
    fra.extra = { tls: { clientCaPem: fraClientCa.cert.toString('utf8') } };
    await publishAndWait();
    assert.deepEqual((await advertisedClientCas(gbr.url!)).sort(), ['fra-client-ca', 'usa-client-ca']);

    // USA's client CA replaced, FRA's dropped: the next handshake names exactly what the issue lists.
    usa.extra = { tls: { clientCaPem: usaClientCa2.cert.toString('utf8') } };
    fra.extra = {};
    await publishAndWait();
    assert.deepEqual(await advertisedClientCas(gbr.url!), ['usa-client-ca-2']);

    // A pin alone names no CA: none is advertised, and the pinned certificate is still admitted.
    usa.extra = { tls: { clientCertSha256: new X509Certificate(usaClient.cert).fingerprint256 } };
    await publishAndWait();
    assert.deepEqual(await advertisedClientCas(gbr.url!), []);
    const pinned = await post(gbr.url!, usaClient, gbrCa);
    assert.notEqual(pinned.status, 401);
  });
});
