/** Temporary folders for SQLite files, keys and configs; removed by the root hook after the run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// On globalThis for the reason given in ./redis.ts: the root hook may hold another copy of this module.
const KEY = Symbol.for('tnx.tests.tempDirs');
const made: string[] =
  ((globalThis as Record<symbol, unknown>)[KEY] as string[] | undefined) ??
  ((globalThis as Record<symbol, unknown>)[KEY] = []);

export function tempDir(name = 'tnx'): string {
  const d = mkdtempSync(join(tmpdir(), `${name}-`));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
