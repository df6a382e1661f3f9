/**
 * `tnx config check` on a gateway that follows a network directory: it names the URL and its
 * transport, the trust anchors by kid, and the state of the last good copy on disk (none, verified —
 * with serial and whether our own keys are listed — or not verifying, which start-up would ignore).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { writePrivateJwksFile } from '../../src/domain/keys/files.js';
import { systemClock } from '../../src/core/clock.js';
import { tempDir } from '../harness/tmp.js';
import { coordinator, document, entry, POC, sign } from './fixtures.js';

async function check(configPath: string): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(['config', 'check', '--config', configPath], {
    out: (l: string) => lines.push(l),
    err: (l: string) => lines.push(l),
  });
  return { code, out: lines.join('\n') };
}

describe('directory: tnx config check reports the network directory settings', () => {
  it('names URL, anchors and the last good copy: none, verified, not verifying', async () => {
    const dir = tempDir('tnx-netcheck');
    const c = await coordinator();
    writeFileSync(join(dir, 'anchors.json'), JSON.stringify(c.public));
    const keys = await generateKeySet('USA', systemClock);
    writePrivateJwksFile(join(dir, 'usa.private.jwks.json'), keys, { overwrite: true });
    const statePath = join(dir, 'directory.jws');
    const configPath = join(dir, 'usa.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        state: 'USA',
        pointOfContact: POC,
        keys: { privateJwksPath: 'usa.private.jwks.json' },
        store: { kind: 'sqlite', sqlitePath: 'usa.sqlite' },
        directory: {
          network: {
            url: 'https://directory.example.org/tnx-test/directory.jws',
            name: 'tnx-test',
            trustAnchorsPath: 'anchors.json',
            statePath: 'directory.jws',
          },
        },
      }),
    );
    const none = await check(configPath);
    assert.equal(none.code, 0);
    assert.match(
      none.out,
      /network directory tnx-test {2}url=https:\/\/directory\.example\.org\/tnx-test\/directory\.jws {2}https/,
    );
    assert.match(none.out, new RegExp(`trust anchors .*${c.key.kid} \\(ES256\\)`));
    assert.match(none.out, /last good copy .*: none yet/);

    const now = Date.now();
    writeFileSync(
      statePath,
      await sign(
        document(7, [entry('USA', keys), entry('THA', await generateKeySet('THA', systemClock))], now - 1000),
        c,
      ),
    );
    const held = await check(configPath);
    assert.match(
      held.out,
      /last good copy .*: serial 7 signed by coordinator-sig-\S+, issued .*, current .*, 2 states/,
    );
    assert.match(held.out, /our entry USA: lists every key we hold/);

    writeFileSync(statePath, 'not.a.jws');
    const bad = await check(configPath);
    assert.equal(bad.code, 0);
    assert.match(bad.out, /WARNING last good copy .*: does not verify \(directory_malformed\); it will be ignored/);
  });
});
