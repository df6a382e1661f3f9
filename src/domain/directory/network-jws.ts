/**
 * Signing and verifying the network directory: a compact JWS (RFC 7515) whose payload is the document
 * (./network.ts) and whose protected header is exactly `{alg, typ: "tnx-directory+jwt", kid}`.
 *
 * Verification takes the trust anchors — the coordinator's public keys, configured on each gateway —
 * and never a key from the token (RFC 8725 §3.10). Several anchors may be valid at once so the
 * coordinator can roll its own key over without a flag day. Checks, in order, each with its code:
 * size (`directory_too_large`); three base64url segments and a strict-JSON header
 * (`directory_malformed`); `alg` in the allow-list, `typ`, no `jwk`/`jku`/`x5u`/`x5c`/`crit`, `kid` of
 * an anchor with that alg, the signature (`directory_signature_invalid`); strict-JSON payload
 * (`directory_malformed`); schema and rules (`directory_invalid`); the expected network
 * (`directory_invalid`); serial above the one held (`directory_rollback`); not expired
 * (`directory_expired`). Rollback is checked before expiry so a replayed old document is named for
 * what it is.
 */
import { readFileSync } from 'node:fs';
import { CompactSign, compactVerify, importJWK, type CryptoKey, type JWK } from 'jose';
import { isTnxError, TnxError } from '../../core/errors.js';
import { parseStrictJson } from '../protocol/strict-json.js';
import { JWS_ALGORITHMS, isJwsAlgorithm, type JwsAlgorithm } from '../protocol/envelope/algorithms.js';
import { checkJwks, isRetired, isUsableAt, newestFirst, type Jwks, type TnxJwk } from '../keys/jwk.js';
import {
  DIRECTORY_MAX_BYTES,
  DIRECTORY_TYP,
  directoryTimes,
  validateNetworkDirectory,
  type NetworkDirectory,
} from './network.js';

/** Header parameters that would let the token pick its key, and `crit` (this profile defines no extension). */
const FORBIDDEN = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit', 'zip', 'b64'] as const;
const ALLOWED_HEADER = new Set(['alg', 'typ', 'kid']);
const B64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface VerifyOptions {
  /** The coordinator's public keys (a JWKS of `use: "sig"` keys); any usable one may have signed. */
  anchors: Jwks;
  /** Epoch ms "now". */
  now: number;
  /** The network this gateway belongs to; a document for another network is refused. */
  network?: string;
  /** Serial of the document held; the new one must be greater. */
  minSerial?: number;
  maxBytes?: number;
  /** Accept a document past its expiresAt (reading the last good copy from disk at start-up). */
  allowExpired?: boolean;
}

export interface VerifiedDirectory {
  document: NetworkDirectory;
  /** The coordinator key that signed it. */
  kid: string;
}

function malformed(message: string, cause?: unknown): TnxError {
  return new TnxError('directory_malformed', message, { cause });
}

function untrusted(reason: string, message: string, cause?: unknown): TnxError {
  return new TnxError('directory_signature_invalid', message, { cause, detail: { reason } });
}

function decodeJson(segment: string, what: string): unknown {
  let text: string;
  try {
    text = utf8.decode(Buffer.from(segment, 'base64url'));
  } catch (cause) {
    throw malformed(`${what} is not UTF-8`, cause);
  }
  try {
    return parseStrictJson(text, { maxDepth: 12 });
  } catch (cause) {
    throw malformed(`${what} is not strict JSON${isTnxError(cause) ? ` (${cause.code})` : ''}`, cause);
  }
}

/** Check a trust-anchor JWKS once: public signing keys with an allowed alg. */
export function checkAnchors(anchors: unknown): Jwks {
  const jwks = checkJwks(anchors, 'directory/trustAnchors', 'public', 'config_invalid');
  for (const k of jwks.keys) {
    if (k.use !== 'sig')
      throw new TnxError('config_invalid', `directory/trustAnchors: key ${k.kid} must have use "sig"`, {
        pointer: 'directory/trustAnchors',
      });
  }
  return jwks;
}

/** Read and check the trust anchors file (a public JWKS); every fault is `config_invalid` naming the setting. */
export function loadTrustAnchors(path: string): Jwks {
  const pointer = 'directory/network/trustAnchorsPath';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (cause) {
    throw new TnxError('config_invalid', `config ${pointer}: cannot read a JSON file at ${path}`, { pointer, cause });
  }
  try {
    return checkAnchors(parsed);
  } catch (err) {
    const why = err instanceof TnxError ? err.message : 'invalid';
    throw new TnxError('config_invalid', `config ${pointer}: ${why}`, { pointer, cause: err });
  }
}

function importPublic(jwk: TnxJwk): Promise<CryptoKey> {
  const material: Record<string, unknown> = {};
  for (const m of ['kty', 'crv', 'x', 'y', 'n', 'e'] as const) if (jwk[m] !== undefined) material[m] = jwk[m];
  return importJWK(material as JWK, jwk.alg) as Promise<CryptoKey>;
}

export async function verifyNetworkDirectory(token: unknown, options: VerifyOptions): Promise<VerifiedDirectory> {
  if (typeof token !== 'string') throw malformed('the directory must be a compact JWS string');
  const max = options.maxBytes ?? DIRECTORY_MAX_BYTES;
  if (Buffer.byteLength(token, 'utf8') > max)
    throw new TnxError('directory_too_large', `the directory is larger than ${max} bytes`, { detail: { limit: max } });
  const compact = token.trim();
  const parts = compact.split('.');
  if (parts.length !== 3) throw malformed(`a compact JWS has 3 segments, found ${parts.length} (truncated?)`);
  const [h, p, s] = parts as [string, string, string];
  for (const [i, seg] of [h, p, s].entries()) {
    // An empty or 1-mod-4 segment cannot come from any encoder: a cut-off download.
    if (!B64URL.test(seg) || seg.length % 4 === 1) throw malformed(`segment ${i + 1} is not base64url (truncated?)`);
  }
  const header = decodeJson(h, 'the protected header');
  if (!header || typeof header !== 'object' || Array.isArray(header))
    throw malformed('the protected header is not an object');
  const hdr = header as Record<string, unknown>;
  for (const f of FORBIDDEN)
    if (Object.hasOwn(hdr, f)) throw untrusted('header', `header parameter "${f}" is not allowed`);
  for (const k of Object.keys(hdr))
    if (!ALLOWED_HEADER.has(k)) throw untrusted('header', `header parameter "${k}" is not allowed`);
  if (!isJwsAlgorithm(hdr.alg)) throw untrusted('alg', `alg must be one of ${JWS_ALGORITHMS.join(', ')}`);
  if (hdr.typ !== DIRECTORY_TYP) throw untrusted('typ', `typ must be ${DIRECTORY_TYP}`);
  const alg: JwsAlgorithm = hdr.alg;
  const anchor =
    typeof hdr.kid === 'string'
      ? options.anchors.keys.find((k) => k.kid === hdr.kid && k.use === 'sig' && !isRetired(k))
      : undefined;
  if (!anchor) throw untrusted('kid', 'kid is not one of the trust anchors');
  if (anchor.alg !== alg) throw untrusted('alg', `alg does not match trust anchor ${anchor.kid}`);
  if (!isUsableAt(anchor, options.now)) throw untrusted('kid', `trust anchor ${anchor.kid} is outside its validity`);
  let key: CryptoKey;
  try {
    key = await importPublic(anchor);
  } catch (cause) {
    throw new TnxError('config_invalid', `trust anchor ${anchor.kid} cannot be imported`, { cause });
  }
  try {
    await compactVerify(compact, key, { algorithms: [alg] });
  } catch (cause) {
    throw untrusted('signature', 'the signature does not verify', cause);
  }
  const document = validateNetworkDirectory(decodeJson(p, 'the payload'));
  if (options.network !== undefined && document.network !== options.network)
    throw new TnxError(
      'directory_invalid',
      `the directory is for network "${document.network}", not "${options.network}"`,
      {
        pointer: '/network',
      },
    );
  if (options.minSerial !== undefined && document.serial <= options.minSerial)
    throw new TnxError(
      'directory_rollback',
      `serial ${document.serial} is not above the serial held (${options.minSerial})`,
      {
        detail: { serial: document.serial, held: options.minSerial },
      },
    );
  if (!options.allowExpired && options.now >= directoryTimes(document).expiresAt)
    throw new TnxError('directory_expired', `directory ${document.serial} expired at ${document.expiresAt}`, {
      detail: { serial: document.serial },
    });
  return { document, kid: anchor.kid };
}

/** The coordinator's current signing key: the newest usable `sig` key of its private JWKS. */
export function coordinatorSigningKey(privateJwks: Jwks, now: number): TnxJwk {
  const k = newestFirst(privateJwks.keys.filter((x) => x.use === 'sig' && isUsableAt(x, now)))[0];
  if (!k) throw new TnxError('key_material_invalid', 'the coordinator key file has no current signing key');
  return k;
}

/** Sign a document (validated first: nobody signs what a gateway would refuse). */
export async function signNetworkDirectory(document: NetworkDirectory, signer: TnxJwk): Promise<string> {
  validateNetworkDirectory(structuredClone(document));
  if (!isJwsAlgorithm(signer.alg)) throw new TnxError('key_material_invalid', `key ${signer.kid} is not a signing key`);
  const material: Record<string, unknown> = {};
  for (const m of ['kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi'] as const)
    if (signer[m] !== undefined) material[m] = signer[m];
  const key = await importJWK(material as JWK, signer.alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(document)))
    .setProtectedHeader({ alg: signer.alg, typ: DIRECTORY_TYP, kid: signer.kid })
    .sign(key);
}
