/**
 * Export part of the audit trail as JSON Lines an auditor can verify offline (./verify-export.ts, or
 * `tnx audit verify-export`):
 *
 *   line 1      {"type":"header","format":"tnx-audit-export/1", state, exportedAt, selection,
 *                fromSeq, toSeq, jwks}
 *   then        {"type":"checkpoint", seq, headHash, at, jws}            — every checkpoint in range
 *   then        {"type":"event", seq, id, at, action, actor, messageId, partner, outcome, detail,
 *                prevHash, hash}                                        — seq ascending, gapless
 *
 * The exported seq range is contiguous (a chain with holes cannot be checked) and is extended forward
 * to the next checkpoint, so every exported event is covered by a signature. A time selection becomes
 * the seq window from the first to the last event whose `at` falls in it; events inside that window
 * with an `at` outside it (clocks of several processes differ slightly) are included, never dropped.
 *
 * The header's `jwks` is informational: an auditor verifies with a JWKS obtained independently (e.g.
 * from the partner directory), since anyone who can edit the file can also edit its header.
 */
import { isoTime } from '../../core/clock.js';
import type { JSONWebKeySet } from 'jose';
import type { AuditCheckpoint, AuditEvent, AuditRepo } from '../../ports/store/index.js';

/**
 * Version 2 writes every time as an RFC 3339 string (`at` of events and checkpoints), as the rest of
 * the API does; version 1 files (epoch milliseconds) are still verified.
 */
export const EXPORT_FORMAT = 'tnx-audit-export/2';
export const EXPORT_FORMATS_READ = ['tnx-audit-export/1', EXPORT_FORMAT] as const;

export type ExportSelection = { fromSeq: number; toSeq: number } | { from: number; to: number };

export interface ExportOptions {
  selection: ExportSelection;
  /** Public JWKS of the signing keys (KeyRing.publicJwks()), written into the header. */
  jwks: JSONWebKeySet;
  state: string;
  now: number;
  batchSize?: number;
}

export interface ExportHeader {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  state: string;
  exportedAt: string;
  selection: { from: string; to: string } | { fromSeq: number; toSeq: number };
  /** The exported seq window; 0/0 — no events — when nothing matched. */
  fromSeq: number;
  toSeq: number;
  jwks: JSONWebKeySet;
}

export interface ExportSummary {
  fromSeq: number;
  toSeq: number;
  events: number;
  checkpoints: number;
}

/** Seq window [first, last] of the events with from ≤ at < to, by one streaming pass; null when none. */
export async function seqWindowForTime(
  audit: AuditRepo,
  from: number,
  to: number,
  batchSize = 5000,
): Promise<{ fromSeq: number; toSeq: number } | null> {
  let first: number | null = null;
  let last: number | null = null;
  for await (const e of streamEvents(audit, 1, Number.MAX_SAFE_INTEGER, batchSize)) {
    if (e.at >= from && e.at < to) {
      first ??= e.seq;
      last = e.seq;
    }
  }
  return first === null || last === null ? null : { fromSeq: first, toSeq: last };
}

/** Events in [fromSeq, toSeq], ascending, read in batches (memory flat). */
export async function* streamEvents(
  audit: AuditRepo,
  fromSeq: number,
  toSeq: number,
  batchSize = 5000,
): AsyncGenerator<AuditEvent> {
  let next = fromSeq;
  while (next <= toSeq) {
    const batch = await audit.range(next, toSeq, batchSize);
    if (batch.length === 0) return;
    for (const e of batch) yield e;
    next = (batch[batch.length - 1]?.seq ?? toSeq) + 1;
  }
}

/**
 * The export as lines (without trailing newlines). `summary` is filled as the generator runs; read it
 * after the last line.
 */
export async function* exportLines(
  audit: AuditRepo,
  options: ExportOptions,
  summary?: ExportSummary,
): AsyncGenerator<string> {
  const batchSize = options.batchSize ?? 5000;
  const sel = options.selection;
  const window =
    'fromSeq' in sel ? clampSeq(sel, await audit.head()) : await seqWindowForTime(audit, sel.from, sel.to, batchSize);
  const checkpoints = (await audit.listCheckpoints()).sort((a, b) => a.seq - b.seq || a.at - b.at);
  let fromSeq = 0;
  let toSeq = 0;
  if (window) {
    fromSeq = window.fromSeq;
    // Extend to the first checkpoint at or after the end, so the last exported events are signed too.
    toSeq = checkpoints.find((c) => c.seq >= window.toSeq)?.seq ?? window.toSeq;
  }
  const header: ExportHeader = {
    type: 'header',
    format: EXPORT_FORMAT,
    state: options.state,
    exportedAt: isoTime(options.now),
    selection:
      'fromSeq' in sel ? { fromSeq: sel.fromSeq, toSeq: sel.toSeq } : { from: isoTime(sel.from), to: isoTime(sel.to) },
    fromSeq,
    toSeq,
    jwks: options.jwks,
  };
  yield JSON.stringify(header);
  const counts: ExportSummary = summary ?? { fromSeq, toSeq, events: 0, checkpoints: 0 };
  Object.assign(counts, { fromSeq, toSeq, events: 0, checkpoints: 0 });
  if (!window) return;
  for (const c of checkpoints) {
    if (c.seq < fromSeq || c.seq > toSeq) continue;
    counts.checkpoints += 1;
    yield JSON.stringify(checkpointLine(c));
  }
  for await (const e of streamEvents(audit, fromSeq, toSeq, batchSize)) {
    counts.events += 1;
    yield JSON.stringify(eventLine(e));
  }
}

function clampSeq(
  sel: { fromSeq: number; toSeq: number },
  head: { seq: number } | null,
): { fromSeq: number; toSeq: number } | null {
  const fromSeq = Math.max(1, sel.fromSeq);
  const toSeq = Math.min(sel.toSeq, head?.seq ?? 0);
  return fromSeq <= toSeq ? { fromSeq, toSeq } : null;
}

function checkpointLine(c: AuditCheckpoint) {
  return { type: 'checkpoint', seq: c.seq, headHash: c.headHash, at: isoTime(c.at), jws: c.jws };
}

function eventLine(e: AuditEvent) {
  return {
    type: 'event',
    seq: e.seq,
    id: e.id,
    // The hash covers the epoch-ms value; the ISO form holds the same milliseconds, so a verifier
    // reads it back exactly (verify-export.ts).
    at: isoTime(e.at),
    action: e.action,
    actor: e.actor,
    messageId: e.messageId ?? null,
    partner: e.partner ?? null,
    outcome: e.outcome ?? null,
    detail: e.detail ?? null,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
