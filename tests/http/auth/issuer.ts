/**
 * A real OAuth 2.0 authorization server for tests: node-oidc-provider on loopback, issuing RFC 9068
 * JWT access tokens by the client-credentials grant. Each client carries a `tnx_role` that becomes the
 * `tnx_role` claim of its tokens, as a national IdP would map its own groups.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const AUDIENCE = 'https://usa.tnx.test/api';

export interface TestClient {
  id: string;
  secret: string;
  role: string;
}

export interface TestIssuer {
  issuer: string;
  jwksUri: string;
  /** The signing key (private), for crafting the forged cases only. */
  key: JWK;
  token(client: TestClient, resource?: string): Promise<string>;
  close(): Promise<void>;
}

export async function signingKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: 'test-es256', alg: 'ES256', use: 'sig' };
}

export async function startIssuer(clients: readonly TestClient[], key: JWK): Promise<TestIssuer> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      grant_types: ['client_credentials'],
      id_token_signed_response_alg: 'ES256',
      redirect_uris: [],
      response_types: [],
      tnx_role: c.role,
    })),
    extraClientMetadata: { properties: ['tnx_role'] },
    ttl: { ClientCredentials: 300 },
    jwks: { keys: [key] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'api',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const client = (token as { client?: { tnx_role?: string } }).client;
      return client?.tnx_role ? { tnx_role: client.tnx_role } : undefined;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    key,
    async token(client, resource = AUDIENCE) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api', resource }).toString(),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
