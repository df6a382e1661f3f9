/**
 * The partner directory: who we exchange with, where their inbox is, and the public keys we pin for
 * them. Built once from the validated configuration; every key comes from here (or from our own
 * KeyRing), never from a token (RFC 8725 §3.10).
 *
 * Key material is checked synchronously when the directory is built (a bad partner key stops
 * start-up, naming the partner), and imported with jose `importJWK` once, on first use, then cached.
 */
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { TnxError } from '../../core/errors.js';
import type { Partner } from './partner.js';
import type { StateCode } from '../protocol/types.js';
import type { JweKeyAlgorithm, JwsAlgorithm } from '../protocol/envelope/algorithms.js';
import { checkJwks, isRetired, newestFirst, type TnxJwk } from '../keys/jwk.js';

export interface VerificationKey {
  /** The partner that owns the key: a message signed with it must have `iss` = this state. */
  state: StateCode;
  kid: string;
  alg: JwsAlgorithm;
  key: CryptoKey;
}

export interface EncryptionKey {
  kid: string;
  alg: JweKeyAlgorithm;
  key: CryptoKey;
}

interface Entry {
  state: StateCode;
  jwk: TnxJwk;
}

export class Directory {
  readonly #partners: Map<StateCode, Partner>;
  readonly #byKid = new Map<string, Entry>();
  readonly #currentEnc = new Map<StateCode, Entry>();
  readonly #imported = new Map<string, Promise<CryptoKey>>();

  constructor(config: { directory: { partners: readonly Partner[] } }) {
    const partners = new Map<StateCode, Partner>();
    config.directory.partners.forEach((p, i) => {
      const where = `directory/partners/${i}/jwks`;
      // Partner keys carry the same metadata as ours (kid, use, alg); without `use`/`alg` a key could be
      // used for something its owner never meant, so they are required here too.
      const { keys } = checkJwks(p.jwks, where, 'public', 'config_invalid');
      for (const jwk of keys) {
        if (isRetired(jwk)) continue;
        const owner = this.#byKid.get(jwk.kid);
        if (owner)
          throw new TnxError('config_invalid', `${where}: kid ${jwk.kid} is also used by ${owner.state}`, {
            pointer: where,
          });
        this.#byKid.set(jwk.kid, { state: p.state, jwk });
      }
      const enc = newestFirst(keys.filter((k) => k.use === 'enc' && !isRetired(k)))[0];
      if (enc) this.#currentEnc.set(p.state, { state: p.state, jwk: enc });
      partners.set(p.state, p);
    });
    this.#partners = partners;
  }

  partner(state: StateCode): Partner | undefined {
    return this.#partners.get(state);
  }

  /**
   * Replace a partner's contact details (endpoint, point of contact, accepted types) at run time, as the
   * directory API does; its keys are not touched here (they are pinned at start-up and change by
   * configuration and restart only).
   */
  updatePartner(state: StateCode, patch: Pick<Partial<Partner>, 'endpoint' | 'pointOfContact' | 'accepts'>): Partner {
    const p = this.#partners.get(state);
    if (!p) throw new TnxError('not_found', `no partner ${state} in the directory`);
    const next: Partner = { ...p, ...patch };
    this.#partners.set(state, next);
    return next;
  }

  list(): Partner[] {
    return [...this.#partners.values()];
  }

  /** A partner's signing key by kid, with its owner; undefined for unknown or non-signing kids. */
  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
    const e = this.#byKid.get(kid);
    if (!e || e.jwk.use !== 'sig') return undefined;
    return { state: e.state, kid, alg: e.jwk.alg as JwsAlgorithm, key: await this.#import(e.jwk) };
  }

  /** The partner's current encryption key (newest non-retired use=enc), or undefined. */
  async encryptionKey(state: StateCode): Promise<EncryptionKey | undefined> {
    const e = this.#currentEnc.get(state);
    if (!e) return undefined;
    return { kid: e.jwk.kid, alg: e.jwk.alg as JweKeyAlgorithm, key: await this.#import(e.jwk) };
  }

  /** Every pinned key with its owner (no key material), for `tnx config check`. */
  describeKeys(): { state: StateCode; kid: string; use: string; alg: string }[] {
    return [...this.#byKid.values()].map((e) => ({ state: e.state, kid: e.jwk.kid, use: e.jwk.use, alg: e.jwk.alg }));
  }

  /** Import every key now (start-up and `tnx config check`), so a bad key fails early. */
  async importAll(): Promise<void> {
    await Promise.all([...this.#byKid.values()].map((e) => this.#import(e.jwk)));
  }

  #import(jwk: TnxJwk): Promise<CryptoKey> {
    let p = this.#imported.get(jwk.kid);
    if (!p) {
      const material: Record<string, unknown> = {};
      for (const m of ['kty', 'crv', 'x', 'y', 'n', 'e'] as const) if (jwk[m] !== undefined) material[m] = jwk[m];
      p = importJWK(material as JWK, jwk.alg).then(
        (k) => k as CryptoKey,
        (cause: unknown) => {
          this.#imported.delete(jwk.kid);
          throw new TnxError('config_invalid', `partner key ${jwk.kid} cannot be imported for ${jwk.alg}`, { cause });
        },
      );
      this.#imported.set(jwk.kid, p);
    }
    return p;
  }
}
