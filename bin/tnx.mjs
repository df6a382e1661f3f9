#!/usr/bin/env node
// The `tnx` command runs the JavaScript that `npm ci` compiled into dist/ (the `prepare` script): no
// TypeScript loader in a serving process. Tests build dist/ first when src/ is newer
// (tests/harness/build-dist.ts), so what they start is what production runs.
import { existsSync } from 'node:fs';

const MAIN = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(MAIN)) {
  process.stderr.write('tnx: dist/ is missing: run `npm run build` (npm ci runs it for you)\n');
  process.exit(1);
}
const { main } = await import(MAIN.href);
process.exitCode = await main(process.argv.slice(2));
