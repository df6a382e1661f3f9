/**
 * One partner state's entry in our directory: where its gateway listens, the public keys pinned for
 * it, its point of contact, what it accepts and the limits we keep when delivering to it. The
 * directory (./directory.ts) resolves keys only from these entries, never from a token.
 *
 * The schema is the one definition: the configuration (src/config/schema.ts) and the directory API
 * (src/features/directory) validate with it, and `Partner` is derived from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Defaulted, Section, Settings, StringEnum, type Input } from '../../core/settings.js';

export const stateCodeSchema = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 3166-1 alpha-3' });

export const pointOfContactSchema = Settings({
  unit: Type.String({ minLength: 1, maxLength: 200, description: 'Name of the unit answering.' }),
  email: Type.String({ format: 'email', description: 'E-mail address of the unit.' }),
  phone: Type.String({ pattern: '^\\+[0-9 ()-]{6,30}$', description: 'International format, starting with +.' }),
  hours: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'Hours of service, free text, e.g. "24/7" or "Mon-Fri 08:00-18:00 UTC-5".',
  }),
});

export const ACCEPTABLE_TYPES = ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] as const;

export const partnerLimitsSchema = Section(
  {
    concurrency: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 256,
        description: 'Deliveries in flight at once to this partner, across all workers of this process.',
      }),
      8,
    ),
    ratePerSecond: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 100000,
        description: 'Deliveries started per second to this partner (token bucket).',
      }),
      200,
    ),
  },
  { description: 'Limits we keep when delivering to this partner.' },
);

export const partnerTlsSchema = Settings(
  {
    caPath: Type.Optional(
      Type.String({
        description: "PEM CA bundle (path) verifying the partner's server certificate; system CAs when absent.",
      }),
    ),
    caPem: Type.Optional(
      Type.String({
        maxLength: 65536,
        description: 'The same CA inline (PEM), as the signed network directory carries it (no local path to name).',
      }),
    ),
    clientCaPath: Type.Optional(
      Type.String({
        description: "For mTLS on our inbox: the partner's client certificate must chain to this CA (path)…",
      }),
    ),
    clientCaPem: Type.Optional(
      Type.String({
        maxLength: 65536,
        description: 'The same client CA inline (PEM), as the signed network directory carries it.',
      }),
    ),
    clientCertSha256: Type.Optional(
      Type.String({
        pattern: '^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$',
        description: '…or have exactly this SHA-256 fingerprint (hex, colons optional).',
      }),
    ),
  },
  { description: 'TLS towards this partner and for its client certificate on our inbox.' },
);

export const partnerSchema = Settings({
  state: stateCodeSchema,
  name: Type.String({ minLength: 1, description: 'Name of the partner state, for people.' }),
  endpoint: Type.Union([Type.String({ format: 'uri', pattern: '^https?://' }), Type.Null()], {
    description:
      'Inbox URL (…/tnx/v1/messages); null for states that run no gateway (notifications become `no_channel`).',
  }),
  jwks: Type.Optional(
    Type.Object(
      {
        // Presence of kty and kid only: the key itself is checked when it is imported.
        keys: Type.Array(Type.Unsafe<Record<string, unknown>>({ type: 'object', required: ['kty', 'kid'] }), {
          minItems: 1,
          description: 'Public JWKs, each with at least kty and kid.',
        }),
      },
      { description: 'Public JWKS of the partner, inline… (exactly one of jwks / jwksPath)' },
    ),
  ),
  jwksPath: Type.Optional(
    Type.String({ minLength: 1, description: '…or a path to it (relative to the directory file).' }),
  ),
  pointOfContact: pointOfContactSchema,
  accepts: Defaulted(
    Type.Array(StringEnum(ACCEPTABLE_TYPES), { uniqueItems: true, description: 'Message types the partner accepts.' }),
    [...ACCEPTABLE_TYPES],
  ),
  limits: partnerLimitsSchema,
  tls: Type.Optional(partnerTlsSchema),
});

export type Partner = Static<typeof partnerSchema>;
export type PartnerInput = Input<typeof partnerSchema>;
export type PartnerLimits = Static<typeof partnerLimitsSchema>;
export type PartnerTls = Static<typeof partnerTlsSchema>;
