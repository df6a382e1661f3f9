// Worker-thread entry of the parallel verifier (./verify-parallel.ts). Plain JavaScript on purpose:
// loader hooks registered in the parent thread do not reach a worker, so it registers tsx itself and
// then runs the TypeScript segment walker. Only for the sources (tests, development): compiled code in
// dist/ starts verify-segment-worker.js directly and never loads tsx.
import { register } from 'tsx/esm/api';

register();
await import('./verify-segment-worker.ts');
