/**
 * Test-only crash points. When the environment variable `TNX_TEST_CRASH_AT` names a point, the
 * process kills itself with SIGKILL when it reaches it — no shutdown code, no flush, exactly as a
 * power cut or the OOM killer would — so a process test can stop a gateway between two writes that
 * a real crash could separate. Without the variable (every real deployment) a crash point does
 * nothing. The names are listed here so a test cannot aim at a point that does not exist.
 */
export const CRASH_POINTS = [
  /** A travel report is stored and its notifications are not yet submitted. */
  'travel-report-stored',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

export const CRASH_ENV = 'TNX_TEST_CRASH_AT';

export function crashPoint(name: CrashPoint, env: NodeJS.ProcessEnv = process.env): void {
  if (env[CRASH_ENV] === name) process.kill(process.pid, 'SIGKILL');
}
