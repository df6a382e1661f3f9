/**
 * OpenID Connect sign-in for the console (authorization code + PKCE, S256) with openid-client: the
 * library does discovery, the authorization URL, the code exchange and every ID-token check (issuer,
 * audience, signature against the provider's JWKS, nonce, expiry); we keep state, nonce and the PKCE
 * verifier server-side in the pending login. Discovery runs at the first sign-in, not at start-up, so
 * the gateway starts while the provider is down; a failed discovery is retried at the next sign-in.
 */
import { readFileSync } from 'node:fs';
import { importJWK, type JWK } from 'jose';
import * as client from 'openid-client';
import type { ConsoleSettings, OAuthSettings } from '../../config/schema.js';
import type { Role } from '../../core/principal.js';
import type { PendingLogin } from '../../ports/session-store.js';

export interface SignedIn {
  actor: string;
  name: string;
  roles: Role[];
  idToken?: string;
}

const SUBJECT = /^[\x21-\x7e]{1,200}$/;

/** The TNX roles a claim value (a string, or an array of strings) maps to, in ROLES order, deduplicated. */
export function rolesOf(claim: unknown, mapping: Readonly<Record<string, Role>>): Role[] {
  const values = Array.isArray(claim) ? claim : [claim];
  const out: Role[] = [];
  for (const v of values) {
    if (typeof v !== 'string' || !Object.hasOwn(mapping, v)) continue;
    const role = mapping[v]!;
    if (!out.includes(role)) out.push(role);
  }
  return out;
}

export class ConsoleOidc {
  readonly #settings: ConsoleSettings;
  readonly #roleClaim: string;
  readonly #roles: Readonly<Record<string, Role>>;
  #config: Promise<client.Configuration> | null = null;

  constructor(settings: ConsoleSettings, oauth: OAuthSettings | undefined) {
    this.#settings = settings;
    this.#roleClaim = settings.roleClaim ?? oauth?.roleClaim ?? 'tnx_role';
    this.#roles = settings.roles ?? oauth?.roles ?? {};
  }

  get redirectUri(): string {
    return `${this.#settings.publicBaseUrl}/console/callback`;
  }

  #discover(): Promise<client.Configuration> {
    this.#config ??= this.#doDiscover().catch((err: unknown) => {
      this.#config = null;
      throw err;
    });
    return this.#config;
  }

  async #doDiscover(): Promise<client.Configuration> {
    const s = this.#settings;
    const issuer = new URL(s.issuer);
    // Plain http only to a loopback provider (checked at start-up): tests and the demo.
    const options = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {};
    if (s.privateKeyPath) {
      const jwk = JSON.parse(readFileSync(s.privateKeyPath, 'utf8')) as JWK;
      const key = await importJWK(jwk, jwk.alg);
      if (key instanceof Uint8Array) throw new Error('console.privateKeyPath must hold an asymmetric private key');
      return client.discovery(
        issuer,
        s.clientId,
        { token_endpoint_auth_method: 'private_key_jwt' },
        client.PrivateKeyJwt(jwk.kid ? { key, kid: jwk.kid } : key),
        options,
      );
    }
    return client.discovery(issuer, s.clientId, s.clientSecret, client.ClientSecretBasic(s.clientSecret), options);
  }

  /** Start a sign-in: the pending login to keep and the provider URL to send the browser to. */
  async begin(returnTo: string, now: number): Promise<{ pending: PendingLogin; url: string }> {
    const config = await this.#discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: PendingLogin = {
      kind: 'login',
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      returnTo,
      createdAt: now,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.#settings.scope,
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { pending, url: url.href };
  }

  /** Finish a sign-in from the callback URL; throws on any mismatch (state, nonce, PKCE, ID token). */
  async complete(callbackUrl: URL, pending: PendingLogin): Promise<SignedIn> {
    const config = await this.#discover();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims || typeof claims.sub !== 'string' || !SUBJECT.test(claims.sub)) throw new Error('no usable subject');
    let roleClaim: unknown = claims[this.#roleClaim];
    let name: unknown = claims.name ?? claims.preferred_username ?? claims.email;
    if ((roleClaim === undefined || name === undefined) && tokens.access_token) {
      // Some providers put profile claims only in userinfo.
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      roleClaim ??= info[this.#roleClaim];
      name ??= info.name ?? info.preferred_username ?? info.email;
    }
    return {
      actor: `oidc:${claims.sub}`,
      name: typeof name === 'string' && name.length > 0 ? name.slice(0, 200) : claims.sub,
      roles: rolesOf(roleClaim, this.#roles),
      ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
    };
  }

  /** Where to send the browser after the local session is gone: the provider's logout, when it has one. */
  async endSessionUrl(idToken: string | undefined, after: string): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.#discover();
    } catch {
      return null;
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client
      .buildEndSessionUrl(config, {
        post_logout_redirect_uri: after,
        ...(idToken ? { id_token_hint: idToken } : { client_id: this.#settings.clientId }),
      })
      .toString();
  }
}
