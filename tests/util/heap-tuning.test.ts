import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  applyServeHeapDefaults,
  planServeHeap,
  serveHeapFlags,
  SERVE_HEAP_GROWING_PERCENT,
  SERVE_MAX_SEMI_SPACE_MB,
} from '../../src/runtime/heap-tuning.js';

const GROWING = `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`;
const SEMI = `--max-semi-space-size=${SERVE_MAX_SEMI_SPACE_MB}`;
const NODE20_V8 = '11.3.244.8-node.38';
const NODE24_V8 = '13.6.233.17-node.63';

/** Stands for process.execve in tests: records the call and, like the real one, does not return. */
class Replaced extends Error {
  constructor(
    readonly file: string,
    readonly args: readonly string[],
  ) {
    super('process image replaced');
  }
}
const execve = (file: string, args: readonly string[]): never => {
  throw new Replaced(file, args);
};

describe('tnx serve heap defaults (src/runtime/heap-tuning.ts)', () => {
  it('caps old-generation growth on every V8, and the young generation where V8 12+ lets it reach 64 MB', () => {
    assert.deepEqual(serveHeapFlags(NODE20_V8), [GROWING]);
    assert.deepEqual(serveHeapFlags('12.4.254.21-node.33'), [SEMI, GROWING]);
    assert.deepEqual(serveHeapFlags(NODE24_V8), [SEMI, GROWING]);
  });

  it('on Node 20 sets the growing percent at run time, without a restart', () => {
    const set: string[] = [];
    const r = applyServeHeapDefaults({
      execArgv: ['--import', 'tsx'],
      nodeOptions: '--enable-source-maps',
      v8Version: NODE20_V8,
      set: (f) => set.push(f),
      execve,
    });
    assert.deepEqual(r, { flags: [GROWING], missing: [] });
    assert.deepEqual(set, [GROWING]);
  });

  it('on Node 24 restarts in place with both flags after Node’s own options and before the script', () => {
    const set: string[] = [];
    let replaced: Replaced | undefined;
    try {
      applyServeHeapDefaults({
        execArgv: ['--import', 'tsx'],
        nodeOptions: '--enable-source-maps',
        v8Version: NODE24_V8,
        argv: ['/usr/bin/node', '/srv/tnx/bin/tnx.mjs', 'serve', '--config', 'c.json'],
        set: (f) => set.push(f),
        execve,
      });
    } catch (err) {
      if (!(err instanceof Replaced)) throw err;
      replaced = err;
    }
    assert.ok(replaced, 'the process restarts');
    assert.equal(replaced.file, process.execPath);
    assert.deepEqual(replaced.args, [
      process.execPath,
      '--import',
      'tsx',
      SEMI,
      GROWING,
      '/srv/tnx/bin/tnx.mjs',
      'serve',
      '--config',
      'c.json',
    ]);
    assert.deepEqual(set, [], 'nothing is set in the image that is replaced');
  });

  it('the restarted process finds its flags in force and neither sets nor restarts again', () => {
    const set: string[] = [];
    const r = applyServeHeapDefaults({
      execArgv: ['--import', 'tsx', SEMI, GROWING],
      nodeOptions: '',
      v8Version: NODE24_V8,
      set: (f) => set.push(f),
      execve,
    });
    assert.deepEqual(r, { flags: [SEMI, GROWING], missing: [] });
    assert.deepEqual(set, []);
  });

  it('a Node 22 without process.execve gets the run-time flag and says what is missing', () => {
    const set: string[] = [];
    const r = applyServeHeapDefaults({
      execArgv: [],
      nodeOptions: '',
      v8Version: '12.4.254.21-node.33',
      set: (f) => set.push(f),
      execve: null,
    });
    assert.deepEqual(r, { flags: [GROWING], missing: [SEMI] });
    assert.deepEqual(set, [GROWING]);
  });

  for (const [where, execArgv, nodeOptions] of [
    ['command line', ['--max-old-space-size=512'], ''],
    ['command line, underscores', ['--max_old_space_size=512'], ''],
    ['NODE_OPTIONS', [], '--enable-source-maps --max-semi-space-size=8'],
    ['NODE_OPTIONS, growing percent', [], '--heap-growing-percent=50'],
    ['command line, max heap', ['--max-heap-size', '300'], ''],
    ['only one of our own flags', [SEMI], ''],
  ] as const) {
    it(`leaves V8 alone when a heap flag was given (${where}), on Node 20 and 24`, () => {
      for (const v8Version of [NODE20_V8, NODE24_V8]) {
        assert.deepEqual(planServeHeap({ execArgv, nodeOptions, v8Version }), { kind: 'operator' });
        const set: string[] = [];
        assert.equal(
          applyServeHeapDefaults({ execArgv, nodeOptions, v8Version, set: (f) => set.push(f), execve }),
          null,
        );
        assert.deepEqual(set, []);
      }
    });
  }

  it('names flags this Node accepts (a typo would be refused at start-up)', () => {
    const r = spawnSync(process.execPath, [...serveHeapFlags(NODE24_V8), '-e', 'process.stdout.write("ok")'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ok');
  });

  it('really restarts this Node in place when its V8 needs it (same pid, flags in force)', function () {
    this.timeout(20_000);
    const fixture = fileURLToPath(new URL('./heap-tuning-fixture.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', fixture, 'an-argument'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const starts = lines.filter((l) => l.stage === 'start');
    const applied = lines.filter((l) => l.stage === 'applied');
    const restarts = serveHeapFlags(process.versions.v8).includes(SEMI) ? 1 : 0;
    assert.equal(starts.length, 1 + restarts, r.stdout);
    assert.equal(applied.length, 1, r.stdout);
    const last = applied[0];
    assert.ok(
      lines.every((l) => l.pid === r.pid),
      'one process throughout',
    );
    assert.deepEqual(last.argv, ['an-argument']);
    assert.deepEqual(last.result, { flags: serveHeapFlags(process.versions.v8), missing: [] });
    if (restarts) {
      assert.deepEqual(last.execArgv, ['--import', 'tsx', SEMI, GROWING]);
      // Inside the heap limit V8 reserves three semi-spaces of young generation; on a machine of ours
      // (24 GB) V8 12+ sizes them at 64 MB, so the cap takes 3 × (64 − 16) MB off the limit.
      assert.ok(starts[0].heapLimitMb - starts[1].heapLimitMb >= 3 * SERVE_MAX_SEMI_SPACE_MB, r.stdout);
    }
  });
});
