/** bindServer: a listener that cannot bind undoes what its caller set up for it (e.g. following the directory's CAs). */
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import { bindServer } from '../../src/http/server.js';

describe('http: binding a listener', () => {
  it('a port already taken: rejects with EADDRINUSE and runs the clean-up it was given', async () => {
    const first = await bindServer(createServer(), 0, '127.0.0.1', 'http');
    const port = Number(new URL(first.url).port);
    let cleaned = 0;
    try {
      await assert.rejects(
        bindServer(createServer(), port, '127.0.0.1', 'http', () => (cleaned += 1)),
        (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE',
      );
      assert.equal(cleaned, 1);
    } finally {
      await first.close();
    }
  });

  it('bound: the clean-up runs once, at close', async () => {
    let cleaned = 0;
    const s = await bindServer(createServer(), 0, '127.0.0.1', 'http', () => (cleaned += 1));
    assert.equal(cleaned, 0);
    await s.close();
    assert.equal(cleaned, 1);
  });
});
