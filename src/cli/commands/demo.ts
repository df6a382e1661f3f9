/**
 * `npm run demo` (= `tnx demo [--once]`): two gateways, USA and GBR, on loopback with the dev keys of
 * keys/dev, an embedded SQLite store each, and a local redis-server (started here on a free port
 * unless REDIS_URL is set). It writes their configuration files into a temp folder, starts both
 * exactly as `tnx serve` would (src/runtime/run-gateway.ts), tells the story of src/cli/demo/scenario.ts
 * through the HTTP API, prints every delivery with its receipt and lead time, and keeps running with
 * the URLs, tokens and example requests printed until Ctrl-C. `--once` stops after the printout
 * (exit 0 only when every outcome was the expected one).
 *
 * The console is on in both gateways, signing people in through a demo OpenID provider started here
 * (src/cli/demo/console-idp.ts): the printout gives its URL and one user and password per role.
 *
 * `--network`: the two gateways take their partners from a coordinator's signed network directory
 * (src/cli/demo/network.ts) instead of local partner lists — same story, same printout, plus where the
 * directory is served and republished.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../io.js';
import type { Role } from '../../core/principal.js';
import type { Command } from 'commander';
import { command, type CliRun, type Values } from '../args.js';
import { loadConfigFile } from '../../config/load.js';
import { startGateway, type RunningGateway } from '../../runtime/run-gateway.js';
import { freePort, startRedisServer, type LocalRedis } from '../../runtime/redis-server.js';
import { allAsExpected, resultLines, usageLines } from '../demo/report.js';
import { sampleNotification } from '../demo/samples.js';
import { runScenario, type Party } from '../demo/scenario.js';
import { tokenFor, writeStateConfigs } from '../demo/two-states.js';
import { DEMO_NETWORK, startDemoCoordinator, type DemoCoordinator } from '../demo/network.js';
import { DEMO_CONSOLE_CLIENT_ID, DEMO_ROLE_CLAIM, startDemoIdp, type DemoIdp } from '../demo/console-idp.js';
import { consoleLines } from '../demo/report.js';

const USAGE = 'usage: tnx demo [--once] [--network]';

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const on = (): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

const OPTIONS = {
  once: { type: 'boolean', help: 'stop after the printout (exit 0 only if every outcome was expected)' },
  network: { type: 'boolean', help: "take the partners from a coordinator's signed network directory" },
} as const;

async function demo(values: Values<typeof OPTIONS>, io: CliIo): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tnx-demo-'));
  let redis: LocalRedis | null = null;
  const gateways: RunningGateway[] = [];
  let coordinator: DemoCoordinator | null = null;
  let idp: DemoIdp | null = null;
  try {
    const redisUrl = process.env.REDIS_URL ?? (redis = await startRedisServer({ stderr: 'ignore' })).url;
    const ports = { USA: await freePort(), GBR: await freePort() };
    if (values.network) coordinator = await startDemoCoordinator(dir, ports);
    idp = await startDemoIdp(Object.values(ports).map((p) => `http://127.0.0.1:${p}`));
    const roles: Record<string, Role> = Object.fromEntries(idp.users.map((u) => [u.role, u.role]));
    const setups = writeStateConfigs({
      dir,
      redisUrl,
      ports,
      // Each gateway's metrics on a port of its own, apart from its API and inbox port.
      metricsPorts: { USA: await freePort(), GBR: await freePort() },
      ...(coordinator
        ? {
            network: {
              url: coordinator.url,
              name: DEMO_NETWORK,
              trustAnchorsPath: coordinator.anchorsPath,
              intervalSeconds: 5,
            },
          }
        : {}),
      console: {
        issuer: idp.issuer,
        clientId: DEMO_CONSOLE_CLIENT_ID,
        clientSecret: idp.clientSecret,
        roleClaim: DEMO_ROLE_CLAIM,
        roles,
      },
      // Short back-off so a retry is visible within the demo; warn-level logs keep the printout readable.
      overrides: {
        delivery: { backoffBaseMs: 200, backoffCapMs: 5_000 },
        audit: { checkpointIntervalSeconds: 5 },
        log: { level: 'warn' },
      },
    });
    const env = { ...process.env, REDIS_URL: redisUrl };
    const usaSetup = setups.USA!;
    const gbrSetup = setups.GBR!;
    const gbrGw = await startGateway(loadConfigFile(gbrSetup.configPath, env));
    gateways.push(gbrGw);
    const usaGw = await startGateway(loadConfigFile(usaSetup.configPath, env));
    gateways.push(usaGw);

    io.out('TNX demo: two gateways on loopback (dev keys, embedded SQLite, local Redis)');
    io.out(`  Redis ${redisUrl}${redis ? ' (started for this demo)' : ' (REDIS_URL)'}   files in ${dir}`);
    if (coordinator) {
      io.out(
        `  network directory "${DEMO_NETWORK}" serial ${coordinator.serial} (${coordinator.states.join(', ')}), signed by a coordinator key made for this demo`,
      );
      io.out(`    served at ${coordinator.url}; trust anchor ${coordinator.anchorsPath}`);
      io.out(`    both gateways follow it (every 5 s) and republish it: GET ${gbrGw.url!}/tnx/v1/directory`);
    }
    io.out('');
    const party = (s: typeof usaSetup, gw: RunningGateway): Party => ({
      state: s.state,
      url: gw.url!,
      gw,
      submitter: tokenFor(s.tokens, 'submitter'),
      poc: tokenFor(s.tokens, 'poc'),
    });
    const usa = party(usaSetup, usaGw);
    const gbr = party(gbrSetup, gbrGw);
    const result = await runScenario(usa, gbr);
    for (const line of resultLines(usa, gbr, result)) io.out(line);

    const samplePath = join(dir, 'sample-notification.json');
    writeFileSync(
      samplePath,
      `${JSON.stringify(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 7 * 86_400_000 }), null, 2)}\n`,
    );
    io.out('');
    for (const line of usageLines(setups, samplePath)) io.out(line);
    io.out('');
    for (const line of consoleLines(setups, idp)) io.out(line);
    const ok = allAsExpected(result);
    if (!ok) io.err('tnx demo: some outcomes were not the expected ones (see ✗ above)');
    if (values.once) return ok ? 0 : 1;

    io.out('');
    io.out('Running until Ctrl-C.');
    await untilSignal();
    io.out('stopping…');
    return ok ? 0 : 1;
  } finally {
    for (const gw of gateways.reverse()) await gw.close().catch(() => undefined);
    await coordinator?.close();
    await idp?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function register(program: Command, cli: CliRun): void {
  command(program, cli, 'demo', {
    summary: 'two gateways on loopback exchanging sample notifications, until Ctrl-C',
    usage: USAGE,
    options: OPTIONS,
    run: demo,
  });
}
