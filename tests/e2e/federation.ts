/**
 * Two (or more) real gateways on loopback for the end-to-end tests, each started by startGateway
 * (src/runtime/run-gateway.ts) from a config file written by src/cli/demo/two-states.ts — the same
 * loader and composition `tnx serve` uses — with its own SQLite file in a temp dir, its own Redis key
 * prefix on the harness redis-server, and fast retries. Also: running `tnx serve` as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { until } from '../harness/poll.js';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config/load.js';
import type { TnxConfig, TnxConfigInput } from '../../src/config/schema.js';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { createLogger } from '../../src/core/logger.js';
import {
  REPO_ROOT,
  tokenFor,
  writeStateConfigs,
  type DemoState,
  type StateSetup,
} from '../../src/cli/demo/two-states.js';
import type { OutboundRecord } from '../../src/ports/store/index.js';
import { TERMINAL_STATES } from '../../src/ports/store/index.js';
import { freePort, redisUrl } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';

export const FAST: Partial<TnxConfigInput> = {
  delivery: { backoffBaseMs: 50, backoffCapMs: 200 },
  audit: { checkpointIntervalSeconds: 1 },
  log: { level: 'silent' },
};

export interface Member {
  setup: StateSetup;
  config: TnxConfig;
  submitter: string;
  poc: string;
  auditor: string;
}

/** Write config files for `states` (not started). */
export async function federation<S extends DemoState>(
  states: readonly S[],
  overrides: Partial<TnxConfigInput> = FAST,
): Promise<Record<S, Member>> {
  const ports: Partial<Record<DemoState, number>> = {};
  for (const s of states) ports[s] = await freePort();
  const url = await redisUrl();
  const setups = writeStateConfigs({ dir: tempDir('tnx-e2e'), redisUrl: url, ports, overrides });
  const out = {} as Record<S, Member>;
  for (const s of states) {
    const setup = setups[s]!;
    out[s] = {
      setup,
      config: loadConfigFile(setup.configPath, { REDIS_URL: url }),
      submitter: tokenFor(setup.tokens, 'submitter'),
      poc: tokenFor(setup.tokens, 'poc'),
      auditor: tokenFor(setup.tokens, 'auditor'),
    };
  }
  return out;
}

const quiet = createLogger({ level: 'silent' });

/** Worker settings for tests: no background scanners, short bounded shutdown. */
export const TEST_WORKER = { atRiskScanIntervalMs: 0, depthIntervalMs: 0, shutdownTimeoutMs: 2_000 } as const;
/** The same, started paused: the test builds its situation first, then calls worker.run(). */
export const PAUSED_WORKER = { ...TEST_WORKER, autorun: false } as const;

export function start(m: Member, options: GatewayOptions = {}): Promise<RunningGateway> {
  return startGateway(m.config, {
    log: quiet,
    outboxIntervalMs: 500,
    sweepIntervalMs: 1_000,
    worker: TEST_WORKER,
    ...options,
  });
}

export { until };

/** The record once final (delivered, failed, cancelled, no_channel). */
export function settled(gw: RunningGateway, id: string, ms = 15_000): Promise<OutboundRecord> {
  return until(
    `record ${id} to settle`,
    async () => {
      const r = await gw.ctx.store.outbound.get(id);
      return r && TERMINAL_STATES.includes(r.state) ? r : null;
    },
    ms,
  );
}

export interface ServeChild {
  child: ChildProcess;
  /** The URL from the `tnx serve: listening on …` line (null for --workers-only). */
  url: string | null;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** `node bin/tnx.mjs serve --config FILE …flags` as a real child process; resolves once it runs. */
export async function serveChild(
  configPath: string,
  flags: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<ServeChild> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/tnx.mjs'), 'serve', '--config', configPath, ...flags], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (text += d.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)),
  );
  const ready = await Promise.race([
    until('tnx serve to start', async () => /tnx serve: (listening on (\S+)|workers running)/.exec(text), 20_000),
    exited.then((code) => {
      throw new Error(`tnx serve exited early (${code}): ${text.slice(0, 2000)}`);
    }),
  ]);
  return { child, url: ready[2] ?? null, output: () => text, exited };
}
