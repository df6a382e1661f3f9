/** Temporary folders for SQLite files, keys and configs; removed by the root hook after the run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function tempDir(name = 'tnx'): string {
  const d = mkdtempSync(join(tmpdir(), `${name}-`));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
