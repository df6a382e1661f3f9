#!/usr/bin/env node
// The `tnx` command. TypeScript sources run through tsx's loader, so the code that is tested is the
// code that runs: no build step to forget, no stale dist/.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
