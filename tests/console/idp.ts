/**
 * A real OpenID provider for the console's browser tests: node-oidc-provider on loopback with its
 * development login and consent forms, which the tests fill in Chromium as a person would. Any login
 * name signs in; the name decides the roles released in `tnx_role` (through userinfo, as a provider
 * does for profile claims): `auditor`, `admin`, `poc`, …, `auditor+admin` for two, `nobody` for none.
 * RP-initiated logout is on, so sign-out goes through the provider's end-session endpoint.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { consoleClientMetadata } from '../../src/cli/demo/console-idp.js';
import { signingKey } from '../http/auth/issuer.js';

export const CONSOLE_CLIENT = { id: 'tnx-console', secret: 'console-secret-0123456789abcdef0123456789' };

export interface ConsoleIdp {
  issuer: string;
  close(): Promise<void>;
}

export function rolesOfLogin(login: string): string[] {
  return login === 'nobody' ? [] : login.split('+');
}

export async function startConsoleIdp(gatewayOrigins: readonly string[]): Promise<ConsoleIdp> {
  const key = await signingKey();
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [consoleClientMetadata(CONSOLE_CLIENT.id, CONSOLE_CLIENT.secret, gatewayOrigins)],
    jwks: { keys: [key] },
    cookies: { keys: ['console-test-cookie-key-0123456789'] },
    claims: { openid: ['sub'], profile: ['name', 'tnx_role'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, name: `Test ${id}`, tnx_role: rolesOfLogin(id) };
        },
      };
    },
  });
  server.on('request', provider.callback());
  return { issuer, close: () => new Promise<void>((r) => server.close(() => r())) };
}
