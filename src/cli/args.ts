/**
 * The one argv helper every `tnx` sub-command uses, on node:util parseArgs.
 *
 * Strict: an unknown option, a missing value or a stray positional is a usage error (exit 2), never
 * silently ignored — a typo in `--force` must not write over a key file. Values are not echoed back in
 * messages beyond the option's name, so nothing typed on a command line lands in a log.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake on the command line: the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

export function isUsageError(err: unknown): err is UsageError {
  return err instanceof UsageError;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs<O extends OptionSpec> {
  values: {
    [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string;
  };
  positionals: string[];
}

/**
 * Parse `args` against `options`. `maxPositionals` (default 0) bounds bare words after the
 * sub-command; more is a usage error.
 */
export function parseCommandArgs<O extends OptionSpec>(args: string[], options: O, maxPositionals = 0): ParsedArgs<O> {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: maxPositionals > 0 });
  } catch (cause) {
    // parseArgs messages name the option ("Unknown option '--x'"), never an option's value.
    throw new UsageError(cause instanceof Error ? cause.message : 'invalid arguments', { cause });
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals] ?? ''}"`);
  }
  return parsed as ParsedArgs<O>;
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

/** Split `tnx keys generate …` into the verb and the rest; a missing or unknown verb is a usage error. */
export function subcommand<V extends string>(args: string[], verbs: readonly V[]): { verb: V; rest: string[] } {
  const [verb, ...rest] = args;
  if (verb === undefined || !(verbs as readonly string[]).includes(verb)) {
    throw new UsageError(
      verb === undefined
        ? `expected one of: ${verbs.join(', ')}`
        : `unknown sub-command "${verb}" (expected ${verbs.join(', ')})`,
    );
  }
  return { verb: verb as V, rest };
}

/**
 * Run a command body, turning a UsageError into its message, the usage text and exit code 2.
 * Other errors propagate to src/cli/main.ts, which prints typed errors with their code (exit 1).
 */
export async function withUsage(
  io: { err: (line: string) => void },
  usage: string,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!isUsageError(err)) throw err;
    io.err(`tnx: ${err.message}`);
    io.err(usage);
    return err.exitCode;
  }
}
