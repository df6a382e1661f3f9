/**
 * `tnx serve --config FILE [--http-only | --workers-only] [--port N]`: run one gateway process
 * (src/runtime/run-gateway.ts) until SIGINT or SIGTERM, then shut down in order. Without a flag the
 * process runs what config.roles says (default: HTTP and workers).
 *
 * One line on stdout is machine-readable, `tnx serve: listening on <url>` (or `tnx serve:
 * workers running`), so scripts and tests that start `tnx serve` with port 0 learn the bound URL;
 * `tnx serve: metrics on <url>/metrics` follows when the metrics listener runs.
 * Logs are pino JSON lines on stdout after it. A second signal while shutting down exits at once
 * (code 130): the operator asked twice, and nothing durable depends on the shutdown finishing.
 * Shutdown is bounded by config.shutdownTimeoutMs: past it the command returns 1 (work was left to
 * the outbox recovery and the orphan sweep of the next process).
 */
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { command, CONFIG_OPTION, configPathFrom, UsageError, type CliRun, type Values } from '../args.js';
import { applyServeHeapDefaults } from '../../runtime/heap-tuning.js';

const USAGE =
  'usage: tnx serve [--config FILE] [--http-only | --workers-only] [--port N]   (default config: $TNX_CONFIG)';

/** The roles asked for on the command line, or null to follow config.roles. Checked before any file is read. */
export function rolesFromFlags(values: {
  'http-only'?: boolean;
  'workers-only'?: boolean;
}): { http: boolean; workers: boolean } | null {
  if (values['http-only'] && values['workers-only'])
    throw new UsageError('--http-only and --workers-only exclude each other');
  if (values['http-only']) return { http: true, workers: false };
  if (values['workers-only']) return { http: false, workers: true };
  return null;
}

function checkRoles(roles: { http: boolean; workers: boolean }): { http: boolean; workers: boolean } {
  if (!roles.http && !roles.workers)
    throw new UsageError('config roles disable both the HTTP side and the workers: nothing to run');
  return roles;
}

function portFrom(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError('--port must be an integer 0-65535');
  return Number(value);
}

/** Resolves with the signal that asked us to stop. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      // From now on a second signal means "stop now".
      const force = (): void => process.exit(130);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

const OPTIONS = {
  ...CONFIG_OPTION,
  'http-only': { type: 'boolean', help: 'serve HTTP only (workers run in another process)' },
  'workers-only': { type: 'boolean', help: 'run the delivery workers only, no HTTP' },
  port: { type: 'string', arg: 'N', help: 'listen on this port instead of http.port (0: any free port)' },
} as const;

async function serve(values: Values<typeof OPTIONS>, io: CliIo): Promise<number> {
  const flagged = rolesFromFlags(values);
  const port = portFrom(values.port);
  // First, while only the CLI is loaded: on Node 22+ this restarts the process in place with V8 flags
  // that work only at start-up, and the gateway's modules would otherwise be loaded twice.
  const heap = applyServeHeapDefaults();
  const [{ loadConfigFile }, { startGateway }, { isDevKeyFile }] = await Promise.all([
    import('../../config/load.js'),
    import('../../runtime/run-gateway.js'),
    import('../../domain/keys/keyring.js'),
  ]);
  const config = loadConfigFile(configPathFrom(values));
  const roles = checkRoles(flagged ?? config.roles);
  const stopped = untilSignal();
  const gw = await startGateway(config, { roles, defaultMetrics: true, ...(port !== undefined ? { port } : {}) });
  io.out(gw.url ? `tnx serve: listening on ${gw.url}` : 'tnx serve: workers running');
  if (gw.metricsUrl) io.out(`tnx serve: metrics on ${gw.metricsUrl}/metrics`);
  if (heap) gw.ctx.log.info({ v8: heap.flags }, 'heap growth capped (pass any heap flag to choose your own)');
  if (heap?.missing.length)
    gw.ctx.log.warn(
      { v8: [...heap.missing, ...heap.flags] },
      'young generation not capped: this Node cannot restart itself; set these flags in NODE_OPTIONS',
    );
  if (isDevKeyFile(config.keys.privateJwksPath))
    gw.ctx.log.warn('running with the DEMO keys of keys/dev: never in production');

  const sig = await stopped;
  gw.ctx.log.info({ signal: sig, boundMs: config.shutdownTimeoutMs }, 'shutting down');
  const closed = await closeWithin(gw.close(), config.shutdownTimeoutMs);
  if (closed) return 0;
  // A part could not stop in time (typically Redis gone: its connections never say goodbye). What it
  // held is durable in the store; the outbox recovery and the orphan sweep of the next process pick it up.
  gw.ctx.log.error(
    { boundMs: config.shutdownTimeoutMs },
    'shutdown bound reached: exiting, the outbox recovers the rest',
  );
  // The stuck part still holds handles that keep the event loop alive: returning would not end the process.
  gw.ctx.log.flush();
  process.exit(1);
}

/** True when `closing` settled within `ms` (a failed close counts as done: there is nothing left to wait for). */
async function closeWithin(closing: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = await Promise.race([
    closing.then(
      () => false,
      () => false,
    ),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(true), ms);
    }),
  ]);
  clearTimeout(timer);
  return !expired;
}

export function register(program: Command, cli: CliRun): void {
  command(program, cli, 'serve', {
    summary: 'run a gateway (HTTP and/or delivery workers) until SIGINT or SIGTERM',
    usage: USAGE,
    options: OPTIONS,
    run: serve,
  });
}
