/**
 * OAuth 2.0 access tokens for national systems (RFC 9068 JWT profile, client-credentials grant): which
 * issuer we trust, for which audience, with which algorithms, and how its role claim maps to TNX roles.
 * Defined beside the auth section of src/config/schema.ts so that file stays one list of sections.
 */
import { Type } from '@sinclair/typebox';
import { ROLES } from '../core/principal.js';
import { Defaulted, Settings, StringEnum } from '../core/settings.js';

/** Asymmetric algorithms only: an HMAC key would be a secret shared with the issuer (RFC 8725 §3.1). */
export const ACCESS_TOKEN_ALGS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;

export const oauthSchema = Settings(
  {
    issuer: Type.String({
      format: 'uri',
      pattern: '^https?://',
      description: 'Issuer identifier; a token whose `iss` differs exactly is refused.',
    }),
    jwksUri: Type.String({
      format: 'uri',
      pattern: '^https?://',
      description: "The issuer's JWKS URL; signing keys come only from here, never from the token.",
    }),
    audience: Type.String({
      minLength: 1,
      description: 'Our resource identifier; a token whose `aud` does not include it is refused.',
    }),
    algorithms: Defaulted(
      Type.Array(StringEnum(ACCESS_TOKEN_ALGS), {
        minItems: 1,
        uniqueItems: true,
        description: 'Signature algorithms accepted (allow-list; `none` and HMAC are never accepted).',
      }),
      ['RS256', 'PS256', 'ES256', 'EdDSA'],
    ),
    roleClaim: Defaulted(
      Type.String({ minLength: 1, description: 'Claim carrying the caller’s role at the issuer.' }),
      'tnx_role',
    ),
    roles: Type.Record(Type.String({ minLength: 1 }), StringEnum(ROLES, { description: 'The TNX role it maps to.' }), {
      description: 'Role claim value → TNX role. A token whose claim maps to no role is refused.',
    }),
    clockToleranceSeconds: Defaulted(
      Type.Integer({ minimum: 0, maximum: 300, description: 'Leeway for `exp` and `nbf`, seconds.' }),
      30,
    ),
    jwksCacheSeconds: Defaulted(
      Type.Integer({
        minimum: 30,
        maximum: 86400,
        description: 'How long fetched signing keys are kept before the JWKS is fetched again, seconds.',
      }),
      600,
    ),
  },
  {
    description:
      'OAuth 2.0 JWT access tokens (RFC 9068) accepted on /api/v1/* beside the static tokens; the actor in ' +
      'the audit trail is `oauth:` + the client id.',
  },
);
