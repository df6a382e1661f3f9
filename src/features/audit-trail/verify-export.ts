/**
 * Offline verification of an audit export (./export.ts) with nothing but the file and a public JWKS
 * obtained independently — never the JWKS inside the file, which whoever edits the file can replace.
 *
 * What it proves: every event up to the last checkpoint in the file is exactly what the gateway had
 * when it signed that checkpoint (the signed headHash commits to the whole prefix). Events after the
 * last checkpoint are reported as `unsealed`: consistent, but not yet signed.
 */
import type { JSONWebKeySet } from 'jose';
import type { AuditCheckpoint, AuditEvent } from '../../ports/store/index.js';
import { GENESIS_HASH } from '../../domain/audit/chain.js';
import { EXPORT_FORMATS_READ } from './export.js';
import { indexCheckpoints, type VerifyResult } from './verify.js';
import { ChainWalker } from './walker.js';

const HEX64 = /^[0-9a-f]{64}$/;

export interface ExportVerifyResult extends VerifyResult {
  /** The exported window as the header states it. */
  fromSeq: number;
  toSeq: number;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * `at` as the chain hashed it (epoch ms): an ISO string of format 2 (only the exact form the exporter
 * writes, so one instant has one spelling), an integer in format 1; null when neither.
 */
function epochMsOf(at: unknown): number | null {
  if (Number.isSafeInteger(at)) return at as number;
  if (typeof at !== 'string' || !ISO_MS.test(at)) return null;
  const ms = Date.parse(at);
  return Number.isFinite(ms) && new Date(ms).toISOString() === at ? ms : null;
}

function isCheckpointLine(v: Record<string, unknown>): boolean {
  return (
    Number.isSafeInteger(v.seq) &&
    typeof v.headHash === 'string' &&
    epochMsOf(v.at) !== null &&
    typeof v.jws === 'string'
  );
}

function isEventLine(v: Record<string, unknown>): boolean {
  return (
    Number.isSafeInteger(v.seq) &&
    typeof v.id === 'string' &&
    typeof v.action === 'string' &&
    typeof v.actor === 'string' &&
    typeof v.prevHash === 'string' &&
    HEX64.test(v.prevHash) &&
    typeof v.hash === 'string'
  );
}

function parse(line: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function verifyExport(
  lines: Iterable<string> | AsyncIterable<string>,
  jwks: JSONWebKeySet,
): Promise<ExportVerifyResult> {
  let header: { fromSeq: number; toSeq: number } | null = null;
  const checkpoints: AuditCheckpoint[] = [];
  let walker: ChainWalker | null = null;
  const malformed = (seq: number): ExportVerifyResult => ({
    ok: false,
    events: 0,
    checkpoints: 0,
    unsealed: 0,
    fromSeq: header?.fromSeq ?? 0,
    toSeq: header?.toSeq ?? 0,
    firstBad: { seq, id: null, problem: 'malformed export line' },
  });

  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const v = parse(line);
    if (!header) {
      if (
        !v ||
        v.type !== 'header' ||
        !(EXPORT_FORMATS_READ as readonly unknown[]).includes(v.format) ||
        !Number.isSafeInteger(v.fromSeq) ||
        !Number.isSafeInteger(v.toSeq)
      )
        return malformed(0);
      header = { fromSeq: v.fromSeq as number, toSeq: v.toSeq as number };
      continue;
    }
    if (v?.type === 'checkpoint' && !walker) {
      if (!isCheckpointLine(v)) return malformed(Number(v.seq) || 0);
      checkpoints.push({
        seq: v.seq as number,
        headHash: v.headHash as string,
        at: epochMsOf(v.at) as number,
        jws: v.jws as string,
      });
      continue;
    }
    if (v?.type !== 'event' || !isEventLine(v)) {
      if (walker) {
        walker.fail({ seq: walker.expectedSeq, id: null, problem: 'malformed export line' });
        break;
      }
      return malformed(header.fromSeq);
    }
    // The chain starts at genesis only when the export starts at seq 1; otherwise the first event's
    // prevHash is taken as given — it is bound into every later hash, so a checkpoint still covers it.
    walker ??= new ChainWalker(await indexCheckpoints(checkpoints, jwks), {
      anchor: header.fromSeq === 1 ? GENESIS_HASH : null,
      firstSeq: header.fromSeq,
    });
    const at = epochMsOf(v.at);
    // A time that is neither form is passed on as is: the chain's own check refuses it by seq.
    if (!walker.step({ ...v, at: at ?? v.at } as unknown as AuditEvent)) break;
  }
  if (!header) return malformed(0);
  walker ??= new ChainWalker(await indexCheckpoints(checkpoints, jwks), {
    anchor: GENESIS_HASH,
    firstSeq: header.fromSeq || 1,
  });
  walker.finish({ checkBeforeStart: true });
  if (!walker.firstBad && header.toSeq > 0 && walker.expectedSeq - 1 < header.toSeq) {
    // Lines cut from the end of the file: fewer events than the header announces.
    walker.fail({ seq: walker.expectedSeq, id: null, problem: 'sequence gap (event removed)' });
  }
  return { ...walker.result(), fromSeq: header.fromSeq, toSeq: header.toSeq };
}
