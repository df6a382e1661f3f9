// Run by tests/util/heap-tuning.test.ts as a script of its own: prints one line each time it starts,
// applies the serve heap defaults for real (which may restart this process in place), then one line
// with what was applied.
import { getHeapStatistics } from 'node:v8';
import { applyServeHeapDefaults } from '../../src/runtime/heap-tuning.js';

const line = (o: object): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);
line({ stage: 'start', pid: process.pid, heapLimitMb: getHeapStatistics().heap_size_limit / 2 ** 20 });
const result = applyServeHeapDefaults();
line({ stage: 'applied', pid: process.pid, result, execArgv: process.execArgv, argv: process.argv.slice(2) });
