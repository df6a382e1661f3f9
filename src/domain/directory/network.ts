/**
 * The signed network directory (protocol/SPEC.md §14): one document, issued by the coordinating body,
 * listing every participating state with its inbox and public keys. This module holds its shape and
 * the rules a document must meet before anyone signs or uses it; ./network-jws.ts signs and verifies
 * it, ./network-diff.ts says what changed, ./network-partners.ts turns it into our partner list.
 *
 * Validation is the JSON Schema (protocol/schemas/directory.schema.json) and then the rules a schema
 * cannot express: unique state codes, a kid used once in the whole document (a kid names one key
 * forever, so a retired kid cannot come back with other material), HTTPS endpoints (http: on loopback
 * only, for tests and demos), dates in order, and key material that node:crypto can parse for its alg.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { TnxError } from '../../core/errors.js';
import type { PointOfContact, StateCode } from '../protocol/types.js';
import { checkJwk, type TnxJwk } from '../keys/jwk.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const DIRECTORY_VERSION = '1';
/** JWS `typ` (RFC 8725 §3.11 explicit typing): a directory can never pass for a message or a receipt. */
export const DIRECTORY_TYP = 'tnx-directory+jwt';
/** Default bound on a signed document; 300 states with a few keys each fit in well under 1 MiB. */
export const DIRECTORY_MAX_BYTES = 1024 * 1024;

export type MessageTypeName = 'TravelNotification' | 'TravelUpdate' | 'FollowUpReport';

export interface DirectoryEntry {
  state: StateCode;
  name: string;
  endpoint: string | null;
  jwks: { keys: TnxJwk[] };
  pointOfContact: PointOfContact;
  accepts: MessageTypeName[];
  tls?: { caPem?: string; clientCaPem?: string; clientCertSha256?: string };
}

export interface NetworkDirectory {
  v: typeof DIRECTORY_VERSION;
  network: string;
  serial: number;
  issuedAt: string;
  nextUpdate: string;
  expiresAt: string;
  states: DirectoryEntry[];
}

/** The members a directory key may carry: public material and the TNX validity members, nothing else. */
export const DIRECTORY_KEY_MEMBERS = [
  'kty',
  'crv',
  'x',
  'y',
  'n',
  'e',
  'kid',
  'use',
  'alg',
  'tnx_created',
  'tnx_not_before',
  'tnx_not_after',
  'tnx_retired',
  'tnx_revoked',
] as const;

export function toDirectoryKey(jwk: Record<string, unknown>): TnxJwk {
  const out: Record<string, unknown> = {};
  for (const m of DIRECTORY_KEY_MEMBERS) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out as TnxJwk;
}

const SCHEMA_DIR = new URL('../../../protocol/schemas/', import.meta.url);
let compiled: { document: ValidateFunction; entry: ValidateFunction } | undefined;

function schemas(): { document: ValidateFunction; entry: ValidateFunction } {
  if (compiled) return compiled;
  const load = (f: string) => JSON.parse(readFileSync(new URL(f, SCHEMA_DIR), 'utf8')) as Record<string, unknown>;
  const ajv = addFormats(new Ajv2020({ strict: true, allErrors: false, allowUnionTypes: true }));
  ajv.addSchema(load('common.schema.json'));
  ajv.addSchema(load('directory.schema.json'));
  const base = 'https://tnx.example/schemas/1/directory.schema.json';
  const document = ajv.getSchema(base);
  const entry = ajv.getSchema(`${base}#/$defs/entry`);
  if (!document || !entry) throw new Error('directory schema did not compile');
  compiled = { document, entry };
  return compiled;
}

function invalid(pointer: string, message: string, cause?: unknown): TnxError {
  return new TnxError('directory_invalid', `${pointer || '/'} ${message}`, { pointer, cause });
}

function schemaCheck(fn: ValidateFunction, value: unknown, prefix: string): void {
  if (fn(value)) return;
  const e = fn.errors?.[0];
  throw invalid(`${prefix}${e?.instancePath ?? ''}`, e?.message ?? 'is invalid');
}

/**
 * True for a host name on this machine (127.0.0.0/8, ::1, localhost): the only place clear-text HTTP
 * is accepted (tests, the demo). The one loopback rule for directory URLs, inbox endpoints and webhooks.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (h.toLowerCase() === 'localhost') return true;
  if (isIP(h) === 4) return h.split('.')[0] === '127';
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** An inbox must be HTTPS: the envelope protects content, TLS protects metadata and the receipt channel. */
function checkEndpoint(endpoint: string | null, pointer: string): void {
  if (endpoint === null) return;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw invalid(pointer, 'is not a URL', cause);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  throw invalid(pointer, 'must be an https: URL (http: only on a loopback host)');
}

/** The rules for the entries, shared by the coordinator's working file and the signed document. */
export function checkEntries(entries: readonly DirectoryEntry[], prefix = '/states'): void {
  const states = new Map<string, number>();
  const kids = new Map<string, string>();
  entries.forEach((entry, i) => {
    const at = `${prefix}/${i}`;
    schemaCheck(schemas().entry, entry, at);
    const first = states.get(entry.state);
    if (first !== undefined) throw invalid(`${at}/state`, `duplicates the state of ${prefix}/${first}`);
    states.set(entry.state, i);
    checkEndpoint(entry.endpoint, `${at}/endpoint`);
    entry.jwks.keys.forEach((k, j) => {
      const where = `${at}/jwks/keys/${j}`;
      try {
        checkJwk(k, where, 'public', 'config_invalid');
      } catch (cause) {
        throw invalid(
          where,
          cause instanceof Error ? cause.message.replace(/^[^:]*: /, '') : 'is not a valid key',
          cause,
        );
      }
      const owner = kids.get(k.kid);
      if (owner !== undefined) throw invalid(`${where}/kid`, `kid ${k.kid} is already used by ${owner}`);
      kids.set(k.kid, entry.state);
      if (k.tnx_not_before && k.tnx_not_after && Date.parse(k.tnx_not_after) <= Date.parse(k.tnx_not_before))
        throw invalid(`${where}/tnx_not_after`, 'must be later than tnx_not_before');
    });
  });
}

/** Validate a parsed payload as a network directory (schema, then the rules of SPEC.md §14.3). */
export function validateNetworkDirectory(value: unknown): NetworkDirectory {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('', 'must be a JSON object');
  schemaCheck(schemas().document, value, '');
  const doc = value as NetworkDirectory;
  const issued = Date.parse(doc.issuedAt);
  const next = Date.parse(doc.nextUpdate);
  const expires = Date.parse(doc.expiresAt);
  if (!(issued < next)) throw invalid('/nextUpdate', 'must be later than issuedAt');
  if (!(next <= expires)) throw invalid('/expiresAt', 'must not be earlier than nextUpdate');
  checkEntries(doc.states);
  return doc;
}

/** Epoch ms of the three dates, read once. */
export function directoryTimes(doc: NetworkDirectory): { issuedAt: number; nextUpdate: number; expiresAt: number } {
  return {
    issuedAt: Date.parse(doc.issuedAt),
    nextUpdate: Date.parse(doc.nextUpdate),
    expiresAt: Date.parse(doc.expiresAt),
  };
}
