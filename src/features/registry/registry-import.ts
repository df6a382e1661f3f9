/**
 * Bulk import of registrants (POST /api/v1/registrants/import, `tnx registry import`): one registrant
 * a line, read as the body streams in, each line validated and stored on its own. Every line carries
 * the registry's own `externalReference`, the key that makes a re-import idempotent:
 *
 *   unknown reference            → created (personal_data.created)
 *   known, same content          → unchanged (nothing written, no event: nothing changed)
 *   known, other content         → updated onto the same record (personal_data.altered)
 *   anything wrong with the line → refused, with its line number and error code; the rest goes on
 *
 * Audit: one event per registrant created or altered, written with the change through the store
 * (the one rule of docs/audit-trail.md: a state change carries its events), each with the import's id
 * in its detail so an auditor finds everything one import did. No import-wide event: it would repeat
 * the row events' facts, and unchanged rows changed nothing to record.
 *
 * The answer is a summary of counts and of refused lines (line number, code, JSON pointer): nothing
 * of the input is echoed. A failure of the store itself ends the import with that error; the lines
 * stored before it stay stored (and some after it may be: see below), and running the same file again
 * completes it (they come back unchanged).
 *
 * Throughput: up to `store.writeWindow` lines are in flight at once (SQLite: 256, one group commit; MongoDB: 4, see the port). A line is parsed, looked up, sealed and
 * handed to the store without waiting for the previous line's commit, so the store's group commit
 * (src/adapters/store-sqlite/write-batch.ts) puts many rows — each with its own audit event, each in
 * its own savepoint — into one transaction instead of paying one commit per row. Outcomes are still
 * taken in line order, so counts and refusals read exactly as if the lines ran one by one; a line
 * whose externalReference is already in flight waits until the earlier line is stored, so the second
 * finds the first (unchanged or updated, never a second person).
 */
import { isTnxError, TnxError } from '../../core/errors.js';
import { uuid7 } from '../../core/uuid7.js';
import type { Principal } from '../../core/principal.js';
import { parseStrictJson } from '../../domain/protocol/strict-json.js';
import { registrantAltered, registrantCreated } from '../../domain/registry/registry-events.js';
import { resealRegistrant, sealRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { BodyLine } from '../route.js';
import type { NationalDeps } from './deps.js';
import { changeTime, externalReferenceOf, sameContent, withId } from './registry-service.js';

/** At most this many refused lines are listed (all are counted), so the answer stays small. */
export const MAX_LISTED_REFUSALS = 1000;

export interface ImportRefusal {
  line: number;
  code: string;
  pointer?: string;
}

/** What an import counts: per request here, and summed over a file's parts by `tnx registry import`. */
export interface ImportCounts {
  lines: number;
  created: number;
  updated: number;
  unchanged: number;
  refused: number;
  refusals: ImportRefusal[];
}

/** Nothing counted yet: where both tallies start. */
export function noImportCounts(): ImportCounts {
  return { lines: 0, created: 0, updated: 0, unchanged: 0, refused: 0, refusals: [] };
}

export interface ImportSummary extends ImportCounts {
  importId: string;
  /** True when more lines were refused than listed. */
  refusalsTruncated: boolean;
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** The parsed line and its reference, or the line's own error (thrown). */
function parseLine(text: string): { body: object; ref: string } {
  const body = parseStrictJson(text);
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new TnxError('invalid_registrant', 'a line must be one registrant object', { pointer: '' });
  if ((body as { id?: unknown }).id !== undefined)
    throw new TnxError('invalid_registrant', '/id is assigned by the gateway', { pointer: '/id' });
  const ref = externalReferenceOf(body);
  if (ref === null)
    throw new TnxError('invalid_registrant', '/externalReference is required in an import', {
      pointer: '/externalReference',
    });
  return { body, ref };
}

async function importOne(
  deps: NationalDeps,
  principal: Principal,
  importId: string,
  body: object,
  ref: string,
): Promise<Outcome> {
  const { ctx } = deps;
  const prev = await ctx.store.registry.byExternalReference(ref);
  if (!prev) {
    const now = ctx.clock.now();
    const sealed = sealRegistrant(withId(body, uuid7()), deps.keys, now);
    const events = [registrantCreated(sealed.id, principal.id, now, importId)];
    await ctx.store.registry.insert(sealed, () => events);
    await ctx.events.announce(...events);
    return 'created';
  }
  if (sameContent(deps, prev, body)) return 'unchanged';
  const now = changeTime(deps, prev);
  const next = resealRegistrant(prev, withId(body, prev.id), deps.keys, now);
  const events = [registrantAltered(prev.id, principal.id, now, 'updated', importId)];
  if (!(await ctx.store.registry.replace(next, prev.updatedAt, () => events)))
    throw new TnxError('conflict', `registrant ${prev.id} was changed meanwhile`);
  await ctx.events.announce(...events);
  return 'updated';
}

/** Errors of the line itself are refusals; the store's own failures end the import. */
function lineError(err: unknown): ImportRefusal | null {
  if (!isTnxError(err) || err.code === 'store_unavailable' || err.code === 'internal_error') return null;
  return { line: 0, code: err.code, ...(err.pointer !== undefined ? { pointer: err.pointer } : {}) };
}

export async function importRegistrants(
  deps: NationalDeps,
  principal: Principal,
  lines: AsyncIterable<BodyLine>,
): Promise<ImportSummary> {
  const summary: ImportSummary = { importId: uuid7(), ...noImportCounts(), refusalsTruncated: false };
  const refuse = (r: ImportRefusal): void => {
    summary.refused++;
    if (summary.refusals.length < MAX_LISTED_REFUSALS) summary.refusals.push(r);
    else summary.refusalsTruncated = true;
  };
  // In line order: each line's outcome (a promise while its write is in flight).
  const window: { line: number; ref: string | null; settled: Promise<Settled> }[] = [];
  const refsInFlight = new Set<string>();
  const takeOldest = async (): Promise<void> => {
    const head = window.shift()!;
    const s = await head.settled;
    if (head.ref !== null) refsInFlight.delete(head.ref);
    if ('fatal' in s) throw s.fatal;
    if ('refusal' in s) refuse(s.refusal);
    else summary[s.outcome]++;
  };
  const settle = (line: number, p: Promise<Outcome>): Promise<Settled> =>
    p.then(
      (outcome) => ({ outcome }),
      (err: unknown) => {
        const r = lineError(err);
        return r ? { refusal: { ...r, line } } : { fatal: err };
      },
    );
  try {
    for await (const line of lines) {
      summary.lines++;
      if ('refused' in line) {
        const code = line.refused === 'line_too_long' ? 'payload_too_large' : 'malformed_json';
        window.push({
          line: line.number,
          ref: null,
          settled: Promise.resolve({ refusal: { line: line.number, code } }),
        });
      } else {
        let parsed: { body: object; ref: string } | null = null;
        try {
          parsed = parseLine(line.text);
        } catch (err) {
          window.push({ line: line.number, ref: null, settled: settle(line.number, Promise.reject(err)) });
        }
        if (parsed) {
          // The same reference earlier in this window: let it be stored first, so this line finds it.
          while (refsInFlight.has(parsed.ref)) await takeOldest();
          refsInFlight.add(parsed.ref);
          const outcome = importOne(deps, principal, summary.importId, parsed.body, parsed.ref);
          window.push({ line: line.number, ref: parsed.ref, settled: settle(line.number, outcome) });
        }
      }
      while (window.length >= deps.ctx.store.writeWindow) await takeOldest();
    }
    while (window.length > 0) await takeOldest();
  } finally {
    // After a fatal error: the writes still in flight settle on their own (their outcomes are caught).
    window.length = 0;
  }
  return summary;
}

type Settled = { outcome: Outcome } | { refusal: ImportRefusal } | { fatal: unknown };
