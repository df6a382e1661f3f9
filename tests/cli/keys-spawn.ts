/** Runs the real `tnx` command (node bin/tnx.mjs) from the repository root. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function tnx(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  // TNX_CONFIG is cleared so a developer's environment cannot change what a test checks.
  const r = spawnSync(process.execPath, ['bin/tnx.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TNX_CONFIG: '', ...env },
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
