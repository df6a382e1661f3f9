/** A path id with a broken percent-escape: a typed 400 before authentication, and no raw path in the logs. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { request } from 'undici';
import { createLogger } from '../../src/core/logger.js';
import { bootstrap, type TestGateway } from '../gateway/bootstrap.js';

describe('security: malformed percent-escapes in the path', function () {
  this.timeout(60_000);
  const lines: string[] = [];
  let gw: TestGateway;

  before(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    gw = await bootstrap({ log: createLogger({ level: 'debug' }, stream) });
  });
  after(() => gw.close());

  const cases = [
    ['/api/v1/notifications/MARKERzq%FF', 'getNotification'],
    ['/api/v1/notifications/MARKERzq%E0%A4%A/message', 'readNotificationMessage'],
  ] as const;
  for (const [path, route] of cases) {
    it(`${path.replace('MARKERzq', '…')} → 400 malformed_path, logged by route name only`, async () => {
      const res = await request(gw.url + path);
      const text = await res.body.text();
      assert.equal(res.statusCode, 400);
      const body = JSON.parse(text) as { code: string };
      assert.equal(body.code, 'malformed_path');
      assert.ok(!text.includes('MARKERzq'), 'the problem document does not echo the path');
      const log = lines.join('');
      assert.ok(!log.includes('MARKERzq'), 'no log line carries the raw path');
      assert.match(log, new RegExp(`"route":"${route}"[^\\n]*"status":400[^\\n]*"code":"malformed_path"`));
    });
  }
});
