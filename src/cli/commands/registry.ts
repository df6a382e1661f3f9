/**
 * `tnx registry import FILE [--url URL] [--token TOKEN] [--batch LINES]`: load a registry from an
 * NDJSON file (one registrant a line, each with its `externalReference`) through the gateway's
 * POST /api/v1/registrants/import. The token is better given in TNX_TOKEN than on the command line
 * (where other users of the machine can read it); the URL defaults to TNX_URL.
 *
 * The file is sent in parts of `--batch` lines, one request each: every request stays well within the
 * server's request time limit (60 s, src/http/server.ts), and a failure mid-way costs one part — running
 * the same command again re-sends everything and the parts already stored come back unchanged.
 * Line numbers in the report are the file's.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { command, group, UsageError, type CliRun, type Values } from '../args.js';
import type { CliIo } from '../io.js';
import { noImportCounts, type ImportCounts } from '../../features/registry/registry-import.js';

const USAGE =
  'usage: tnx registry import FILE [--url URL] [--token TOKEN] [--batch LINES]   (TNX_URL, TNX_TOKEN; default batch 1000)';

export interface ImportTotals extends ImportCounts {
  requests: number;
}

/** What the gateway answers for one part: the counts of that part, before line numbers are mapped. */
type PartSummary = ImportCounts;

export interface ImportTarget {
  url: string;
  token: string;
  batch: number;
}

async function sendPart(target: ImportTarget, body: string): Promise<PartSummary> {
  const res = await fetch(new URL('/api/v1/registrants/import', target.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/x-ndjson' },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) {
    let code = `HTTP ${res.status}`;
    try {
      code = (JSON.parse(text) as { code?: string }).code ?? code;
    } catch {
      // not a problem document: the status says enough
    }
    throw new Error(`the gateway refused the import (${code})`);
  }
  return JSON.parse(text) as PartSummary;
}

/** Send `file` in parts; `onPart` sees the running totals after each part. */
export async function importFile(
  file: string,
  target: ImportTarget,
  onPart?: (totals: ImportTotals) => void,
): Promise<ImportTotals> {
  const totals: ImportTotals = { ...noImportCounts(), requests: 0 };
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let part: string[] = [];
  let firstLine = 1;
  let fileLine = 0;
  const flush = async (): Promise<void> => {
    if (part.length === 0) return;
    const s = await sendPart(target, part.join('\n'));
    totals.requests++;
    totals.lines += s.lines;
    totals.created += s.created;
    totals.updated += s.updated;
    totals.unchanged += s.unchanged;
    totals.refused += s.refused;
    for (const r of s.refusals) totals.refusals.push({ ...r, line: r.line + firstLine - 1 });
    part = [];
    firstLine = fileLine + 1;
    onPart?.(totals);
  };
  for await (const line of lines) {
    fileLine++;
    part.push(line);
    if (part.length >= target.batch) await flush();
  }
  await flush();
  return totals;
}

const IMPORT = {
  url: { type: 'string', arg: 'URL', help: 'the gateway (default: $TNX_URL)' },
  token: { type: 'string', arg: 'TOKEN', help: 'a registry bearer token (better: $TNX_TOKEN)' },
  batch: { type: 'string', arg: 'LINES', help: 'lines per request (default 1000)' },
} as const;

async function importCommand(values: Values<typeof IMPORT>, io: CliIo, positionals: string[]): Promise<number> {
  const file = positionals[0];
  if (!file) throw new UsageError('give the NDJSON file to import');
  const url = values.url ?? process.env.TNX_URL;
  const token = values.token ?? process.env.TNX_TOKEN;
  if (!url) throw new UsageError('give --url or set TNX_URL');
  if (!token) throw new UsageError('give --token or set TNX_TOKEN');
  const batch = Number(values.batch ?? 1000);
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > 1_000_000)
    throw new UsageError('--batch must be a whole number of lines, 1 to 1000000');
  const t = await importFile(file, { url, token, batch });
  io.out(
    `imported ${t.lines} lines in ${t.requests} requests: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.refused} refused`,
  );
  for (const r of t.refusals) io.out(`line ${r.line}: ${r.code}${r.pointer !== undefined ? ` at ${r.pointer}` : ''}`);
  return t.refused > 0 ? 1 : 0;
}

export function register(program: Command, cli: CliRun): void {
  const registry = group(program, 'registry', 'load registrants through the API (registry import FILE)', USAGE);
  command(registry, cli, 'import', {
    summary: 'send an NDJSON file of registrants to POST /api/v1/registrants/import, in parts',
    usage: USAGE,
    options: IMPORT,
    positionals: ['FILE'],
    run: importCommand,
  });
}
