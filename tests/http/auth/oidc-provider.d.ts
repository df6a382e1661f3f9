/**
 * The little of node-oidc-provider the test issuer uses (the package ships no types and
 * @types/oidc-provider is not installed).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface ResourceServer {
    scope: string;
    audience: string;
    accessTokenFormat: 'jwt' | 'opaque';
    accessTokenTTL?: number;
    jwt?: { sign?: { alg: string } };
  }

  export interface Configuration {
    clients?: Record<string, unknown>[];
    extraClientMetadata?: { properties: string[] };
    ttl?: Record<string, number>;
    jwks?: { keys: unknown[] };
    features?: {
      devInteractions?: { enabled: boolean };
      rpInitiatedLogout?: { enabled: boolean; logoutSource?: unknown };
      clientCredentials?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: unknown) => string;
        useGrantedResource?: (ctx: unknown) => boolean;
        getResourceServerInfo?: (ctx: unknown, resource: string, client: unknown) => ResourceServer;
      };
    };
    extraTokenClaims?: (ctx: unknown, token: unknown) => Record<string, unknown> | undefined;
    /** Interactive sign-in (the console's tests): accounts and the claims they release. */
    findAccount?: (
      ctx: unknown,
      id: string,
    ) => Promise<{ accountId: string; claims: () => Promise<Record<string, unknown>> } | undefined>;
    claims?: Record<string, string[]>;
    pkce?: { required?: () => boolean };
    cookies?: { keys?: string[] };
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
