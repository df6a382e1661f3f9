/**
 * `tnx` runs the compiled JavaScript in dist/ (bin/tnx.mjs), so tests that start it as a process
 * would run stale code after an edit of src/. Before the run, dist/ is rebuilt when any source file
 * is newer than the last build — a no-op (one directory walk) when nothing changed.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STAMP = join(ROOT, 'dist/.tsbuildinfo');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function mtimeOr0(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

export function ensureDistBuilt(): void {
  const built = mtimeOr0(STAMP);
  const sources = Math.max(
    newestMtime(join(ROOT, 'src')),
    mtimeOr0(join(ROOT, 'tsconfig.json')),
    mtimeOr0(join(ROOT, 'tsconfig.build.json')),
  );
  if (built >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
