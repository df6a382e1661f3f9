/**
 * `tnx token create --role ROLE [--name NAME] [--config FILE]`: a new API bearer token. The secret is
 * printed once, alone on standard output (so `TOKEN=$(tnx token create …)` works), and only its
 * SHA-256 is written into the configuration's `auth.tokens` — the hashed static tokens the gateway
 * checks (src/http/auth.ts). The gateway reads its tokens at start-up: restart it to use the new one.
 *
 * The configuration must load before and after the change: a file the gateway would refuse is never
 * edited, and the new file is written next to it and renamed over it, so a crash leaves either the old
 * or the new file, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load.js';
import { TnxError } from '../../core/errors.js';
import { ROLES, type Role } from '../../core/principal.js';
import { sha256Hex } from '../../http/auth.js';
import {
  command,
  CONFIG_OPTION,
  configPathFrom,
  group,
  requireOption,
  UsageError,
  type CliRun,
  type Values,
} from '../args.js';
import type { CliIo } from '../io.js';

const USAGE = 'usage: tnx token create --role ROLE [--name NAME] [--config FILE]   (default config: $TNX_CONFIG)';

const CREATE = {
  role: { type: 'string', help: `what the token may do: ${ROLES.join(', ')}` },
  name: { type: 'string', help: 'the token id, the actor in audit events (default: ROLE-<random>)' },
  ...CONFIG_OPTION,
} as const;

const ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** 32 random bytes: the secret, with a prefix that lets secret scanners recognise a leaked one. */
export function newTokenSecret(): string {
  return `tnx_${randomBytes(32).toString('base64url')}`;
}

function create(values: Values<typeof CREATE>, io: CliIo): number {
  const role = requireOption(values, 'role');
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const id = values.name ?? `${role}-${randomBytes(4).toString('hex')}`;
  if (!ID.test(id)) throw new UsageError('--name may hold A-Z a-z 0-9 . _ : - (1-64)');
  const path = configPathFrom(values);
  const before = loadConfigFile(path);
  if (before.auth.tokens.some((t) => t.id === id))
    throw new TnxError('conflict', `a token named ${id} exists already; choose another --name`);

  const raw = JSON.parse(readFileSync(path, 'utf8')) as { auth?: { tokens?: unknown[] } };
  const secret = newTokenSecret();
  raw.auth = {
    ...raw.auth,
    tokens: [...(raw.auth?.tokens ?? []), { id, role: role as Role, sha256: sha256Hex(secret) }],
  };
  const text = `${JSON.stringify(raw, null, 2)}\n`;
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: statSync(path).mode & 0o777, flag: 'wx' });
  renameSync(tmp, path);
  // The file as the gateway will read it: a change that does not load would be found now, not at start-up.
  loadConfigFile(path);

  io.out(secret);
  io.err(`token ${id} (role ${role}): its SHA-256 is in ${path} (auth.tokens); restart the gateway to use it.`);
  io.err('The secret above is shown once and stored nowhere: keep it now.');
  return 0;
}

export function register(program: Command, cli: CliRun): void {
  const token = group(program, 'token', 'API bearer tokens (token create)', USAGE);
  command(token, cli, 'create', {
    summary: 'print a new secret once and write its hash into the configuration',
    usage: USAGE,
    options: CREATE,
    run: create,
  });
}
