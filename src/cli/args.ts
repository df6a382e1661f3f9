/**
 * How a `tnx` command is declared, on commander: one `command(parent, cli, name, spec)` call per
 * command, its options as data (name → type, value name, help line), its body a function of the
 * parsed values. Commander gives every command `--help`, refuses unknown options and stray arguments;
 * this module adds the exit codes (0 ok, 1 failure, 2 usage) and the usage text a mistake prints.
 *
 * Strict: an unknown option, a missing value or a stray positional is a usage error (exit 2), never
 * silently ignored — a typo in `--force` must not write over a key file. Values are not echoed back in
 * messages beyond the option's name, so nothing typed on a command line lands in a log.
 */
import { Option, type Command } from 'commander';
import type { CliIo } from './io.js';

/** A mistake on the command line: the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export function isUsageError(err: unknown): err is UsageError {
  return err instanceof UsageError;
}

export interface OptionDef {
  type: 'string' | 'boolean';
  /** The option may be given more than once; its values are collected in order. */
  multiple?: boolean;
  /** The value's name in the help text (`--out DIR`); default: the option's name in upper case. */
  arg?: string;
  help: string;
}
export type OptionSpec = Record<string, OptionDef>;

/** Parsed values, keyed by the option's name as typed (`from-seq`, not `fromSeq`). */
export type Values<O extends OptionSpec> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
};

/** The state of one `tnx` run: where its output goes and the exit code its command set. */
export interface CliRun {
  io: CliIo;
  code: number;
}

export interface CommandSpec<O extends OptionSpec> {
  summary: string;
  /** Printed after a usage error, under the message: the command's synopsis. */
  usage: string;
  options: O;
  /** Bare words after the command (`<name>` in the help), at most this many: default none. */
  positionals?: string[];
  run: (values: Values<O>, io: CliIo, positionals: string[]) => Promise<number> | number;
}

/** Text shown after a commander error (unknown option, missing value, unknown sub-command). */
export function usageHint(usage: string, path: string): string {
  return `${usage}\n(run \`tnx ${path} --help\` for every option)`;
}

/** A group of sub-commands (`tnx keys …`): mistakes print `usage` (the synopsis of all of them). */
export function group(parent: Command, name: string, summary: string, usage: string): Command {
  return parent.command(name).description(summary).showHelpAfterError(usageHint(usage, name));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Declares one runnable command under `parent`. */
export function command<O extends OptionSpec>(
  parent: Command,
  cli: CliRun,
  name: string,
  spec: CommandSpec<O>,
): Command {
  const cmd = parent.command(name).description(spec.summary);
  const path = [parent.parent ? parent.name() : '', name].filter(Boolean).join(' ');
  cmd.showHelpAfterError(usageHint(spec.usage, path));
  for (const p of spec.positionals ?? []) cmd.argument(`[${p}]`);
  const byAttribute = new Map<string, string>();
  for (const [opt, def] of Object.entries(spec.options)) {
    const flags = def.type === 'boolean' ? `--${opt}` : `--${opt} <${def.arg ?? opt.toUpperCase()}>`;
    const o = new Option(flags, def.help);
    if (def.multiple) o.argParser(collect);
    cmd.addOption(o);
    byAttribute.set(o.attributeName(), opt);
  }
  cmd.action(async (...args: unknown[]) => {
    const self = args[args.length - 1] as Command;
    const values: Record<string, unknown> = {};
    for (const [attr, v] of Object.entries(self.opts())) values[byAttribute.get(attr) ?? attr] = v;
    const positionals = self.args;
    try {
      cli.code = await spec.run(values as Values<O>, cli.io, positionals);
    } catch (err) {
      if (!isUsageError(err)) throw err;
      cli.io.err(`tnx: ${err.message}`);
      cli.io.err(usageHint(spec.usage, path));
      cli.code = err.exitCode;
    }
  });
  return cmd;
}

/** The value of a required string option, or a usage error naming it. */
export function requireOption(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.length === 0) throw new UsageError(`--${name} is required`);
  return v;
}

/** `--config FILE`, else `TNX_CONFIG`, else a usage error: the one rule for finding a configuration. */
export function configPathFrom(values: { config?: unknown }, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof values.config === 'string' && values.config.length > 0) return values.config;
  if (env.TNX_CONFIG) return env.TNX_CONFIG;
  throw new UsageError('--config FILE is required (or set TNX_CONFIG)');
}

/** The `--config FILE` option every command reading a gateway configuration takes. */
export const CONFIG_OPTION = {
  config: { type: 'string', arg: 'FILE', help: 'the gateway configuration (default: $TNX_CONFIG)' },
} as const satisfies OptionSpec;
