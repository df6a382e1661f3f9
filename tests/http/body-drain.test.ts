/**
 * A client that writes its whole body before it reads (most HTTP clients do) must see our 413, not a
 * broken pipe or a reset: a sender treats a network error as retryable while TNX/1 says 413 is not.
 * The gateway reads and discards the rest of an oversize body, up to a bound, before it answers.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { bearer, bootstrap, type TestGateway } from '../gateway/bootstrap.js';

const LIMIT = 1024 * 1024;

interface RawOutcome {
  response: string;
  writeError: string | null;
  readError: string | null;
}

/** Write headers and the whole body, then read: exactly what a naive client does. */
function writeAllThenRead(base: string, headers: string[], body: Buffer): Promise<RawOutcome> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    let writeError: string | null = null;
    let readError: string | null = null;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (readError === null && writeError === null) readError = e.code ?? e.message;
    });
    socket.on('close', () => resolve({ response: Buffer.concat(chunks).toString('latin1'), writeError, readError }));
    socket.on('connect', () => {
      const head = ['POST /api/v1/notifications HTTP/1.1', `Host: ${url.host}`, ...headers, '', ''].join('\r\n');
      socket.write(head);
      // Paced like a real network link: the client is still sending when a hasty server would answer.
      let at = 0;
      const next = (): void => {
        if (at >= body.length || writeError !== null || socket.destroyed) return;
        const piece = body.subarray(at, at + 64 * 1024);
        at += piece.length;
        socket.write(piece, (err) => {
          if (err) writeError = (err as NodeJS.ErrnoException).code ?? err.message;
          else setTimeout(next, 1);
        });
      };
      next();
    });
  });
}

describe('http: oversize bodies are drained before the 413', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await bootstrap({ config: { http: { host: '127.0.0.1', port: 0, bodyLimitBytes: LIMIT } } });
  });
  after(async () => {
    await gw.close();
  });

  const headers = (extra: string[]): string[] => [
    `Authorization: ${bearer('submitter')}`,
    'Content-Type: application/json',
    ...extra,
  ];

  it('a client that writes a 3x-limit body (Content-Length) before reading gets the 413', async () => {
    const body = Buffer.alloc(LIMIT * 3, 0x78);
    const out = await writeAllThenRead(gw.url, headers([`Content-Length: ${body.length}`]), body);
    assert.equal(out.writeError, null, 'no broken pipe while writing');
    assert.match(out.response, /^HTTP\/1\.1 413 /);
    assert.match(out.response, /"code":"payload_too_large"/);
  });

  it('a chunked 3x-limit body is drained too', async () => {
    const data = Buffer.alloc(LIMIT * 3, 0x78);
    const chunked = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n0\r\n\r\n')]);
    const out = await writeAllThenRead(gw.url, headers(['Transfer-Encoding: chunked']), chunked);
    assert.equal(out.writeError, null, 'no broken pipe while writing');
    assert.match(out.response, /^HTTP\/1\.1 413 /);
  });

  it('beyond the drain bound (4x the limit) the connection is closed after the 413', async () => {
    const body = Buffer.alloc(LIMIT * 16, 0x78);
    const out = await writeAllThenRead(gw.url, headers([`Content-Length: ${body.length}`]), body);
    // The gateway must not read 16 MiB for such a client: it answers and closes while the client still sends.
    assert.ok(out.writeError !== null || out.readError !== null, 'the connection closed mid-body');
    const health = await fetch(`${gw.url}/healthz`);
    assert.equal(health.status, 200, 'the gateway keeps serving');
  });
});
