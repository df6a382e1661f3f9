import { strict as assert } from 'node:assert';
import { startPeriodic } from '../../src/core/periodic.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startPeriodic (outbox recovery, orphan sweep)', () => {
  it('runs a first pass at once, then periodically, and never stacks a slow pass on itself', async () => {
    let active = 0;
    let maxActive = 0;
    const calls: boolean[] = [];
    const run = startPeriodic(
      async (first) => {
        calls.push(first);
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(35); // slower than the interval
        active -= 1;
        return calls.length;
      },
      { intervalMs: 10, fallback: -1, onError: () => assert.fail('no error expected') },
    );
    assert.equal(await run.firstPass, 1);
    await sleep(120);
    await run.stop();
    assert.equal(calls[0], true);
    assert.ok(calls.length >= 2, `periodic passes ran (${calls.length})`);
    assert.ok(calls.slice(1).every((f) => f === false));
    assert.equal(maxActive, 1, 'passes never overlap');
  });

  it('logs a failing pass, answers the fallback, and keeps going', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const run = startPeriodic(
      async () => {
        n += 1;
        if (n === 1) throw new Error('store down');
        return n;
      },
      { intervalMs: 5, fallback: 0, onError: (e) => errors.push(e) },
    );
    assert.equal(await run.firstPass, 0);
    await sleep(40);
    await run.stop();
    assert.equal(errors.length, 1);
    assert.ok(n >= 2, 'the next pass ran after the failure');
  });

  it('stop() waits for the pass in progress and no pass starts afterwards', async () => {
    let finished = false;
    let started = 0;
    const run = startPeriodic(
      async () => {
        started += 1;
        await sleep(30);
        finished = true;
        return 1;
      },
      { intervalMs: 1000, fallback: 0, onError: () => undefined },
    );
    await run.stop();
    assert.equal(finished, true);
    const before = started;
    await sleep(20);
    assert.equal(started, before);
  });

  it('with immediate: false, the first pass waits one interval (the sealer, the index rebuild)', async () => {
    const calls: boolean[] = [];
    const run = startPeriodic(
      async (first) => {
        calls.push(first);
        return 1;
      },
      { intervalMs: 40, immediate: false, fallback: 0, onError: () => undefined },
    );
    assert.equal(await run.firstPass, 0, 'no start-up pass: the fallback');
    assert.deepEqual(calls, []);
    await sleep(100);
    await run.stop();
    assert.equal(calls[0], true, 'the first pass, one interval later');
  });
});
