/**
 * Connection-level limits on a real HTTPS listener (certificates made with openssl): a handshake that
 * never starts is cut after http.handshakeTimeoutMs, sockets beyond http.maxConnections are closed at
 * once, HTTPS responses carry HSTS, and a 401 says how to authenticate (RFC 6750 §3).
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { until } from '../harness/poll.js';
import { bootstrap, type TestGateway } from '../gateway/bootstrap.js';
import { certDir, makeCa, makeLeaf, type Pem } from '../http/certs.js';

function get(
  url: string,
  path: string,
  ca: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(new URL(path, url), { ca, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function open(port: number): Promise<{ socket: Socket; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let closed = false;
    const socket = connect(port, '127.0.0.1', () => resolve({ socket, closed: () => closed }));
    socket.on('close', () => (closed = true));
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

describe('security: TLS connection limits, HSTS, WWW-Authenticate', function () {
  this.timeout(60_000);
  let gw: TestGateway;
  let ca: Pem;
  let port: number;

  before(async () => {
    const dir = certDir();
    ca = makeCa(dir, 'server-ca');
    const server = makeLeaf(dir, 'gateway', ca, 'serverAuth', 'IP:127.0.0.1');
    gw = await bootstrap({
      config: {
        http: {
          host: '127.0.0.1',
          port: 0,
          tls: { certPath: server.certPath, keyPath: server.keyPath },
          handshakeTimeoutMs: 1500,
          maxConnections: 16,
        },
      },
    });
    port = Number(new URL(gw.url).port);
  });
  after(() => gw.close());

  it('closes a connection that never starts the TLS handshake within handshakeTimeoutMs', async () => {
    const { socket, closed } = await open(port);
    const t0 = Date.now();
    try {
      await until('the silent connection to be closed', closed, 10_000);
      assert.ok(Date.now() - t0 >= 1000, 'not before the timeout');
    } finally {
      socket.destroy();
    }
  });

  it('closes sockets beyond maxConnections at once, while the others stay open', async () => {
    const held = await Promise.all(Array.from({ length: 16 }, () => open(port)));
    try {
      const extra = await open(port);
      await until('the 17th connection to be closed', extra.closed, 1000);
      assert.ok(
        held.every((h) => !h.closed()),
        'the 16 held connections were still open when the 17th was refused',
      );
    } finally {
      for (const h of held) h.socket.destroy();
    }
    await until('the held connections to be gone', () => held.every((h) => h.closed()));
  });

  it('HTTPS responses carry Strict-Transport-Security', async () => {
    const res = await get(gw.url, '/healthz', ca.cert);
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
  });

  it('a 401 carries WWW-Authenticate: Bearer, with error="invalid_token" when a token was presented', async () => {
    const none = await get(gw.url, '/api/v1/notifications', ca.cert);
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="tnx"');
    const wrong = await get(gw.url, '/api/v1/notifications', ca.cert, { authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="tnx", error="invalid_token"');
  });
});
