/**
 * A gateway as a child process (`node bin/tnx.mjs serve`) for the benchmarks that need its event loop
 * and CPU apart from the load generator's: started, waited for until it listens, stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/cli/demo/two-states.js';

export interface ChildGateway {
  name: string;
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function serveChild(name: string, configPath: string, role: string[] = []): Promise<ChildGateway> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/tnx.mjs'), 'serve', '--config', configPath, ...role], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    if (out.length < 100_000) out += text;
    // BENCH_DEBUG=1: show the gateway's alert lines (circuit changes, queue loss) as they come.
    if (process.env.BENCH_DEBUG === '1')
      for (const line of text.split('\n')) if (line.includes('"alert"')) process.stderr.write(`${name}: ${line}\n`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = Date.now() + 60_000;
  for (;;) {
    const m = /tnx serve: (?:listening on (\S+)|workers running)/.exec(out);
    if (m)
      return {
        name,
        child,
        url: m[1] ?? '',
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    if (child.exitCode !== null || Date.now() > end) throw new Error(`${name} gateway did not start: ${out}`);
    await sleep(50);
  }
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function intEnv(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${name} must be a positive integer`);
  return Number(v);
}

/** Messages `receiver` accepted from `iss`, from its /metrics. */
/** Messages from `iss` the receiver accepted, from its metrics listener (`metricsBaseUrl`/metrics). */
export async function receivedCount(metricsBaseUrl: string, iss: string): Promise<number> {
  const res = await fetch(`${metricsBaseUrl}/metrics`);
  // Not its metrics (a 404 from the API port): fail loudly rather than count nothing for 15 minutes.
  if (!res.ok) throw new Error(`${metricsBaseUrl}/metrics answered ${res.status}`);
  const text = await res.text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('tnx_inbound_total{') && l.includes(`iss="${iss}"`) && l.includes('outcome="accepted"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
