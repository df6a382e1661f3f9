/**
 * `tnx registry import FILE` end to end: the command sends the file in parts to a real gateway over
 * HTTP, reports the file's line numbers for refused lines, and a second run finds everything unchanged.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listen, type RunningServer } from '../../src/http/server.js';
import { main } from '../../src/cli/main.js';

const run = (args: string[], io: Parameters<typeof main>[1]): Promise<number> => main(['registry', ...args], io);
import { nationalGateway, secretOf, type NationalGateway } from '../national/setup.js';
import { registrantBody } from '../national/samples.js';

describe('tnx registry import', function () {
  this.timeout(60_000);
  let gw: NationalGateway;
  let server: RunningServer;
  before(async () => {
    gw = await nationalGateway();
    server = await listen(gw.app, gw.config);
  });
  after(async () => {
    await server.close();
    await gw.close();
  });

  it('imports a file in parts, names refused lines by file line, and re-imports as unchanged', async () => {
    const lines = Array.from({ length: 7 }, (_, i) =>
      JSON.stringify({ ...registrantBody(), externalReference: `cli-${i}` }),
    );
    lines[4] = '{"broken';
    const file = join(gw.dir, 'registrants.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const args = ['import', file, '--url', server.url, '--token', secretOf('registry'), '--batch', '3'];
    assert.equal(await run(args, io), 1, 'a refused line makes the exit status 1');
    assert.match(out[0]!, /^imported 7 lines in 3 requests: 6 created, 0 updated, 0 unchanged, 1 refused$/);
    assert.deepEqual(out.slice(1), ['line 5: malformed_json']);

    out.length = 0;
    lines[4] = JSON.stringify({ ...registrantBody(), externalReference: 'cli-4' });
    writeFileSync(file, `${lines.join('\n')}\n`);
    assert.equal(await run(args, io), 0);
    assert.match(out[0]!, /1 created, 0 updated, 6 unchanged, 0 refused$/);
  });

  it('is a usage error without a file, URL or token', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    assert.equal(await run(['import'], io), 2);
    assert.equal(await run(['export', 'x'], io), 2);
  });
});
