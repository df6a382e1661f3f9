/**
 * The audit hash chain: the one function every writer (both store adapters) and every verifier
 * (`tnx audit verify`, an auditor's offline script) use to bind an event to its predecessor.
 *
 * EXACT BYTE FORMAT — an auditor re-implements this offline, so it is fixed and documented here:
 *
 *   hash(event) = lowercase hex( SHA-256( ASCII(prevHash) || UTF-8(canonical(event)) ) )
 *
 *   - prevHash is the previous event's `hash`: exactly 64 lowercase hex characters, so the plain
 *     concatenation is unambiguous (no separator). The first event (seq 1) uses GENESIS_HASH,
 *     64 × "0".
 *   - canonical(event) is a JSON text of an object with exactly these nine members, in this order:
 *       seq, id, at, action, actor, messageId, partner, outcome, detail
 *     (`prevHash` and `hash` themselves are not part of it). `messageId`, `partner`, `outcome`,
 *     `detail` are `null` when absent. No whitespace anywhere.
 *   - Values inside `detail` are canonicalised recursively in the manner of RFC 8785 (JCS): object
 *     members sorted by key in UTF-16 code-unit order (JavaScript's default sort), arrays in their
 *     order, strings as JSON.stringify escapes them, numbers in ECMAScript Number-to-String form
 *     (JSON.stringify), `true`/`false`/`null`. Members whose value is `undefined` are omitted, as
 *     they would be after a JSON round trip through the store.
 *   - Refused (TnxError invalid_request): non-finite numbers, bigint, functions, symbols, `undefined`
 *     inside arrays, and anything that is not a plain object/array (Date, Map, Buffer …) — because
 *     such values would not survive the store's JSON round trip identically, and a chain that cannot
 *     be re-verified from what is stored is worthless.
 *
 * Example: seq 1, id "e1", at 0, action "a.b", actor "system", everything else null:
 *   canonical = {"seq":1,"id":"e1","at":0,"action":"a.b","actor":"system","messageId":null,
 *                "partner":null,"outcome":null,"detail":null}        (one line)
 *   hash = sha256("000…000" + canonical)
 */
import { createHash } from 'node:crypto';
import { tnxError } from '../../core/errors.js';

/** prevHash of the first event in the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that are bound into the chain (everything except prevHash/hash). */
export interface ChainedFields {
  seq: number;
  id: string;
  at: number;
  action: string;
  actor: string;
  messageId?: string | null;
  partner?: string | null;
  outcome?: string | null;
  detail?: Record<string, unknown> | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Canonical JSON of any JSON-compatible value (sorted keys, no whitespace); see the header comment. */
export function canonicalJson(value: unknown, pointer = ''): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw refuse(pointer, 'a non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw refuse(pointer, `a value of type ${typeof value}`);
  }
  if (Array.isArray(value)) {
    const parts = value.map((v, i) => {
      if (v === undefined) throw refuse(`${pointer}/${i}`, 'undefined inside an array');
      return canonicalJson(v, `${pointer}/${i}`);
    });
    return `[${parts.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw refuse(pointer, 'a non-plain object');
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  const members = keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k], `${pointer}/${escapePointer(k)}`)}`);
  return `{${members.join(',')}}`;
}

/** The canonical form of one audit event: the nine chained fields, in their fixed order. */
export function canonicalAuditEvent(event: ChainedFields): string {
  if (!Number.isSafeInteger(event.seq) || event.seq < 1) throw refuse('/seq', 'a seq that is not a positive integer');
  if (!Number.isSafeInteger(event.at)) throw refuse('/at', 'an `at` that is not integer epoch milliseconds');
  if (typeof event.id !== 'string' || typeof event.action !== 'string' || typeof event.actor !== 'string') {
    throw refuse('', 'an event without string id, action and actor');
  }
  const ordered = [
    ['seq', event.seq],
    ['id', event.id],
    ['at', event.at],
    ['action', event.action],
    ['actor', event.actor],
    ['messageId', event.messageId ?? null],
    ['partner', event.partner ?? null],
    ['outcome', event.outcome ?? null],
    ['detail', event.detail ?? null],
  ] as const;
  return `{${ordered.map(([k, v]) => `"${k}":${canonicalJson(v, `/${k}`)}`).join(',')}}`;
}

/** Hex SHA-256 over prevHash and the event's canonical form (byte format in the header comment). */
export function chainHash(prevHash: string, event: ChainedFields): string {
  if (!HEX64.test(prevHash)) throw refuse('/prevHash', 'a prevHash that is not 64 lowercase hex characters');
  return createHash('sha256').update(prevHash, 'ascii').update(canonicalAuditEvent(event), 'utf8').digest('hex');
}

function escapePointer(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

// The message names the kind of value and where it sits, never the value itself (it could be personal data).
function refuse(pointer: string, what: string) {
  return tnxError('invalid_request', `audit event holds ${what}`, { pointer: pointer || '/' });
}
