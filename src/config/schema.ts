/**
 * The one configuration schema of a TNX gateway.
 *
 * `TnxConfigInput` is what a file may say (most settings optional); `TnxConfig` is the resolved,
 * frozen result with every default filled. The JSON Schema below is validated once at start-up
 * (src/config/load.ts); a bad file stops start-up with the path of the offending setting.
 * After fastify build/build-validation.js: defaults and docs live next to each setting.
 */
import type { PointOfContact, StateCode } from '../domain/protocol/types.js';
import { deadlineRulesSchema, type DeadlineRules } from '../domain/travel-reports/deadline.js';
import type { ScreeningWeightsInput } from '../domain/screening/config.js';

import { ROLES, type Role } from '../core/principal.js';
import type { Partner } from '../domain/directory/partner.js';

export { ROLES, type Role };
export type { Partner, PartnerLimits, PartnerTls } from '../domain/directory/partner.js';

export interface ApiToken {
  /** Non-secret identifier of the token; it is the `actor` in audit events. */
  id: string;
  role: Role;
  /** Hex SHA-256 of the bearer token. The token itself is never stored. */
  sha256: string;
}

export interface DirectoryInput {
  partners: Partial<Partner>[];
}

export interface TnxConfig {
  /** Own ISO 3166-1 alpha-3 code. */
  state: StateCode;
  /** Own point of contact, copied into every outgoing notification. */
  pointOfContact: PointOfContact;
  keys: {
    /** Private JWKS with our signing and encryption keys (file mode 0600). */
    privateJwksPath: string;
  };
  http: {
    host: string;
    port: number;
    /** Largest request body accepted anywhere, bytes. */
    bodyLimitBytes: number;
    /** Serve HTTPS when set. */
    tls?: { certPath: string; keyPath: string; requireClientCert: boolean; caPath?: string };
  };
  protocol: {
    /** Largest sealed message accepted on the inbox, bytes (TNX/1 default 256 KiB). */
    maxMessageBytes: number;
    /** Accepted difference between a message's `iat` and our clock, seconds. */
    clockSkewSeconds: number;
    /** Oldest `iat` accepted, seconds (covers the sender's whole retry budget). */
    maxMessageAgeSeconds: number;
  };
  redis: { url: string; prefix: string };
  store: {
    kind: 'sqlite' | 'mongodb';
    sqlitePath: string;
    mongodbUri?: string;
  };
  /** The partner directory: path to a directory file, or inline. */
  directoryPath?: string;
  directory: { partners: Partner[] };
  delivery: {
    /** Lead time (departure − receipt) at or above which a delivery counts as on time, hours. */
    onTimeThresholdHours: number;
    /** Alert once when no receipt has arrived this long before departure, hours. */
    atRiskLeadHours: number;
    /** Keep retrying until this long after departure, hours. */
    retryUntilAfterDepartureHours: number;
    backoffBaseMs: number;
    backoffCapMs: number;
    requestTimeoutMs: number;
    /** Worker concurrency of this process. */
    workerConcurrency: number;
    /** POSTed a JSON alert (no personal data) when a notification fails or is at risk. */
    alertWebhookUrl?: string;
  };
  /** Which parts this process runs. */
  roles: { http: boolean; workers: boolean };
  /** Inbox options (optional section). */
  inbox?: {
    /**
     * POSTed a JSON notice (references only: inbound id, sender, type, ids, times — no personal data)
     * for every new inbound message, so the national system can fetch it through GET /api/v1/inbox/{id}.
     */
    webhookUrl?: string;
  };
  auth: { tokens: ApiToken[] };
  /** The national registry (optional section; the registry API and retention job run only when set). */
  registry?: {
    /** KEK file (JWKS of "oct" keys, first non-retired active, mode 0600) wrapping each registrant's data key. */
    kekPath: string;
    /** Blind-index key file (one "oct" key, mode 0600); must differ from every KEK. */
    indexKeyPath: string;
    /** Days a record is kept after its registration end before the retention job shreds it. */
    retentionDaysAfterEnd: number;
    /** How often the retention job runs (a BullMQ job scheduler shared by all processes), seconds. */
    retentionScanIntervalSeconds: number;
  };
  /** Self-reported travel: this state's deadline rules (minimum notice, emergencies, change cut-off). */
  travelReports: { deadlines: DeadlineRules };
  audit: {
    /** How often the elected sealer signs a checkpoint of the chain head, seconds. */
    checkpointIntervalSeconds: number;
  };
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  /** Manifest screening (src/features/screening, docs/manifest-workflow.md). */
  screening: {
    /**
     * Hours a received manifest's people (API data) are kept before the retention job purges them;
     * the screening result stays without them. EU API rules: delete within 24 h.
     */
    retentionHours: number;
    /** A confirmed match on a trip the registrant did not report becomes a TravelNotification (source manifest_match). */
    notifyOnConfirmedUnreported: boolean;
    /** How often the retention job runs, seconds. */
    retentionIntervalSeconds: number;
    /** Score weights and threshold (src/domain/screening/config.ts); defaults there. */
    weights: ScreeningWeightsInput;
    /** Airports beyond the built-in table (src/domain/screening/airports.ts): IATA code → state and IANA time zone. */
    airports: Record<string, { state: StateCode; timeZone: string }>;
  };
  /** Absolute path of the file this came from (for resolving relative paths); absent when built in code. */
  configPath?: string;
}

/** What a configuration file may say: everything with a default is optional. */
export type TnxConfigInput = {
  state: StateCode;
  pointOfContact: PointOfContact;
  keys: { privateJwksPath: string };
} & DeepPartial<Omit<TnxConfig, 'state' | 'pointOfContact' | 'keys' | 'directory'>> & {
    directory?: DirectoryInput;
  };

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

const stateCode = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 3166-1 alpha-3' } as const;
/** A score weight (src/domain/screening/config.ts): contributions lie in [-1, 1]. */
const UNIT = { type: 'number', minimum: -1, maximum: 1 } as const;

const pointOfContact = {
  type: 'object',
  additionalProperties: false,
  required: ['unit', 'email', 'phone', 'hours'],
  properties: {
    unit: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', format: 'email' },
    phone: { type: 'string', pattern: '^\\+[0-9 ()-]{6,30}$' },
    hours: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

export const partnerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'name', 'endpoint', 'pointOfContact'],
  properties: {
    state: stateCode,
    name: { type: 'string', minLength: 1 },
    endpoint: { anyOf: [{ type: 'string', format: 'uri', pattern: '^https?://' }, { type: 'null' }] },
    jwks: {
      type: 'object',
      required: ['keys'],
      properties: { keys: { type: 'array', minItems: 1, items: { type: 'object', required: ['kty', 'kid'] } } },
    },
    jwksPath: { type: 'string', minLength: 1 },
    pointOfContact,
    accepts: {
      type: 'array',
      items: { enum: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] },
      uniqueItems: true,
      default: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'],
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 256, default: 8 },
        ratePerSecond: { type: 'number', exclusiveMinimum: 0, maximum: 100000, default: 200 },
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        caPath: { type: 'string' },
        clientCaPath: { type: 'string' },
        clientCertSha256: { type: 'string', pattern: '^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$' },
      },
    },
  },
} as const;

export const directorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['partners'],
  properties: { partners: { type: 'array', items: partnerSchema } },
} as const;

export const configSchema = {
  $id: 'urn:tnx:config',
  type: 'object',
  additionalProperties: false,
  required: ['state', 'pointOfContact', 'keys'],
  properties: {
    $schema: { type: 'string' },
    state: stateCode,
    pointOfContact,
    keys: {
      type: 'object',
      additionalProperties: false,
      required: ['privateJwksPath'],
      properties: { privateJwksPath: { type: 'string', minLength: 1 } },
    },
    http: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8443 },
        bodyLimitBytes: { type: 'integer', minimum: 1024, maximum: 16777216, default: 1048576 },
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['certPath', 'keyPath'],
          properties: {
            certPath: { type: 'string' },
            keyPath: { type: 'string' },
            caPath: { type: 'string' },
            requireClientCert: { type: 'boolean', default: false },
          },
        },
      },
    },
    protocol: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxMessageBytes: { type: 'integer', minimum: 4096, maximum: 16777216, default: 262144 },
        clockSkewSeconds: { type: 'integer', minimum: 0, maximum: 3600, default: 300 },
        maxMessageAgeSeconds: { type: 'integer', minimum: 60, default: 1209600 },
      },
    },
    redis: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        url: { type: 'string', pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' },
        prefix: { type: 'string', pattern: '^[A-Za-z0-9:_-]{1,64}$', default: 'tnx' },
      },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        kind: { enum: ['sqlite', 'mongodb'], default: 'sqlite' },
        sqlitePath: { type: 'string', default: 'data/tnx.sqlite' },
        mongodbUri: { type: 'string', pattern: '^mongodb(\\+srv)?://' },
      },
    },
    directoryPath: { type: 'string' },
    directory: directorySchema,
    delivery: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        onTimeThresholdHours: { type: 'number', minimum: 0, default: 24 },
        atRiskLeadHours: { type: 'number', minimum: 0, default: 24 },
        retryUntilAfterDepartureHours: { type: 'number', minimum: 0, default: 24 },
        backoffBaseMs: { type: 'integer', minimum: 1, default: 1000 },
        backoffCapMs: { type: 'integer', minimum: 1, default: 300000 },
        requestTimeoutMs: { type: 'integer', minimum: 100, default: 10000 },
        workerConcurrency: { type: 'integer', minimum: 1, maximum: 1024, default: 32 },
        alertWebhookUrl: { type: 'string', format: 'uri' },
      },
    },
    roles: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { http: { type: 'boolean', default: true }, workers: { type: 'boolean', default: true } },
    },
    inbox: {
      type: 'object',
      additionalProperties: false,
      properties: { webhookUrl: { type: 'string', format: 'uri', pattern: '^https?://' } },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        tokens: {
          type: 'array',
          default: [],
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'role', 'sha256'],
            properties: {
              id: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,64}$' },
              role: { enum: ROLES },
              sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            },
          },
        },
      },
    },
    registry: {
      type: 'object',
      additionalProperties: false,
      required: ['kekPath', 'indexKeyPath'],
      properties: {
        kekPath: { type: 'string', minLength: 1 },
        indexKeyPath: { type: 'string', minLength: 1 },
        retentionDaysAfterEnd: { type: 'integer', minimum: 0, maximum: 36500, default: 365 },
        retentionScanIntervalSeconds: { type: 'integer', minimum: 1, maximum: 604800, default: 3600 },
      },
    },
    travelReports: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { deadlines: { ...deadlineRulesSchema, default: {} } },
    },
    audit: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { checkpointIntervalSeconds: { type: 'integer', minimum: 1, default: 60 } },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
      },
    },
    screening: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        retentionHours: { type: 'number', exclusiveMinimum: 0, maximum: 8760, default: 24 },
        notifyOnConfirmedUnreported: { type: 'boolean', default: true },
        retentionIntervalSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: 300 },
        weights: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
            name: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(
                ['phoneticFloor', 'initial', 'stretchFrom', 'extraToken', 'extraTokenMax'].map((k) => [k, UNIT]),
              ),
            },
            dateOfBirth: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(
                ['dayMonthSwapped', 'dayDiffers', 'monthAndDayDiffer', 'yearOffByOne', 'yearDiffers'].map((k) => [
                  k,
                  UNIT,
                ]),
              ),
            },
            document: { type: 'object', additionalProperties: false, properties: { exact: UNIT, oneEdit: UNIT } },
            nationalityDiffers: UNIT,
            sexDiffers: UNIT,
          },
        },
        airports: {
          type: 'object',
          default: {},
          propertyNames: { pattern: '^[A-Z]{3}$' },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['state', 'timeZone'],
            properties: { state: stateCode, timeZone: { type: 'string', pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' } },
          },
        },
      },
    },
  },
} as const;
