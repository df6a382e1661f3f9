/**
 * Our own keys: the private JWKS named by `keys.privateJwksPath`, with rotation state.
 *
 * - `signingKey()`: the newest non-retired signing key (what we sign messages and receipts with).
 * - `decryptionKey(kid)`: any non-retired encryption key — old ones keep opening messages that
 *   partners sealed to them until we retire them (rotation without a flag day).
 * - `publicJwks()`: what GET /.well-known/jwks.json serves: every non-retired key, public part only.
 * Keys are imported once (jose importJWK) when the ring is built; lookups are synchronous.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importJWK, type CryptoKey } from 'jose';
import { TnxError } from '../../core/errors.js';
import { parseStrictJson } from '../protocol/strict-json.js';
import type { JweKeyAlgorithm, JwsAlgorithm, KeyAlgorithm, KeyUse } from '../protocol/envelope/algorithms.js';
import { checkJwks, isRetired, newestFirst, toPublicJwk, type Jwks, type TnxJwk } from './jwk.js';

export interface SigningKey {
  kid: string;
  alg: JwsAlgorithm;
  key: CryptoKey;
}

export interface DecryptionKey {
  kid: string;
  alg: JweKeyAlgorithm;
  key: CryptoKey;
}

export interface KeyInfo {
  kid: string;
  use: KeyUse;
  alg: KeyAlgorithm;
  created?: string;
  retired?: string;
}

export interface KeyRingOptions {
  /**
   * Accept a key file readable by group or others. Only for tests that write keys into shared temp
   * folders; a gateway never sets it.
   */
  allowInsecureMode?: boolean;
}

/**
 * keys/dev/ of this repository: demo and test keys, published on purpose. Git does not keep file
 * modes, so on a fresh clone they are 0644; the mode check protects nothing for them, and callers may
 * pass `allowInsecureMode: isDevKeyFile(path)`. Nothing outside keys/dev/ qualifies.
 */
export const DEV_KEYS_DIR = fileURLToPath(new URL('../../../keys/dev/', import.meta.url));

export function isDevKeyFile(path: string): boolean {
  return resolve(path).startsWith(DEV_KEYS_DIR.endsWith(sep) ? DEV_KEYS_DIR : DEV_KEYS_DIR + sep);
}

/** Members handed to WebCrypto: key material only (its `use`/`key_ops` checks would refuse ours). */
const KEY_MATERIAL = ['kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function material(jwk: TnxJwk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of KEY_MATERIAL) if (jwk[m] !== undefined) out[m] = jwk[m];
  return out;
}

export class KeyRing {
  readonly #jwks: readonly TnxJwk[];
  readonly #private: Map<string, CryptoKey>;
  readonly #signing: SigningKey;
  #listed: (() => ReadonlySet<string> | null) | null = null;

  private constructor(jwks: readonly TnxJwk[], imported: Map<string, CryptoKey>) {
    this.#jwks = jwks;
    this.#private = imported;
    const sig = newestFirst(jwks.filter((k) => k.use === 'sig' && !isRetired(k)))[0];
    if (!sig) throw new TnxError('key_material_invalid', 'key file has no current signing key (use "sig")');
    if (!jwks.some((k) => k.use === 'enc' && !isRetired(k))) {
      throw new TnxError('key_material_invalid', 'key file has no current encryption key (use "enc")');
    }
    this.#signing = { kid: sig.kid, alg: sig.alg as JwsAlgorithm, key: imported.get(sig.kid)! };
  }

  /** Load a private JWKS file; refuses files that group or others may read (key_material_invalid). */
  static async fromFile(path: string, options: KeyRingOptions = {}): Promise<KeyRing> {
    let text: string;
    try {
      const mode = statSync(path).mode;
      // A private key readable by other local accounts is a compromised key (mode must be 0600/0400).
      if ((mode & 0o077) !== 0 && !options.allowInsecureMode && process.platform !== 'win32') {
        throw new TnxError(
          'key_material_invalid',
          `key file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run chmod 600`,
          { pointer: 'keys/privateJwksPath' },
        );
      }
      text = readFileSync(path, 'utf8');
    } catch (cause) {
      if (cause instanceof TnxError) throw cause;
      throw new TnxError('key_material_invalid', `cannot read key file ${path}`, { pointer: 'keys/privateJwksPath', cause });
    }
    let parsed: unknown;
    try {
      // Strict: a key file with a duplicated member (two "d", two "use") is ambiguous, not "last wins".
      parsed = parseStrictJson(text);
    } catch (cause) {
      throw new TnxError('key_material_invalid', `key file ${path} is not valid JSON`, { pointer: 'keys/privateJwksPath', cause });
    }
    return KeyRing.fromJwks(parsed);
  }

  /** Build from an in-memory private JWKS (validated the same way as a file). */
  static async fromJwks(value: unknown): Promise<KeyRing> {
    const { keys } = checkJwks(value, 'keys', 'private');
    const imported = new Map<string, CryptoKey>();
    for (const jwk of keys) {
      if (isRetired(jwk)) continue; // retired keys open nothing: never imported
      try {
        imported.set(jwk.kid, (await importJWK(material(jwk), jwk.alg)) as CryptoKey);
      } catch (cause) {
        throw new TnxError('key_material_invalid', `key ${jwk.kid} cannot be imported for ${jwk.alg}`, { cause });
      }
    }
    return new KeyRing(Object.freeze(keys.map((k) => Object.freeze({ ...k }))), imported);
  }

  /**
   * The key we sign with: the newest current signing key — or, when a network directory is followed,
   * the newest one that directory lists as usable for us now. A key loaded before the coordinator has
   * published it (or before its `tnx_not_before`) would be refused by every partner, so during a
   * rollover the gateway can hold the new key — and open what is sealed to the new encryption key — while
   * it still signs with the old one, and switches by itself when the directory says partners accept
   * the new key. When none of our keys is listed, the newest is used (and the follower alerts).
   */
  signingKey(): SigningKey {
    const listed = this.#listed?.();
    if (!listed) return this.#signing;
    const sig = newestFirst(this.#jwks.filter((k) => k.use === 'sig' && !isRetired(k) && listed.has(k.kid)))[0];
    if (!sig || sig.kid === this.#signing.kid) return this.#signing;
    return { kid: sig.kid, alg: sig.alg as JwsAlgorithm, key: this.#private.get(sig.kid)! };
  }

  /** Sign only with kids in this set when it returns one (the network directory's entry for us). */
  signWithListedKeys(listed: () => ReadonlySet<string> | null): void {
    this.#listed = listed;
  }

  /** The non-retired encryption key with this kid, or undefined. */
  decryptionKey(kid: string): DecryptionKey | undefined {
    const jwk = this.#jwks.find((k) => k.kid === kid && k.use === 'enc' && !isRetired(k));
    if (!jwk) return undefined;
    return { kid, alg: jwk.alg as JweKeyAlgorithm, key: this.#private.get(kid)! };
  }

  /** Non-retired encryption keys, newest first, public parts only. */
  encryptionKeys(): TnxJwk[] {
    return newestFirst(this.#jwks.filter((k) => k.use === 'enc' && !isRetired(k))).map(toPublicJwk);
  }

  /** The JWKS we publish: all non-retired keys, private members stripped by allow-list. */
  publicJwks(): Jwks {
    return { keys: this.#jwks.filter((k) => !isRetired(k)).map(toPublicJwk) };
  }

  /** Every key, retired or not, for summaries (`tnx config check`). No key material. */
  describe(): KeyInfo[] {
    return this.#jwks.map((k) => ({
      kid: k.kid,
      use: k.use,
      alg: k.alg,
      ...(k.tnx_created ? { created: k.tnx_created } : {}),
      ...(k.tnx_retired ? { retired: k.tnx_retired } : {}),
    }));
  }
}
