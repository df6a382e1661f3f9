/**
 * `tnx <command> …`, on commander. Each command group lives in its own module under ./commands and
 * registers itself (`register(program, cli)`); only the group named on the command line is loaded,
 * so `tnx keys …` never loads the HTTP stack. `tnx --help` loads them all to list them.
 *
 * Exit codes: 0 success (also `--help`, `--version`), 1 failure (a typed error, printed with its code),
 * 2 usage (unknown command or option, missing or contradictory options).
 */
import { Command, CommanderError } from 'commander';
import { isTnxError } from '../core/errors.js';
import { gatewayVersion } from '../runtime/version.js';
import type { CliRun } from './args.js';
import type { CliIo } from './io.js';

export type { CliIo } from './io.js';

type Register = (program: Command, cli: CliRun) => void;

/** One line per command group: adding a group is one line here and one module. */
const GROUPS: Record<string, () => Promise<{ register: Register }>> = {
  keys: () => import('./commands/keys.js'),
  directory: () => import('./commands/directory.js'),
  config: () => import('./commands/config.js'),
  token: () => import('./commands/token.js'),
  audit: () => import('./commands/audit.js'),
  registry: () => import('./commands/registry.js'),
  serve: () => import('./commands/serve.js'),
  stats: () => import('./commands/stats.js'),
  demo: () => import('./commands/demo.js'),
};

export const EXIT_CODES = 'Exit codes: 0 success, 1 failure (the error is printed with its code), 2 usage error.';

const consoleIo: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

export async function main(argv: string[], io: CliIo = consoleIo): Promise<number> {
  const cli: CliRun = { io, code: 0 };
  // Settings made here are inherited by every command the groups create.
  const program = new Command('tnx')
    .description('TNX gateway: run it, manage its keys, directory, tokens and audit trail')
    .version(gatewayVersion(), '-V, --version', 'print the version')
    .addHelpText('after', `\n${EXIT_CODES}\nRun \`tnx <command> --help\` for a command's options.`)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
      // "unknown option '--name=value'": the name is enough, the value may be a secret.
      outputError: (s, write) => write(s.replace(/'(--[A-Za-z0-9-]+)=[^']*'/g, "'$1=…'")),
    });
  const named = argv[0] !== undefined ? GROUPS[argv[0]] : undefined;
  for (const load of named ? [named] : Object.values(GROUPS)) (await load()).register(program, cli);
  if (argv.length === 0) {
    io.err(program.helpInformation().trimEnd());
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return cli.code;
  } catch (err) {
    // Commander ends --help, --version and `tnx help …` with exit code 0; everything else it stops
    // on is a mistake on the command line.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    // Typed errors carry a message safe to show; anything else is a bug: show its class, not its data.
    const name = argv[0] ?? '';
    if (isTnxError(err)) io.err(`tnx ${name}: ${err.code}: ${err.message}`);
    else io.err(`tnx ${name}: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
