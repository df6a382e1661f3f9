/**
 * CLI conventions of every `tnx` command: `--help` exits 0, an unknown option is a usage error
 * (exit 2), `--version` prints package.json's version. The command list is read from `tnx --help`
 * itself, so a command added later is covered without touching this file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { ROOT, tnx } from './keys-spawn.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The names under "Commands:" in a help text, without commander's own `help`. */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

describe('cli: conventions of every command', function () {
  this.timeout(60_000);
  let leaves: string[][] = [];

  before(async () => {
    const top = await run(['--help']);
    assert.equal(top.code, 0);
    const groups = commandsIn(top.out);
    assert.ok(groups.length >= 8, `commands listed: ${groups.join(', ')}`);
    for (const g of groups) {
      const sub = commandsIn((await run([g, '--help'])).out);
      leaves = leaves.concat(sub.length > 0 ? sub.map((s) => [g, s]) : [[g]]);
    }
  });

  it('lists the exit codes in `tnx --help`', async () => {
    const r = await run(['--help']);
    assert.match(r.out, /Exit codes: 0 success, 1 failure .*, 2 usage error/);
  });

  it('`--help` on every command and sub-command exits 0 with its usage and options', async () => {
    assert.ok(leaves.length >= 15, `commands found: ${leaves.map((l) => l.join(' ')).join(', ')}`);
    for (const path of leaves) {
      const r = await run([...path, '--help']);
      assert.equal(r.code, 0, `${path.join(' ')} --help: ${r.err}`);
      assert.match(r.out, new RegExp(`^Usage: tnx ${path.join(' ')} `, 'm'), path.join(' '));
      assert.match(r.out, /--help/);
    }
    assert.equal((await run(['help', 'keys'])).code, 0);
  });

  it('an unknown option is a usage error (exit 2) on every command, naming the option only', async () => {
    for (const path of leaves) {
      const r = await run([...path, '--no-such-option=secret-value']);
      assert.equal(r.code, 2, `${path.join(' ')}: ${r.err}`);
      assert.match(r.err, /unknown option '--no-such-option/);
      assert.ok(!r.err.includes('secret-value'), 'the value typed is not echoed');
      assert.match(r.err, /^usage: tnx /m, 'the usage text follows');
    }
  });

  it('an unknown command, a group without its sub-command, and no command at all exit 2', async () => {
    assert.equal((await run(['frobnicate'])).code, 2);
    assert.equal((await run(['keys'])).code, 2);
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['keys', 'generate', 'stray'])).code, 2);
  });

  it('the real binary: --version prints the package version (exit 0); usage errors exit 2', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const v = tnx(['--version']);
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout.trim(), version);
    assert.equal(tnx(['serve', '--bogus']).status, 2);
    const help = tnx(['token', 'create', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--role <ROLE>/);
  });
});
