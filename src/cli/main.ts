/**
 * `tnx <command> …`: one table of commands, each in its own module under ./commands, loaded on demand
 * so `tnx keys …` never loads the HTTP stack.
 */
import { isTnxError } from '../core/errors.js';

import type { CliIo, CommandRun } from './io.js';

export type { CliIo, CommandRun } from './io.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: CommandRun }> }> = {
  keys: {
    summary: "generate or rotate key sets, also the coordinator's (keys generate|rotate|retire)",
    load: () => import('./commands/keys.js'),
  },
  directory: {
    summary: 'the signed network directory (directory init|add|update|remove|sign|verify)',
    load: () => import('./commands/directory.js'),
  },
  config: {
    summary: 'validate a configuration and its directory (config check)',
    load: () => import('./commands/config.js'),
  },
  audit: {
    summary: 'verify or export the audit trail (audit verify|export)',
    load: () => import('./commands/audit.js'),
  },
  registry: {
    summary: 'load registrants from an NDJSON file through the API (registry import FILE)',
    load: () => import('./commands/registry.js'),
  },
  serve: { summary: 'run a gateway (HTTP and/or delivery workers)', load: () => import('./commands/serve.js') },
  stats: {
    summary: 'notification statistics for a period (stats --from --to)',
    load: () => import('./commands/stats.js'),
  },
  demo: {
    summary: 'two gateways on loopback exchanging sample notifications',
    load: () => import('./commands/demo.js'),
  },
};

const consoleIo: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

function usage(io: CliIo): void {
  io.out('usage: tnx <command> [options]');
  for (const [name, c] of Object.entries(COMMANDS)) io.out(`  ${name.padEnd(8)} ${c.summary}`);
}

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io);
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`tnx: unknown command "${name}"`);
    usage(io);
    return 2;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest, io);
  } catch (err) {
    // Typed errors carry a message safe to show; anything else is a bug: show its class, not its data.
    if (isTnxError(err)) io.err(`tnx ${name}: ${err.code}: ${err.message}`);
    else io.err(`tnx ${name}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
