/**
 * The partner directory: who we exchange with, where their inbox is, and the public keys we pin for
 * them. Built once from the validated configuration; every key comes from here (or from our own
 * KeyRing), never from a token (RFC 8725 §3.10).
 *
 * Key material is checked synchronously when the directory is built (a bad partner key stops
 * start-up, naming the partner), and imported with jose `importJWK` once, on first use, then cached.
 *
 * Its contents can be replaced while the gateway runs (`replace`, used by the network-directory
 * follower): everything is read from one immutable snapshot that a replacement builds and checks in
 * full before swapping it in with a single assignment, so a lookup sees either the old directory or
 * the new one, never half of each, and a replacement that fails leaves the old one in place. Holders
 * of the instance (the gateway context, sealing, opening) keep working unchanged.
 *
 * Key rollover: a partner signing key is accepted while it is usable (not retired or revoked, inside
 * its `tnx_not_before`/`tnx_not_after` window); we encrypt to the newest usable encryption key. Past
 * the network directory's `expiresAt` nothing is sealed any more (`directory_expired`, retried by
 * delivery): we cannot confirm the partner's key was not revoked meanwhile (protocol/SPEC.md §14.6).
 */
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { TnxError } from '../../core/errors.js';
import { systemClock, type Clock } from '../../core/clock.js';
import type { Partner } from './partner.js';
import type { StateCode } from '../protocol/types.js';
import type { JweKeyAlgorithm, JwsAlgorithm } from '../protocol/envelope/algorithms.js';
import { checkJwks, isRetired, isUsableAt, newestFirst, type TnxJwk } from '../keys/jwk.js';

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

/** Where a replacement came from; absent for a directory from the local configuration. */
export interface DirectoryOrigin {
  /** Serial of the signed network directory the contents came from. */
  serial: number;
  /** Epoch ms after which nothing is sealed until a newer directory arrives. */
  expiresAt: number;
}

interface Snapshot {
  readonly partners: Map<StateCode, Partner>;
  readonly byKid: Map<string, Entry>;
  /** Usable-or-not-yet encryption keys of each partner, newest first; time is checked per lookup. */
  readonly enc: Map<StateCode, Entry[]>;
  readonly origin: DirectoryOrigin | undefined;
}

export interface DirectoryOptions {
  /** For key validity windows and the network directory's expiry; the system clock by default. */
  clock?: Clock;
}

function buildSnapshot(partnerList: readonly Partner[], origin: DirectoryOrigin | undefined): Snapshot {
  const partners = new Map<StateCode, Partner>();
  const byKid = new Map<string, Entry>();
  const enc = new Map<StateCode, Entry[]>();
  partnerList.forEach((p, i) => {
    const where = `directory/partners/${i}/jwks`;
    // Partner keys carry the same metadata as ours (kid, use, alg); without `use`/`alg` a key could be
    // used for something its owner never meant, so they are required here too.
    const { keys } = checkJwks(p.jwks, where, 'public', 'config_invalid');
    for (const jwk of keys) {
      if (isRetired(jwk)) continue;
      const owner = byKid.get(jwk.kid);
      if (owner)
        throw new TnxError('config_invalid', `${where}: kid ${jwk.kid} is also used by ${owner.state}`, {
          pointer: where,
        });
      byKid.set(jwk.kid, { state: p.state, jwk });
    }
    const encKeys = newestFirst(keys.filter((k) => k.use === 'enc' && !isRetired(k)));
    enc.set(
      p.state,
      encKeys.map((jwk) => ({ state: p.state, jwk })),
    );
    partners.set(p.state, p);
  });
  return { partners, byKid, enc, origin };
}

/** Key material identity: a kid names one key, but a cache must never hand out another key's material. */
function materialId(jwk: TnxJwk): string {
  return JSON.stringify([jwk.kid, jwk.alg, jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e]);
}

export class Directory {
  #snap: Snapshot;
  readonly #clock: Clock;
  readonly #imported = new Map<string, Promise<CryptoKey>>();
  readonly #listeners = new Set<() => void>();

  constructor(config: { directory: { partners: readonly Partner[] } }, options: DirectoryOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#snap = buildSnapshot(config.directory.partners, undefined);
  }

  /**
   * Replace every partner at once (a verified network directory). The new contents are checked in full
   * first; on any error the current contents stay. Keys already imported stay cached when unchanged.
   */
  replace(partners: readonly Partner[], origin?: DirectoryOrigin): void {
    const next = buildSnapshot(partners, origin);
    this.#snap = next;
    const live = new Set([...next.byKid.values(), ...[...next.enc.values()].flat()].map((e) => materialId(e.jwk)));
    for (const id of this.#imported.keys()) if (!live.has(id)) this.#imported.delete(id);
    for (const listener of this.#listeners) listener();
  }

  /**
   * Call `listener` after every replacement, for what derives state from the whole list and cannot
   * read it per use (a TLS server's advertised client CAs). Returns the unsubscribe.
   */
  onReplace(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The network directory the contents came from, if any. */
  origin(): DirectoryOrigin | undefined {
    return this.#snap.origin;
  }

  partner(state: StateCode): Partner | undefined {
    return this.#snap.partners.get(state);
  }

  /**
   * Replace a partner's contact details (endpoint, point of contact, accepted types) at run time, as the
   * directory API does; its keys are not touched here (they are pinned at start-up and change by
   * configuration and restart, or by the network directory).
   */
  updatePartner(state: StateCode, patch: Pick<Partial<Partner>, 'endpoint' | 'pointOfContact' | 'accepts'>): Partner {
    const snap = this.#snap;
    const p = snap.partners.get(state);
    if (!p) throw new TnxError('not_found', 'no such partner in the directory');
    const next: Partner = { ...p, ...patch };
    const partners = new Map(snap.partners);
    partners.set(state, next);
    this.#snap = { ...snap, partners };
    return next;
  }

  list(): Partner[] {
    return [...this.#snap.partners.values()];
  }

  /** A partner's usable signing key by kid, with its owner; undefined for unknown, unusable or non-signing kids. */
  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
    const e = this.#snap.byKid.get(kid);
    // Receiving keeps working past the directory's expiry, but only with keys still inside their own window.
    if (!e || e.jwk.use !== 'sig' || !isUsableAt(e.jwk, this.#clock.now())) return undefined;
    return { state: e.state, kid, alg: e.jwk.alg as JwsAlgorithm, key: await this.#import(e.jwk) };
  }

  /**
   * The partner's current encryption key: the newest usable `enc` key, or undefined. Throws
   * `directory_expired` past the network directory's expiry, so a delivery waits for a fresh directory
   * instead of sealing to a key that may have been revoked meanwhile.
   */
  async encryptionKey(state: StateCode): Promise<EncryptionKey | undefined> {
    const snap = this.#snap;
    const now = this.#clock.now();
    if (snap.origin && now >= snap.origin.expiresAt)
      throw new TnxError(
        'directory_expired',
        `network directory ${snap.origin.serial} has expired; not sealing to ${state}`,
      );
    const e = snap.enc.get(state)?.find((x) => isUsableAt(x.jwk, now));
    if (!e) return undefined;
    return { kid: e.jwk.kid, alg: e.jwk.alg as JweKeyAlgorithm, key: await this.#import(e.jwk) };
  }

  /** Every pinned key with its owner (no key material), for `tnx config check`. */
  describeKeys(): { state: StateCode; kid: string; use: string; alg: string }[] {
    return [...this.#snap.byKid.values()].map((e) => ({
      state: e.state,
      kid: e.jwk.kid,
      use: e.jwk.use,
      alg: e.jwk.alg,
    }));
  }

  /** Import every key now (start-up and `tnx config check`), so a bad key fails early. */
  async importAll(): Promise<void> {
    await Promise.all([...this.#snap.byKid.values()].map((e) => this.#import(e.jwk)));
  }

  #import(jwk: TnxJwk): Promise<CryptoKey> {
    const id = materialId(jwk);
    let p = this.#imported.get(id);
    if (!p) {
      const material: Record<string, unknown> = {};
      for (const m of ['kty', 'crv', 'x', 'y', 'n', 'e'] as const) if (jwk[m] !== undefined) material[m] = jwk[m];
      p = importJWK(material as JWK, jwk.alg).then(
        (k) => k as CryptoKey,
        (cause: unknown) => {
          this.#imported.delete(id);
          throw new TnxError('config_invalid', `partner key ${jwk.kid} cannot be imported for ${jwk.alg}`, { cause });
        },
      );
      this.#imported.set(id, p);
    }
    return p;
  }
}
