import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { applyServeHeapDefaults, SERVE_HEAP_GROWING_PERCENT } from '../../src/runtime/heap-tuning.js';

describe('tnx serve heap defaults (src/runtime/heap-tuning.ts)', () => {
  it('caps heap growth when the operator gave no heap flag', () => {
    const set: string[] = [];
    const flag = applyServeHeapDefaults({
      execArgv: ['--import', 'tsx'],
      nodeOptions: '--enable-source-maps',
      set: (f) => set.push(f),
    });
    assert.equal(flag, `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`);
    assert.deepEqual(set, [flag]);
  });

  for (const [where, execArgv, nodeOptions] of [
    ['command line', ['--max-old-space-size=512'], ''],
    ['command line, underscores', ['--max_old_space_size=512'], ''],
    ['NODE_OPTIONS', [], '--enable-source-maps --max-semi-space-size=8'],
    ['NODE_OPTIONS, growing percent', [], '--heap-growing-percent=50'],
    ['command line, max heap', ['--max-heap-size', '300'], ''],
  ] as const) {
    it(`leaves V8 alone when a heap flag was given (${where})`, () => {
      const set: string[] = [];
      assert.equal(applyServeHeapDefaults({ execArgv, nodeOptions, set: (f) => set.push(f) }), null);
      assert.deepEqual(set, []);
    });
  }

  it('names a flag this Node accepts (a typo would be refused at start-up)', () => {
    const r = spawnSync(
      process.execPath,
      [`--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`, '-e', 'process.stdout.write("ok")'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ok');
  });
});
