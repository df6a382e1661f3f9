/**
 * `tnx directory update --entry … --activate-in-hours H` (in process): the keys a rotation fragment adds
 * are published with `tnx_not_before` = now + H, so partners learn them at once and use them only from
 * then on; keys already held are left as they were; a bad H or H without --entry is a usage error.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { systemClock } from '../../src/core/clock.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { publicJwksOf } from '../../src/domain/keys/files.js';
import { rotateKeySet } from '../../src/domain/keys/rotate.js';
import type { TnxJwk } from '../../src/domain/keys/jwk.js';
import { tempDir } from '../harness/tmp.js';
import { POC } from './fixtures.js';

async function tnx(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(['directory', ...args], {
    out: (l: string) => lines.push(l),
    err: (l: string) => lines.push(l),
  });
  return { code, out: lines.join('\n') };
}

describe('directory: tnx directory update --activate-in-hours', () => {
  it('publishes the keys a fragment adds with tnx_not_before = now + H, and only those', async () => {
    const dir = tempDir('tnx-activate');
    const work = join(dir, 'work.json');
    const keys = await generateKeySet('FRA', systemClock);
    writeFileSync(
      join(dir, 'fra.entry.json'),
      JSON.stringify({
        state: 'FRA',
        name: 'France',
        endpoint: 'https://fra.example.org/tnx/v1/messages',
        pointOfContact: POC,
        jwks: publicJwksOf(keys),
      }),
    );
    assert.equal((await tnx(['init', '--file', work, '--network', 'tnx-test'])).code, 0);
    assert.equal((await tnx(['add', '--file', work, '--entry', join(dir, 'fra.entry.json')])).code, 0);

    const { jwks: rotated, added } = await rotateKeySet(keys, systemClock);
    writeFileSync(join(dir, 'fra.rotation.json'), JSON.stringify({ state: 'FRA', jwks: publicJwksOf(rotated) }));
    const rotation = ['update', '--file', work, '--state', 'FRA', '--entry', join(dir, 'fra.rotation.json')];

    const bad = await tnx([...rotation, '--activate-in-hours', 'soon']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /--activate-in-hours must be a number of hours/);
    const noEntry = await tnx([
      'update',
      '--file',
      work,
      '--state',
      'FRA',
      '--retire',
      keys.keys[0]!.kid,
      '--activate-in-hours',
      '2',
    ]);
    assert.equal(noEntry.code, 2);

    const before = Date.now();
    const ok = await tnx([...rotation, '--activate-in-hours', '2']);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /added FRA-sig-\S+ \(usable from /);
    const w = JSON.parse(readFileSync(work, 'utf8')) as { states: { jwks: { keys: TnxJwk[] } }[] };
    const held = w.states[0]!.jwks.keys;
    for (const k of added) {
      const nb = Date.parse(held.find((x) => x.kid === k.kid)!.tnx_not_before!);
      assert.ok(nb >= before + 2 * 3_600_000 - 1000 && nb <= Date.now() + 2 * 3_600_000 + 1000, `${k.kid} not_before`);
    }
    for (const k of keys.keys) assert.equal(held.find((x) => x.kid === k.kid)!.tnx_not_before, undefined);
  });
});
