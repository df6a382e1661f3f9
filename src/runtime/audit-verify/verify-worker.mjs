// Worker-thread entry of the parallel verifier (./verify-parallel.ts). Plain JavaScript on purpose:
// loader hooks registered in the parent thread do not reach a worker, so it registers tsx itself, as
// bin/tnx.mjs does, and then runs the TypeScript segment walker — the same code the tests exercise.
import { register } from 'tsx/esm/api';

register();
await import('./verify-segment-worker.ts');
