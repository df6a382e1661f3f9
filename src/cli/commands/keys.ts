/**
 * `tnx keys generate|rotate|retire`: manage a gateway's private key set (docs/keys-and-directory.md).
 *
 *   tnx keys generate --state USA --out DIR [--profile ec|rsa] [--name NAME] [--force] [--config FILE]
 *   tnx keys generate --use coordinator --out DIR [--profile ec|rsa] [--name NAME] [--force] [--config FILE]
 *   tnx keys rotate   [--keys FILE] [--config FILE] [--public FILE] [--profile ec|rsa] [--entry FILE]
 *   tnx keys retire   [--keys FILE] [--config FILE] --kid KID [--public FILE] [--entry FILE]
 *
 * The private JWKS is written with mode 0600; the public JWKS (what partners put in their directory)
 * next to it. A state's rotate and retire also print — and with --entry write — the directory entry
 * fragment the coordinator applies with `tnx directory update --entry`: with a network directory, a
 * rotation reaches partners only through the coordinator. The coordinator's own key set (`--use
 * coordinator`) holds signing keys only; its public JWKS is the trust anchor every gateway configures.
 * Output names kids, uses and algorithms — never key material.
 *
 * With a gateway configuration (--config or TNX_CONFIG) each key generated, added or retired is written
 * to that gateway's audit trail (`key.generated`, `key.rotated`, `key.retired`: kid, use, algorithm),
 * and rotate/retire default --keys to the configured key file. The new files are staged, the events
 * recorded, and only then are the files put in place: a store that cannot record the change stops
 * the command with the key files as they were. The coordinator's generation ignores TNX_CONFIG.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { command, group, requireOption, UsageError, type CliRun, type Values } from '../args.js';
import { systemClock } from '../../core/clock.js';
import {
  algorithmFor,
  generateKey,
  generateKeySet,
  KEY_PROFILES,
  type KeyProfile,
} from '../../domain/keys/generate.js';
import { COORDINATOR, rotateKeySet, retireKey, stateOfKeySet } from '../../domain/keys/rotate.js';
import { publicJwksOf, readPrivateJwksFile, stageJwksFiles, type StagedJwksFiles } from '../../domain/keys/files.js';
import { writeFileSync } from 'node:fs';
import type { Jwks, TnxJwk } from '../../domain/keys/jwk.js';
import { KeyAudit } from './key-audit.js';

const USAGE = [
  'usage: tnx keys generate --state XXX --out DIR [--profile ec|rsa] [--name NAME] [--force] [--config FILE]',
  '       tnx keys generate --use coordinator --out DIR [--profile ec|rsa] [--name NAME] [--force] [--config FILE]',
  '       tnx keys rotate   [--keys FILE] [--config FILE] [--public FILE] [--profile ec|rsa] [--entry FILE]',
  '       tnx keys retire   [--keys FILE] [--config FILE] --kid KID [--public FILE] [--entry FILE]',
  "  with --config (or TNX_CONFIG) the change is written to that gateway's audit trail",
].join('\n');

const PROFILE = {
  type: 'string',
  arg: 'ec|rsa',
  help: 'key algorithms: ec (ES256, ECDH-ES) or rsa (PS256, RSA-OAEP-256)',
} as const;
const PUBLIC = {
  type: 'string',
  arg: 'FILE',
  help: 'the public JWKS to update (default: next to --keys, .public.jwks.json)',
} as const;
const ENTRY = {
  type: 'string',
  arg: 'FILE',
  help: 'also write the directory entry fragment for the coordinator',
} as const;

const AUDIT_CONFIG = {
  config: {
    type: 'string',
    arg: 'FILE',
    help: 'the gateway configuration whose audit trail records the change (default: $TNX_CONFIG)',
  },
} as const;

const GENERATE = {
  ...AUDIT_CONFIG,
  state: { type: 'string', arg: 'XXX', help: "the state's ISO 3166-1 alpha-3 code" },
  use: { type: 'string', arg: 'coordinator', help: "generate the coordinator's signing key set instead" },
  out: { type: 'string', arg: 'DIR', help: 'folder for the two JWKS files (created with mode 0700)' },
  profile: PROFILE,
  name: { type: 'string', help: 'file name stem (default: the state in lower case)' },
  force: { type: 'boolean', help: 'overwrite existing files' },
} as const;
const ROTATE = {
  ...AUDIT_CONFIG,
  keys: { type: 'string', arg: 'FILE', help: 'the private JWKS to add new keys to (default: the configured one)' },
  public: PUBLIC,
  profile: PROFILE,
  entry: ENTRY,
} as const;
const RETIRE = {
  ...AUDIT_CONFIG,
  keys: { type: 'string', arg: 'FILE', help: 'the private JWKS holding the key (default: the configured one)' },
  kid: { type: 'string', help: 'the key id to retire' },
  public: PUBLIC,
  entry: ENTRY,
} as const;

function profileOption(v: string | undefined): KeyProfile | undefined {
  if (v === undefined) return undefined;
  if (!(KEY_PROFILES as readonly string[]).includes(v))
    throw new UsageError(`--profile must be one of ${KEY_PROFILES.join(', ')}`);
  return v as KeyProfile;
}

/** FILE.private.jwks.json → FILE.public.jwks.json; other names need --public. */
function publicPathFor(privatePath: string, explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  return privatePath.endsWith('.private.jwks.json')
    ? privatePath.replace(/\.private\.jwks\.json$/, '.public.jwks.json')
    : undefined;
}

function describe(io: CliIo, prefix: string, keys: readonly TnxJwk[]): void {
  for (const k of keys)
    io.out(`${prefix} ${k.kid}  use=${k.use}  alg=${k.alg}${k.tnx_retired ? `  retired=${k.tnx_retired}` : ''}`);
}

async function generate(values: Values<typeof GENERATE>, io: CliIo): Promise<number> {
  if (values.use !== undefined && values.use !== COORDINATOR) throw new UsageError('--use must be "coordinator"');
  const coordinator = values.use === COORDINATOR;
  if (coordinator && values.state !== undefined) throw new UsageError('--use coordinator takes no --state');
  const state = coordinator ? COORDINATOR : requireOption(values, 'state');
  if (!coordinator && !/^[A-Z]{3}$/.test(state))
    throw new UsageError('--state must be an ISO 3166-1 alpha-3 code in upper case');
  const out = requireOption(values, 'out');
  const name = values.name ?? state.toLowerCase();
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new UsageError('--name may hold A-Z a-z 0-9 . _ - only');
  const profile = profileOption(values.profile) ?? 'ec';
  // The coordinator's key belongs to no gateway: TNX_CONFIG (set for a gateway's own commands) does not
  // send its generation to that gateway's trail; an explicit --config still does.
  const trail = await KeyAudit.open(values, io, coordinator ? {} : process.env);
  try {
    return await generateInto(coordinator, state, out, name, profile, values.force === true, io, trail);
  } finally {
    await trail?.close();
  }
}

async function generateInto(
  coordinator: boolean,
  state: string,
  out: string,
  name: string,
  profile: KeyProfile,
  overwrite: boolean,
  io: CliIo,
  trail: KeyAudit | null,
): Promise<number> {
  // The coordinator signs the network directory and nothing else: one signing key, no encryption key.
  const jwks = coordinator
    ? { keys: [await generateKey(COORDINATOR, 'sig', algorithmFor(profile, 'sig'), systemClock)] }
    : await generateKeySet(state, systemClock, profile);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const privatePath = join(out, `${name}.private.jwks.json`);
  const publicPath = join(out, `${name}.public.jwks.json`);
  await install(stageJwksFiles(privatePath, publicPath, jwks, { overwrite }), () =>
    trail?.record('key.generated', jwks.keys),
  );
  io.out(`private JWKS (mode 0600): ${privatePath}`);
  io.out(`public JWKS:              ${publicPath}`);
  describe(io, '  new', jwks.keys);
  if (coordinator) io.out('the public JWKS is the trust anchor: give it to every gateway (directory.trustAnchorsPath)');
  return 0;
}

/**
 * The change is recorded first and the files replaced after: a store that cannot record it leaves
 * the key files as they were (the staged ones are removed), so a key never changes without its event.
 */
async function install(staged: StagedJwksFiles, record: () => Promise<void> | undefined): Promise<void> {
  try {
    await record();
  } catch (err) {
    staged.discard();
    throw err;
  }
  staged.commit();
}

async function replaceBoth(
  privatePath: string,
  publicPath: string | undefined,
  jwks: Jwks,
  io: CliIo,
  record: () => Promise<void> | undefined,
): Promise<void> {
  await install(stageJwksFiles(privatePath, publicPath, jwks, { overwrite: true }), record);
  if (publicPath) {
    io.out(`public JWKS updated: ${publicPath} (send it to every partner)`);
  } else {
    io.out('no public JWKS path (pass --public FILE); partners need the new public keys');
  }
}

/**
 * What a state sends the coordinator after a rotation or retirement: its current public keys as a
 * directory entry fragment. `tnx directory update --entry` adds the new kids and marks the ones no
 * longer listed retired.
 */
function directoryEntry(jwks: Jwks, io: CliIo, entryPath: string | undefined): void {
  const state = stateOfKeySet(jwks);
  if (state === COORDINATOR) {
    io.out("coordinator key: add the new public key to every gateway's trust anchors before signing with it");
    return;
  }
  const text = JSON.stringify({ state, jwks: publicJwksOf(jwks) }, null, 2);
  if (entryPath) {
    writeFileSync(entryPath, `${text}\n`, { mode: 0o644 });
    io.out(`directory entry written: ${entryPath}`);
  }
  io.out(
    `send to the coordinator (tnx directory update --state ${state} --entry FILE --activate-in-hours H;` +
      ' restart this gateway on the new key file first: it signs with a new key only once the directory lists it):',
  );
  for (const line of text.split('\n')) io.out(line);
}

async function rotate(values: Values<typeof ROTATE>, io: CliIo): Promise<number> {
  const profile = profileOption(values.profile);
  const trail = await KeyAudit.open(values, io);
  try {
    const path = keysPath(values, trail);
    const { jwks, added } = await rotateKeySet(readPrivateJwksFile(path), systemClock, profile ? { profile } : {});
    await replaceBoth(path, publicPathFor(path, values.public), jwks, io, () => trail?.record('key.rotated', added));
    describe(io, '  added', added);
    io.out('older keys stay valid for opening and verifying until retired (tnx keys retire)');
    directoryEntry(jwks, io, values.entry);
    return 0;
  } finally {
    await trail?.close();
  }
}

async function retire(values: Values<typeof RETIRE>, io: CliIo): Promise<number> {
  const kid = requireOption(values, 'kid');
  const trail = await KeyAudit.open(values, io);
  try {
    const path = keysPath(values, trail);
    const jwks = retireKey(readPrivateJwksFile(path), kid, systemClock);
    const retired = jwks.keys.filter((k) => k.kid === kid);
    await replaceBoth(path, publicPathFor(path, values.public), jwks, io, () => trail?.record('key.retired', retired));
    describe(io, '  retired', retired);
    directoryEntry(jwks, io, values.entry);
    return 0;
  } finally {
    await trail?.close();
  }
}

/** --keys, else the key file of the configuration given. */
function keysPath(values: { keys?: string | undefined }, trail: KeyAudit | null): string {
  if (values.keys) return values.keys;
  if (trail) return trail.config.keys.privateJwksPath;
  return requireOption(values, 'keys');
}

export function register(program: Command, cli: CliRun): void {
  const keys = group(program, 'keys', "generate or rotate key sets, also the coordinator's", USAGE);
  command(keys, cli, 'generate', {
    summary: "a new key set for a state (or the coordinator's with --use coordinator)",
    usage: USAGE,
    options: GENERATE,
    run: generate,
  });
  command(keys, cli, 'rotate', {
    summary: 'add new current keys to a key set',
    usage: USAGE,
    options: ROTATE,
    run: rotate,
  });
  command(keys, cli, 'retire', { summary: 'mark one key retired', usage: USAGE, options: RETIRE, run: retire });
}
