/**
 * `tnx audit verify|export|verify-export`.
 *
 *   verify         checks the whole trail in the configured store and every checkpoint signature;
 *                  exit 0 when intact, 1 naming the first bad event (seq, id) and the problem.
 *   export         writes events and the checkpoints covering them as JSON Lines (src/features/audit-trail/export.ts),
 *                  and records an `audit.exported` event.
 *   verify-export  what an auditor runs offline: an export file and a public JWKS, no store, no config.
 *
 * Verification keys are the public parts of every signing key in the key file, retired ones included
 * (src/features/audit-trail/audit-jwks.ts), or a public JWKS given with --jwks.
 */
import { createReadStream, createWriteStream, existsSync, linkSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { JSONWebKeySet } from 'jose';
import { auditJwksFromFile } from '../../features/audit-trail/audit-jwks.js';
import { exportLines, type ExportSelection, type ExportSummary } from '../../features/audit-trail/export.js';
import { checkAuditEvent } from '../../domain/audit/check-event.js';
import { attachAuditTrail } from '../../features/audit-trail/subscriber.js';
import { verifyExport } from '../../features/audit-trail/verify-export.js';
import { verifySqliteTrail } from '../../runtime/audit-verify/verify-parallel.js';
import { verifyTrail, type BadEntry, type VerifyResult } from '../../features/audit-trail/verify.js';
import { loadConfigFile } from '../../config/load.js';
import type { TnxConfig } from '../../config/schema.js';
import { TnxError } from '../../core/errors.js';
import { EventBus } from '../../domain/audit/event-bus.js';
import { openStore } from '../../runtime/open-store.js';
import type { Store } from '../../ports/store/index.js';
import { systemClock } from '../../core/clock.js';
import type { CliIo } from '../io.js';
import type { Command } from 'commander';
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

const USAGE = [
  'usage: tnx audit verify --config FILE [--jwks PUBLIC_JWKS] [--json]',
  '       tnx audit export --config FILE (--from ISO --to ISO | --from-seq N --to-seq N) [--out FILE] [--actor ID]',
  '       tnx audit verify-export --jwks PUBLIC_JWKS [--in FILE]   (reads standard input without --in)',
].join('\n');

const VERIFY = {
  ...CONFIG_OPTION,
  jwks: { type: 'string', arg: 'PUBLIC_JWKS', help: 'verification keys (default: from the configured key file)' },
  json: { type: 'boolean', help: 'print the result as JSON' },
} as const;

const EXPORT = {
  ...CONFIG_OPTION,
  from: { type: 'string', arg: 'ISO', help: 'first instant (RFC 3339), with --to' },
  to: { type: 'string', arg: 'ISO', help: 'end instant, exclusive (RFC 3339)' },
  'from-seq': { type: 'string', arg: 'N', help: 'first sequence number, with --to-seq' },
  'to-seq': { type: 'string', arg: 'N', help: 'last sequence number' },
  out: { type: 'string', arg: 'FILE', help: 'write here (default: standard output)' },
  actor: { type: 'string', arg: 'ID', help: 'who exports, recorded in the audit.exported event (default: cli)' },
} as const;

const VERIFY_EXPORT = {
  jwks: { type: 'string', arg: 'PUBLIC_JWKS', help: 'verification keys' },
  in: { type: 'string', arg: 'FILE', help: 'the export file (default: standard input)' },
  json: { type: 'boolean', help: 'print the result as JSON' },
} as const;

export function register(program: Command, cli: CliRun): void {
  const audit = group(program, 'audit', 'verify or export the audit trail', USAGE);
  const usage = USAGE;
  command(audit, cli, 'verify', {
    summary: 'check the whole trail and every checkpoint signature (exit 1 names the first bad event)',
    usage,
    options: VERIFY,
    run: verifyCommand,
  });
  command(audit, cli, 'export', {
    summary: 'write events and their checkpoints as JSON Lines',
    usage,
    options: EXPORT,
    run: exportCommand,
  });
  command(audit, cli, 'verify-export', {
    summary: 'check an export file offline against a public JWKS',
    usage,
    options: VERIFY_EXPORT,
    run: verifyExportCommand,
  });
}

async function verifyCommand(values: Values<typeof VERIFY>, io: CliIo): Promise<number> {
  const config = loadConfigFile(configPathFrom(values));
  const jwks = values.jwks ? readPublicJwks(values.jwks) : auditJwksFromFile(config.keys.privateJwksPath);
  // SQLite: segments of the trail are walked on the idle cores (src/runtime/audit-verify/verify-parallel.ts), same result
  // as one walk. MongoDB: one streaming walk through the store port.
  const result =
    config.store.kind === 'sqlite'
      ? await verifySqliteTrail({ sqlitePath: existingSqlitePath(config), jwks })
      : await verifyThroughPort(config, jwks);
  if (values.json) io.out(JSON.stringify(result));
  else if (result.ok) {
    io.out(`audit trail intact: ${result.events} events, ${result.checkpoints} checkpoints checked`);
    if (result.unsealed > 0) io.out(`note: the last ${result.unsealed} events are not yet covered by a checkpoint`);
  } else {
    io.err(`audit trail TAMPERED: ${describeBad(result.firstBad)}`);
    io.err(`checked ${result.events} events and ${result.checkpoints} checkpoints before it`);
  }
  return result.ok ? 0 : 1;
}

async function exportCommand(values: Values<typeof EXPORT>, io: CliIo): Promise<number> {
  const selection = selectionFrom(values);
  const actor = values.actor ?? 'cli';
  // Refuse a bad --actor now, not after the file is written and the export could not be recorded.
  checkAuditEvent({ action: 'audit.exported', actor, at: systemClock.now() });
  const config = loadConfigFile(configPathFrom(values));
  const jwks = auditJwksFromFile(config.keys.privateJwksPath);
  const store = await openExistingStore(config);
  try {
    const summary: ExportSummary = { fromSeq: 0, toSeq: 0, events: 0, checkpoints: 0 };
    const lines = exportLines(store.audit, { selection, jwks, state: config.state, now: systemClock.now() }, summary);
    if (values.out) await writeLines(values.out, lines);
    else for await (const line of lines) io.out(line);

    // Handing the trail to someone is itself an audited act; it goes through the one audit writer.
    const bus = new EventBus();
    attachAuditTrail(bus, store.audit);
    await bus.publish({
      action: 'audit.exported',
      actor,
      at: systemClock.now(),
      outcome: 'exported',
      detail: {
        fromSeq: summary.fromSeq,
        toSeq: summary.toSeq,
        events: summary.events,
        checkpoints: summary.checkpoints,
      },
    });
    io.err(
      `exported ${summary.events} events (seq ${summary.fromSeq}..${summary.toSeq}) and ${summary.checkpoints} checkpoints`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

async function verifyExportCommand(values: Values<typeof VERIFY_EXPORT>, io: CliIo): Promise<number> {
  const jwks = readPublicJwks(requireOption(values, 'jwks'));
  const input = values.in ? createReadStream(values.in, 'utf8') : process.stdin;
  const result = await verifyExport(createInterface({ input, crlfDelay: Infinity }), jwks);
  if (values.json) io.out(JSON.stringify(result));
  else if (result.ok) {
    io.out(
      `export intact: ${result.events} events (seq ${result.fromSeq}..${result.toSeq}), ${result.checkpoints} checkpoints checked`,
    );
    if (result.unsealed > 0)
      io.out(`warning: the last ${result.unsealed} events are not covered by a checkpoint signature`);
  } else {
    io.err(`export TAMPERED: ${describeBad(result.firstBad)}`);
  }
  return result.ok ? 0 : 1;
}

function describeBad(bad: BadEntry | undefined): string {
  if (!bad) return 'unknown problem';
  return `first bad event seq ${bad.seq}${bad.id ? ` (id ${bad.id})` : ''}: ${bad.problem}`;
}

function selectionFrom(values: Record<string, string | undefined>): ExportSelection {
  const byTime = values.from !== undefined || values.to !== undefined;
  const bySeq = values['from-seq'] !== undefined || values['to-seq'] !== undefined;
  if (byTime === bySeq) throw new UsageError('give either --from and --to, or --from-seq and --to-seq');
  if (byTime) {
    const from = isoTime(requireOption(values, 'from'), 'from');
    const to = isoTime(requireOption(values, 'to'), 'to');
    if (to <= from) throw new UsageError('--to must be after --from');
    return { from, to };
  }
  const fromSeq = seqNumber(requireOption(values, 'from-seq'), 'from-seq');
  const toSeq = seqNumber(requireOption(values, 'to-seq'), 'to-seq');
  if (toSeq < fromSeq) throw new UsageError('--to-seq must not be below --from-seq');
  return { fromSeq, toSeq };
}

/** RFC 3339 with an explicit offset only: a bare local time would mean different instants on different hosts. */
function isoTime(text: string, name: string): number {
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(t))
    throw new UsageError(`--${name} must be an RFC 3339 date-time with offset, e.g. 2026-11-27T00:00:00Z`);
  return t;
}

function seqNumber(text: string, name: string): number {
  const n = /^[0-9]{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

function readPublicJwks(path: string): JSONWebKeySet {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new TnxError('key_material_invalid', `cannot read JWKS file ${path}`, { cause });
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new TnxError('key_material_invalid', `${path} is not a JWKS with keys`);
  // An auditor's key file must hold public keys only; a private member means the wrong file was given.
  if (keys.some((k) => k && typeof k === 'object' && ('d' in k || 'p' in k || 'k' in k))) {
    throw new TnxError('key_material_invalid', `${path} holds private key material; give the public JWKS`);
  }
  return { keys: keys as JSONWebKeySet['keys'] };
}

/** Verification must not create an empty store where none was: that would "verify" nothing as intact. */
function existingSqlitePath(config: TnxConfig): string {
  if (config.store.sqlitePath === ':memory:' || !existsSync(config.store.sqlitePath)) {
    throw new TnxError('store_unavailable', `no store at ${config.store.sqlitePath}`);
  }
  return config.store.sqlitePath;
}

async function openExistingStore(config: TnxConfig): Promise<Store> {
  if (config.store.kind === 'sqlite') existingSqlitePath(config);
  return openStore(config.store);
}

async function verifyThroughPort(config: TnxConfig, jwks: JSONWebKeySet): Promise<VerifyResult> {
  const store = await openExistingStore(config);
  try {
    return await verifyTrail(store.audit, jwks);
  } finally {
    await store.close();
  }
}

/**
 * Write to a temporary file next to `path`, then link it into place: an interrupted export leaves no
 * half file under the final name, and link() fails on an existing file, so an earlier export an
 * auditor may already hold a digest of is never overwritten (not even by a concurrent export).
 */
async function writeLines(path: string, lines: AsyncIterable<string>): Promise<void> {
  if (existsSync(path)) throw new TnxError('conflict', `${path} exists; choose another --out`);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  const out = createWriteStream(tmp, { flags: 'wx', mode: 0o640 });
  try {
    try {
      await once(out, 'open');
    } catch (cause) {
      throw new TnxError('invalid_request', `cannot write next to ${path}`, { cause });
    }
    for await (const line of lines) if (!out.write(`${line}\n`)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    try {
      linkSync(tmp, path);
    } catch (cause) {
      const exists = (cause as { code?: string }).code === 'EEXIST';
      throw new TnxError(
        exists ? 'conflict' : 'invalid_request',
        exists ? `${path} exists; choose another --out` : `cannot write ${path}`,
        { cause },
      );
    }
  } finally {
    out.destroy();
    rmSync(tmp, { force: true });
  }
}
