/**
 * The console: people sign in through the organisation's OpenID Connect provider (authorization code
 * + PKCE) and get a server-side session. Defined beside the auth section of src/config/schema.ts.
 * The role claim and its mapping default to those of `auth.oauth`, so one IdP mapping serves both doors.
 */
import { Type } from '@sinclair/typebox';
import { ROLES } from '../core/principal.js';
import { Defaulted, Settings, StringEnum } from '../core/settings.js';

export const consoleSchema = Settings(
  {
    issuer: Type.String({
      format: 'uri',
      pattern: '^https?://',
      description:
        "OpenID provider's issuer URL (discovery at `/.well-known/openid-configuration`); http: only on a loopback host.",
    }),
    clientId: Type.String({ minLength: 1, description: 'Our client id at the provider.' }),
    clientSecret: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Client secret (client_secret_basic). Give this or `privateKeyPath`, not both.',
      }),
    ),
    privateKeyPath: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Private JWK file (mode 0600) for `private_key_jwt` client authentication; its public half is registered at the provider.',
      }),
    ),
    publicBaseUrl: Type.String({
      format: 'uri',
      pattern: '^https?://[^/]+$',
      description:
        'Origin the browser uses to reach the gateway (no path); the redirect URI is this + `/console/callback`. http: only on a loopback host.',
    }),
    scope: Defaulted(
      Type.String({ minLength: 1, description: 'Scopes asked for at sign-in (must include `openid`).' }),
      'openid profile',
    ),
    roleClaim: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'ID-token / userinfo claim carrying the roles (a string or an array); default `auth.oauth.roleClaim`.',
      }),
    ),
    roles: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), StringEnum(ROLES, { description: 'The TNX role it maps to.' }), {
        description:
          'Role claim value → TNX role; default `auth.oauth.roles`. A person with no mapped role is refused.',
      }),
    ),
    idleTimeoutSeconds: Defaulted(
      Type.Integer({
        minimum: 5,
        maximum: 86400,
        description: 'A session unused this long ends (the person signs in again), seconds.',
      }),
      1800,
    ),
    absoluteTimeoutSeconds: Defaulted(
      Type.Integer({
        minimum: 10,
        maximum: 604800,
        description: 'A session ends this long after sign-in whatever its use, seconds.',
      }),
      43200,
    ),
    loginTimeoutSeconds: Defaulted(
      Type.Integer({
        minimum: 30,
        maximum: 3600,
        description: 'How long a started sign-in (state, nonce, PKCE verifier) waits for the callback, seconds.',
      }),
      600,
    ),
  },
  {
    description:
      'The console for people at /console (docs/console.md): OpenID Connect sign-in and server-side sessions in Redis. Absent: no console is served.',
  },
);
