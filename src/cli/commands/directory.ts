/**
 * `tnx directory …`: the coordinating body's tool for the signed network directory
 * (protocol/SPEC.md §14, docs/keys-and-directory.md §8).
 *
 *   tnx directory init   --file WORK.json --network NAME [--force]
 *   tnx directory add    --file WORK.json --entry ENTRY.json [--jwks PUBLIC.jwks.json]
 *   tnx directory update --file WORK.json --state XXX [--entry ENTRY.json] [--endpoint URL|none]
 *                        [--retire KID] [--revoke KID] [--activate-in-hours H]
 *   tnx directory remove --file WORK.json --state XXX
 *   tnx directory sign   --file WORK.json --keys COORD.private.jwks.json --out DIRECTORY.jws
 *                        [--next-update-hours 24] [--valid-days 7]
 *   tnx directory verify --in DIRECTORY.jws --anchors COORD.public.jwks.json [--network NAME]
 *                        [--previous OLD.jws]
 *
 * The working file is unsigned JSON ({network, serial, states}) that only the coordinator edits; every
 * edit is checked with the same rules a gateway applies, so a mistake shows on the command that made
 * it, not weeks later on 57 gateways. `sign` issues serial + 1 and records it in the working file.
 * Retiring or revoking keeps the key in the document with its marker: a kid is never reused.
 * `--activate-in-hours H` publishes the keys an entry adds with `tnx_not_before` = now + H: partners
 * learn them at once but accept and seal to them only from then on, so every gateway has fetched the
 * issue before the first message signed with, or sealed to, a new key (a rollover without a flag day).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { CliIo } from '../io.js';
import type { Command } from 'commander';
import { command, group, requireOption, UsageError, type CliRun, type OptionSpec, type Values } from '../args.js';
import { systemClock } from '../../core/clock.js';
import { TnxError } from '../../core/errors.js';
import { parseStrictJson } from '../../domain/protocol/strict-json.js';
import { readPrivateJwksFile } from '../../domain/keys/files.js';
import { checkJwks, isRetired, type Jwks } from '../../domain/keys/jwk.js';
import {
  checkEntries,
  DIRECTORY_VERSION,
  toDirectoryKey,
  type DirectoryEntry,
  type NetworkDirectory,
} from '../../domain/directory/network.js';
import {
  checkAnchors,
  coordinatorSigningKey,
  signNetworkDirectory,
  verifyNetworkDirectory,
} from '../../domain/directory/network-jws.js';
import { describeDiff, diffDirectories } from '../../domain/directory/network-diff.js';

const USAGE = [
  'usage: tnx directory init   --file WORK.json --network NAME [--force]',
  '       tnx directory add    --file WORK.json --entry ENTRY.json [--jwks PUBLIC.jwks.json]',
  '       tnx directory update --file WORK.json --state XXX [--entry ENTRY.json] [--endpoint URL|none]',
  '                            [--retire KID] [--revoke KID] [--activate-in-hours H]',
  '       tnx directory remove --file WORK.json --state XXX',
  '       tnx directory sign   --file WORK.json --keys COORD.private.jwks.json --out DIRECTORY.jws',
  '                            [--next-update-hours 24] [--valid-days 7]',
  '       tnx directory verify --in DIRECTORY.jws --anchors COORD.public.jwks.json [--network NAME]',
  '                            [--previous OLD.jws]',
].join('\n');

/** `--file WORK.json`: the working file every command but `init` and `verify` reads and edits. */
const WORK_FILE_OPTION = {
  file: { type: 'string', arg: 'WORK.json', help: "the coordinator's working file" },
} as const satisfies OptionSpec;

const INIT = {
  file: { type: 'string', arg: 'WORK.json', help: "the coordinator's working file to create" },
  network: { type: 'string', arg: 'NAME', help: 'the network name every issue carries' },
  force: { type: 'boolean', help: 'replace an existing working file' },
} as const;

const ADD = {
  ...WORK_FILE_OPTION,
  entry: { type: 'string', arg: 'ENTRY.json', help: "the state's directory entry" },
  jwks: { type: 'string', arg: 'PUBLIC.jwks.json', help: "the state's public keys (default: the entry's jwks)" },
} as const;

const UPDATE = {
  ...WORK_FILE_OPTION,
  state: { type: 'string', arg: 'XXX', help: "the state's ISO 3166-1 alpha-3 code" },
  entry: { type: 'string', arg: 'ENTRY.json', help: 'a fragment from `tnx keys rotate|retire --entry`' },
  endpoint: { type: 'string', arg: 'URL|none', help: "the state's gateway URL, or none" },
  retire: { type: 'string', multiple: true, arg: 'KID', help: 'mark a key retired (repeatable)' },
  revoke: { type: 'string', multiple: true, arg: 'KID', help: 'mark a key revoked (repeatable)' },
  'activate-in-hours': {
    type: 'string',
    arg: 'HOURS',
    help: 'with --entry: publish the new keys now, valid from this many hours on (pre-publication)',
  },
} as const;

const REMOVE = {
  ...WORK_FILE_OPTION,
  state: { type: 'string', arg: 'XXX', help: 'the state to remove' },
} as const;

const SIGN = {
  ...WORK_FILE_OPTION,
  keys: { type: 'string', arg: 'COORD.private.jwks.json', help: "the coordinator's private key set" },
  out: { type: 'string', arg: 'DIRECTORY.jws', help: 'where to write the signed issue' },
  'next-update-hours': { type: 'string', arg: 'N', help: 'hours until gateways fetch the next issue (default 24)' },
  'valid-days': { type: 'string', arg: 'N', help: 'days the issue stays valid (default 7)' },
} as const;

const VERIFY = {
  in: { type: 'string', arg: 'DIRECTORY.jws', help: 'the signed issue to check' },
  anchors: { type: 'string', arg: 'COORD.public.jwks.json', help: 'the trust anchors' },
  network: { type: 'string', arg: 'NAME', help: 'the network name expected' },
  previous: { type: 'string', arg: 'OLD.jws', help: 'the previous issue: check the serial grows, print the changes' },
} as const;

interface WorkingFile {
  network: string;
  /** The serial of the last signed issue; 0 before the first. */
  serial: number;
  states: DirectoryEntry[];
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TnxError('not_found', `cannot read ${what} ${path}`, { cause });
  }
  try {
    return parseStrictJson(text);
  } catch (cause) {
    throw new TnxError('directory_invalid', `${what} ${path} is not strict JSON`, { cause });
  }
}

function writeAtomically(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, text, { mode: 0o644, flag: 'wx' });
  renameSync(tmp, path);
}

function readWorking(path: string): WorkingFile {
  const w = readJson(path, 'working file') as WorkingFile;
  if (
    !w ||
    typeof w !== 'object' ||
    typeof w.network !== 'string' ||
    !Number.isSafeInteger(w.serial) ||
    !Array.isArray(w.states)
  )
    throw new TnxError('directory_invalid', `${path} is not a directory working file (tnx directory init)`);
  checkEntries(w.states);
  return w;
}

function writeWorking(path: string, w: WorkingFile): void {
  w.states.sort((a, b) => (a.state < b.state ? -1 : 1));
  checkEntries(w.states);
  writeAtomically(path, `${JSON.stringify(w, null, 2)}\n`);
}

const now = () => new Date(systemClock.now()).toISOString();

function normaliseKeys(keys: unknown, where: string): DirectoryEntry['jwks'] {
  // Public members and TNX validity members only: a private member never reaches the document.
  const jwks = checkJwks(
    { keys: Array.isArray(keys) ? keys.map((k) => toDirectoryKey(k as Record<string, unknown>)) : keys },
    where,
    'public',
    'config_invalid',
  );
  return { keys: jwks.keys };
}

function stateOption(values: { state?: string | undefined }): string {
  const state = requireOption(values, 'state');
  if (!/^[A-Z]{3}$/.test(state)) throw new UsageError('--state must be an ISO 3166-1 alpha-3 code in upper case');
  return state;
}

function init(values: Values<typeof INIT>, io: CliIo): number {
  const file = requireOption(values, 'file');
  const network = requireOption(values, 'network');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(network)) throw new UsageError('--network may hold A-Z a-z 0-9 . _ - (1-64)');
  if (existsSync(file) && values.force !== true)
    throw new TnxError('conflict', `${file} exists; pass --force to replace it`);
  writeWorking(file, { network, serial: 0, states: [] });
  io.out(`working file: ${file} (network ${network}, no states yet)`);
  return 0;
}

function add(values: Values<typeof ADD>, io: CliIo): number {
  const file = requireOption(values, 'file');
  const w = readWorking(file);
  const raw = readJson(requireOption(values, 'entry'), 'entry') as Record<string, unknown>;
  const keys = values.jwks ? (readJson(values.jwks, 'public JWKS') as Jwks).keys : (raw.jwks as Jwks | undefined)?.keys;
  const entry = { ...raw, jwks: normaliseKeys(keys, 'entry/jwks') } as DirectoryEntry;
  entry.accepts ??= ['TravelNotification', 'TravelUpdate', 'FollowUpReport'];
  if (w.states.some((s) => s.state === entry.state))
    throw new TnxError('conflict', `${String(entry.state)} is already in the directory; use tnx directory update`);
  w.states.push(entry);
  writeWorking(file, w);
  io.out(`added ${entry.state}: ${entry.jwks.keys.map((k) => `${k.kid} (${k.use})`).join(', ')}`);
  return 0;
}

function update(values: Values<typeof UPDATE>, io: CliIo): number {
  const file = requireOption(values, 'file');
  const state = stateOption(values);
  const activateIn = values['activate-in-hours'];
  let notBefore: string | undefined;
  if (activateIn !== undefined) {
    const hours = Number(activateIn);
    if (!/^\d+(\.\d+)?$/.test(activateIn) || !(hours > 0) || hours > 24 * 90)
      throw new UsageError('--activate-in-hours must be a number of hours, more than 0 and at most 2160');
    if (!values.entry) throw new UsageError('--activate-in-hours applies to the keys an --entry adds');
    notBefore = new Date(systemClock.now() + Math.round(hours * 3_600_000)).toISOString();
  }
  const w = readWorking(file);
  const i = w.states.findIndex((s) => s.state === state);
  if (i < 0) throw new TnxError('not_found', `no state ${state} in the directory; use tnx directory add`);
  let e: DirectoryEntry = structuredClone(w.states[i]!);
  const at = now();
  const changes: string[] = [];
  if (values.entry) {
    const raw = readJson(values.entry, 'entry') as Record<string, unknown>;
    if (raw.state !== undefined && raw.state !== state)
      throw new TnxError(
        'conflict',
        `the entry is for ${typeof raw.state === 'string' ? raw.state : 'another state'}, not ${state}`,
      );
    const { jwks, ...rest } = raw as Partial<DirectoryEntry> & Record<string, unknown>;
    e = { ...e, ...(rest as Partial<DirectoryEntry>), state };
    if (Object.keys(rest).some((k) => k !== 'state'))
      changes.push(
        `fields ${Object.keys(rest)
          .filter((k) => k !== 'state')
          .join(', ')}`,
      );
    if (jwks !== undefined) {
      // The state sends its current public keys: new kids are added, kids it no longer lists are retired.
      const sent = normaliseKeys(jwks.keys, 'entry/jwks').keys;
      const sentKids = new Set(sent.map((k) => k.kid));
      const held = new Set(e.jwks.keys.map((k) => k.kid));
      e.jwks.keys = e.jwks.keys.map((k) => {
        if (isRetired(k) || sentKids.has(k.kid)) return k;
        changes.push(`retired ${k.kid}`);
        return { ...k, tnx_retired: at };
      });
      for (const k of sent)
        if (!held.has(k.kid)) {
          e.jwks.keys.push(notBefore ? { ...k, tnx_not_before: notBefore } : k);
          changes.push(notBefore ? `added ${k.kid} (usable from ${notBefore})` : `added ${k.kid}`);
        }
    }
  }
  if (values.endpoint !== undefined) {
    e.endpoint = values.endpoint === 'none' ? null : values.endpoint;
    changes.push('endpoint');
  }
  for (const [kids, marker] of [
    [values.retire ?? [], 'tnx_retired'],
    [values.revoke ?? [], 'tnx_revoked'],
  ] as const) {
    for (const kid of kids) {
      const k = e.jwks.keys.find((x) => x.kid === kid);
      if (!k) throw new TnxError('not_found', `${state} has no key ${kid}`);
      if (k[marker])
        throw new TnxError('conflict', `key ${kid} is already ${marker === 'tnx_retired' ? 'retired' : 'revoked'}`);
      k[marker] = at;
      changes.push(`${marker === 'tnx_retired' ? 'retired' : 'revoked'} ${kid}`);
    }
  }
  if (changes.length === 0) throw new UsageError('nothing to update: pass --entry, --endpoint, --retire or --revoke');
  w.states[i] = e;
  writeWorking(file, w);
  io.out(`updated ${state}: ${changes.join('; ')}`);
  return 0;
}

function remove(values: Values<typeof REMOVE>, io: CliIo): number {
  const file = requireOption(values, 'file');
  const state = stateOption(values);
  const w = readWorking(file);
  const before = w.states.length;
  w.states = w.states.filter((s) => s.state !== state);
  if (w.states.length === before) throw new TnxError('not_found', `no state ${state} in the directory`);
  writeWorking(file, w);
  io.out(`removed ${state}; gateways stop sending to it and accepting its keys with the next signed issue`);
  return 0;
}

function positiveNumber(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
}

async function sign(values: Values<typeof SIGN>, io: CliIo): Promise<number> {
  const file = requireOption(values, 'file');
  const out = requireOption(values, 'out');
  const nextHours = positiveNumber(values['next-update-hours'], 'next-update-hours', 24);
  const validDays = positiveNumber(values['valid-days'], 'valid-days', 7);
  if (validDays * 24 < nextHours) throw new UsageError('--valid-days must cover --next-update-hours');
  const w = readWorking(file);
  const t = systemClock.now();
  const signer = coordinatorSigningKey(readPrivateJwksFile(requireOption(values, 'keys')), t);
  const doc: NetworkDirectory = {
    v: DIRECTORY_VERSION,
    network: w.network,
    serial: w.serial + 1,
    issuedAt: new Date(t).toISOString(),
    nextUpdate: new Date(t + nextHours * 3600_000).toISOString(),
    expiresAt: new Date(t + validDays * 86400_000).toISOString(),
    states: w.states,
  };
  const jws = await signNetworkDirectory(doc, signer);
  writeAtomically(out, `${jws}\n`);
  // The serial is recorded only once the issue exists: a failed sign never burns a serial.
  writeWorking(file, { ...w, serial: doc.serial });
  io.out(
    `signed directory ${out}: network ${doc.network}, serial ${doc.serial}, ${doc.states.length} states, kid ${signer.kid}`,
  );
  io.out(`next update by ${doc.nextUpdate}; expires ${doc.expiresAt}`);
  return 0;
}

async function verify(values: Values<typeof VERIFY>, io: CliIo): Promise<number> {
  const anchors = checkAnchors(readJson(requireOption(values, 'anchors'), 'trust anchors'));
  const t = systemClock.now();
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch (cause) {
      throw new TnxError('not_found', `cannot read ${p}`, { cause });
    }
  };
  const base = { anchors, now: t, ...(values.network ? { network: values.network } : {}) };
  const previous = values.previous
    ? (await verifyNetworkDirectory(read(values.previous), { ...base, allowExpired: true })).document
    : null;
  const { document, kid } = await verifyNetworkDirectory(read(requireOption(values, 'in')), {
    ...base,
    ...(previous ? { minSerial: previous.serial } : {}),
  });
  io.out(`OK: network ${document.network}, serial ${document.serial}, signed by ${kid}`);
  io.out(`issued ${document.issuedAt}; next update ${document.nextUpdate}; expires ${document.expiresAt}`);
  for (const s of document.states) {
    const usable = s.jwks.keys.filter((k) => !isRetired(k)).map((k) => `${k.kid}(${k.use})`);
    io.out(`  ${s.state}  ${s.endpoint ?? '(no gateway)'}  keys: ${usable.join(' ') || '(none)'}`);
  }
  if (previous) for (const line of describeDiff(diffDirectories(previous, document))) io.out(`  ${line}`);
  return 0;
}

export function register(program: Command, cli: CliRun): void {
  const dir = group(program, 'directory', 'the signed network directory (coordinator side)', USAGE);
  const usage = USAGE;
  command(dir, cli, 'init', { summary: 'start a working file for a new network', usage, options: INIT, run: init });
  command(dir, cli, 'add', { summary: 'add a state from its directory entry', usage, options: ADD, run: add });
  command(dir, cli, 'update', {
    summary: "change a state's entry, endpoint or key status",
    usage,
    options: UPDATE,
    run: update,
  });
  command(dir, cli, 'remove', { summary: 'remove a state', usage, options: REMOVE, run: remove });
  command(dir, cli, 'sign', {
    summary: 'sign the working file into a directory issue',
    usage,
    options: SIGN,
    run: sign,
  });
  command(dir, cli, 'verify', {
    summary: 'check a signed issue against the trust anchors',
    usage,
    options: VERIFY,
    run: verify,
  });
}
