/** The logger's safety net: personal-data fields and credentials are redacted wherever they appear. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, requestId } from '../../src/core/logger.js';
import { example } from '../gateway/bootstrap.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  return {
    lines,
    stream: new Writable({
      write(chunk: Buffer, _e, cb) {
        lines.push(chunk.toString());
        cb();
      },
    }),
  };
}

describe('observability: logger', () => {
  it('redacts a whole message, its person and credentials, keeps references and error messages', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    const n = example('travel-notification.json');
    log.info(
      {
        record: { id: 'r-1', message: n },
        person: n.person,
        req: { headers: { authorization: 'Bearer s3cret' } },
        err: new Error('boom'),
      },
      'x',
    );
    log.info({ tnx: n }, 'y');
    log.info({ message: n, detail: { travel: n.travel } }, 'z');
    const all = lines.join('');
    for (const pd of ['Kuznetsov', 'Oleg', 'P91827364', '1971-03', 'Riverside', 's3cret'])
      assert.ok(!all.includes(pd), `leaks ${pd}`);
    assert.match(all, /"id":"r-1"/);
    assert.match(all, /"message":"boom"/, 'error messages stay readable');
    assert.match(all, /\[redacted\]/);
  });

  it('keeps a safe caller request id and replaces anything else', () => {
    assert.equal(requestId('abc-123-XYZ_9'), 'abc-123-XYZ_9');
    assert.match(requestId('short'), /^[0-9a-f-]{36}$/);
    assert.match(requestId('<img src=x>'), /^[0-9a-f-]{36}$/);
    assert.match(requestId(undefined), /^[0-9a-f-]{36}$/);
  });
});
