/**
 * The one configuration schema of a TNX gateway: every setting once, with its type, its default and
 * its description. From it come `TnxConfig` (resolved: defaults filled, frozen by src/config/load.ts),
 * `TnxConfigInput` (what a file may say: optional wherever a default exists), the JSON Schema ajv
 * validates at start-up (`configSchema` itself), the defaults (`configDefaults()`) and
 * docs/configuration.md (`npm run docs:config`). Domain-owned pieces are defined beside their domain
 * and composed here: the partner entry, the deadline rules, the screening weights.
 * After fastify build/build-validation.js, with TypeBox as the source.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ROLES, type Role } from '../core/principal.js';
import { Defaulted, defaultsOf, Section, Settings, StringEnum, type Input } from '../core/settings.js';
import {
  partnerLimitsSchema,
  partnerSchema,
  pointOfContactSchema,
  stateCodeSchema,
  type Partner,
} from '../domain/directory/partner.js';
import { screeningWeightsSetting } from '../domain/screening/config.js';
import { deadlineRulesSchema } from '../domain/travel-reports/deadline.js';
import { consoleSchema } from './console.js';
import { oauthSchema } from './oauth.js';

export { ROLES, type Role };
export { partnerSchema };
export type { Partner, PartnerInput, PartnerLimits, PartnerTls } from '../domain/directory/partner.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const apiTokenSchema = Settings({
  id: Type.String({
    pattern: '^[A-Za-z0-9._:-]{1,64}$',
    description: 'Non-secret identifier of the token; it is the `actor` in audit events.',
  }),
  role: StringEnum(ROLES, { description: 'What the token may do (docs/http-api.md).' }),
  sha256: Type.String({
    pattern: '^[0-9a-f]{64}$',
    description: 'Hex SHA-256 of the bearer token. The token itself is never stored.',
  }),
});
export type ApiToken = Static<typeof apiTokenSchema>;
export type OAuthSettings = Static<typeof oauthSchema>;
export type ConsoleSettings = Static<typeof consoleSchema>;

/**
 * Following the coordinator's signed network directory (protocol/SPEC.md §14, docs/keys-and-directory.md §8).
 * With it set the partner list comes from the network directory only: a local `partners` list is
 * refused (checkNetworkDirectory), so there is one source of truth for who our partners are.
 */
export const networkDirectorySchema = Settings(
  {
    url: Type.String({
      format: 'uri',
      pattern: '^https?://',
      description: "The coordinator's signed directory (https:; http: only on a loopback host).",
    }),
    name: Type.String({
      pattern: '^[A-Za-z0-9._-]{1,64}$',
      description: 'The network name every document must carry (given by the coordinator).',
    }),
    trustAnchorsPath: Type.String({
      minLength: 1,
      description: "The coordinator's public JWKS (path): the only keys a directory is verified with.",
    }),
    statePath: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Where the last good signed directory is kept (path); default `network-directory.jws` beside the SQLite file.',
      }),
    ),
    intervalSeconds: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 86400,
        description:
          'Seconds between two fetches of the directory (RECOMMENDED 900; a few seconds only for tests and the demo). A state removed or a key revoked takes effect within one interval.',
      }),
      900,
    ),
    timeoutSeconds: Defaulted(
      Type.Integer({ minimum: 1, maximum: 300, description: 'Whole-request timeout of one fetch, seconds.' }),
      10,
    ),
    maxBytes: Defaulted(
      Type.Integer({ minimum: 1024, maximum: 16777216, description: 'Largest directory document accepted, bytes.' }),
      1048576,
    ),
    defaultLimits: partnerLimitsSchema,
    limits: Defaulted(
      Type.Record(Type.String({ pattern: '^[A-Z]{3}$' }), partnerLimitsSchema, {
        description:
          'Per-state delivery limits overriding `defaultLimits` (local policy: the coordinator does not set them), e.g. `{ "FRA": { "concurrency": 2 } }`.',
      }),
      {},
    ),
  },
  { description: "Follow the coordinator's signed network directory instead of a local partner list." },
);
export type NetworkDirectorySettings = Static<typeof networkDirectorySchema>;

export const directorySchema = Settings(
  {
    partners: Defaulted(
      Type.Array(partnerSchema, { description: 'One entry per partner state (empty when `network` is set).' }),
      [],
    ),
    network: Type.Optional(networkDirectorySchema),
  },
  {
    description:
      'The partner directory, inline (or give `directoryPath`: a directory file holds the same `{ "partners": [...] }`), or `network` to follow a signed network directory.',
  },
);
export type DirectoryInput = Input<typeof directorySchema>;

const http = Section({
  host: Defaulted(Type.String({ description: 'Address the HTTP side listens on.' }), '127.0.0.1'),
  port: Defaulted(Type.Integer({ minimum: 0, maximum: 65535, description: 'Port the HTTP side listens on.' }), 8443),
  bodyLimitBytes: Defaulted(
    Type.Integer({ minimum: 1024, maximum: 16777216, description: 'Largest request body accepted anywhere, bytes.' }),
    1048576,
  ),
  tls: Type.Optional(
    Settings(
      {
        certPath: Type.String({ description: 'PEM certificate chain (path).' }),
        keyPath: Type.String({ description: 'PEM private key (path).' }),
        caPath: Type.Optional(Type.String({ description: 'PEM CA bundle client certificates must chain to (path).' })),
        requireClientCert: Defaulted(
          Type.Boolean({ description: 'Require a client certificate (mTLS) on every connection.' }),
          false,
        ),
      },
      { description: 'Serve HTTPS when set.' },
    ),
  ),
  handshakeTimeoutMs: Defaulted(
    Type.Integer({
      minimum: 1000,
      maximum: 120000,
      description: 'A TLS connection that has not completed its handshake within this time is closed, ms.',
    }),
    10000,
  ),
  maxConnections: Defaulted(
    Type.Integer({
      minimum: 16,
      maximum: 1000000,
      description: 'Open connections the HTTP side holds at most; further ones are closed at once.',
    }),
    1024,
  ),
  hstsMaxAgeSeconds: Defaulted(
    Type.Integer({
      minimum: 0,
      maximum: 63072000,
      description: 'max-age of the Strict-Transport-Security header on HTTPS responses (0: no header).',
    }),
    31536000,
  ),
  maxInFlightSubmissions: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 100000,
      description:
        'Submissions (POST notifications and updates) this process handles at once; beyond it they are answered ' +
        '503 `overloaded` with Retry-After at once. Health and readiness probes are never counted.',
    }),
    128,
  ),
  maxSubmissionAgeMs: Defaulted(
    Type.Integer({
      minimum: 10,
      maximum: 600000,
      description:
        'When the oldest submission in flight in this process has waited this long, new submissions are ' +
        'answered 503 `overloaded` at once: the process is behind, whatever the count in flight.',
    }),
    500,
  ),
  maxQueueReady: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 100000000,
      description:
        'Delivery jobs ready to run (waiting, not delayed) beyond which submissions are answered 503 ' +
        '`overloaded`: the workers are that far behind. Sampled every `queueSampleMs`.',
    }),
    50000,
  ),
  queueSampleMs: Defaulted(
    Type.Integer({
      minimum: 50,
      maximum: 60000,
      description: 'How often the HTTP side samples the ready delivery jobs for `maxQueueReady`, ms.',
    }),
    1000,
  ),
  overloadRetryAfterSeconds: Defaulted(
    Type.Integer({ minimum: 1, maximum: 3600, description: 'Retry-After on an `overloaded` answer, seconds.' }),
    1,
  ),
  refusalLimit: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 1000000,
      description:
        'Refused unauthenticated requests one client address may make per `refusalWindowSeconds` before it is ' +
        'answered 429 (counted in Redis, so across processes).',
    }),
    100,
  ),
  refusalWindowSeconds: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 3600,
      description:
        'Window of the refusal limit, and of the audit trail: unauthenticated refusals are written as one ' +
        '`request.refused` event per route, code and window, with a count.',
    }),
    60,
  ),
});

/**
 * The Prometheus scrape endpoint has its own listener: metrics name partners, volumes per sender and
 * the Node version, which is no business of whoever can reach the partner inbox or the local API.
 */
const metrics = Section(
  {
    enabled: Defaulted(
      Type.Boolean({ description: 'Serve `GET /metrics` on its own listener where the HTTP side runs.' }),
      true,
    ),
    host: Defaulted(
      Type.String({ description: 'Address the metrics listener binds (loopback unless a scraper needs more).' }),
      '127.0.0.1',
    ),
    port: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 65535,
        description: 'Port of the metrics listener (0: any free port, logged at start-up); never the HTTP port.',
      }),
      9464,
    ),
  },
  { description: 'The metrics listener, apart from the partner and API port.' },
);

const protocol = Section({
  maxMessageBytes: Defaulted(
    Type.Integer({
      minimum: 4096,
      maximum: 16777216,
      description: 'Largest sealed message accepted on the inbox, bytes (TNX/1 default 256 KiB).',
    }),
    262144,
  ),
  clockSkewSeconds: Defaulted(
    Type.Integer({
      minimum: 0,
      maximum: 3600,
      description: "Accepted difference between a message's `iat` and our clock, seconds.",
    }),
    300,
  ),
  maxMessageAgeSeconds: Defaulted(
    Type.Integer({
      minimum: 60,
      description: "Oldest `iat` accepted, seconds (covers the sender's whole retry budget).",
    }),
    1209600,
  ),
});

const redis = Section({
  url: Defaulted(
    Type.String({ pattern: '^rediss?://', description: 'Redis of the queues (env REDIS_URL overrides).' }),
    'redis://127.0.0.1:6379',
  ),
  prefix: Defaulted(
    Type.String({
      pattern: '^[A-Za-z0-9:_-]{1,64}$',
      description: 'Key prefix of every queue, so several gateways can share one Redis.',
    }),
    'tnx',
  ),
});

const store = Section({
  kind: Defaulted(StringEnum(['sqlite', 'mongodb'], { description: 'Which store adapter holds the data.' }), 'sqlite'),
  sqlitePath: Defaulted(
    Type.String({ description: 'SQLite file, or ":memory:" (env TNX_SQLITE_PATH overrides).' }),
    'data/tnx.sqlite',
  ),
  mongodbUri: Type.Optional(
    Type.String({
      pattern: '^mongodb(\\+srv)?://',
      description: 'Required when kind is "mongodb" (or set env MONGODB_URI).',
    }),
  ),
  mongodbAllowStandalone: Defaulted(
    Type.Boolean({
      description:
        'Accept a standalone MongoDB server (development only). A replica set is required otherwise: a change ' +
        'and its audit events are one transaction there; on a standalone server they are two writes and a ' +
        'crash between them loses the events. Without this, start-up refuses a standalone server.',
    }),
    false,
  ),
});

const delivery = Section({
  onTimeThresholdHours: Defaulted(
    Type.Number({
      minimum: 0,
      description: 'Lead time (departure − receipt) at or above which a delivery counts as on time, hours.',
    }),
    24,
  ),
  atRiskLeadHours: Defaulted(
    Type.Number({
      minimum: 0,
      description: 'Alert once when no receipt has arrived this long before departure, hours.',
    }),
    24,
  ),
  retryUntilAfterDepartureHours: Defaulted(
    Type.Number({ minimum: 0, description: 'Keep retrying until this long after departure, hours.' }),
    24,
  ),
  backoffBaseMs: Defaulted(
    Type.Integer({ minimum: 1, description: 'First retry delay of the full-jitter backoff, ms.' }),
    1000,
  ),
  backoffCapMs: Defaulted(
    Type.Integer({ minimum: 1, description: 'Longest retry delay of the backoff, ms (≥ backoffBaseMs).' }),
    300000,
  ),
  departureBackoffFraction: Defaulted(
    Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      description:
        'A retry delay is at most this share of the time left before departure (never below backoffBaseMs), ' +
        'so a notice departing soon is retried soon after its partner returns.',
    }),
    0.05,
  ),
  circuitFailureThreshold: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 10000,
      description:
        "Consecutive transient failures to one partner that open its circuit: no more attempts, the partner's " +
        'jobs wait (without spending retries) until a probe succeeds.',
    }),
    5,
  ),
  circuitProbeIntervalMs: Defaulted(
    Type.Integer({
      minimum: 100,
      maximum: 3600000,
      description: 'While a circuit is open, one probe attempt to the partner at most this often, ms.',
    }),
    2000,
  ),
  circuitParkMs: Defaulted(
    Type.Integer({
      minimum: 1000,
      maximum: 3600000,
      description:
        'How long a job waiting on an open circuit sleeps at most, ms. Closing the circuit wakes every waiting ' +
        'job at once, and the probe clock wakes the one whose turn it is to probe; this only bounds the wait ' +
        'if those wake-ups are lost (a process killed then).',
    }),
    60000,
  ),
  requestTimeoutMs: Defaulted(
    Type.Integer({ minimum: 100, description: 'Timeout of one HTTP request to a partner or webhook, ms.' }),
    10000,
  ),
  workerConcurrency: Defaulted(
    Type.Integer({ minimum: 1, maximum: 1024, description: 'Worker concurrency of this process.' }),
    32,
  ),
  alertWebhookUrl: Type.Optional(
    Type.String({
      format: 'uri',
      description: 'POSTed a JSON alert (no personal data) when a notification fails or is at risk.',
    }),
  ),
  enqueueTimeoutMs: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 60000,
      description:
        'How long a submission waits for the queue before answering anyway, ms. The record is durable ' +
        'already; with Redis down a client must not hang — the outbox recovery enqueues later.',
    }),
    2000,
  ),
  outboxIntervalMs: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 86400000,
      description:
        'How often the outbox recovery enqueues records stored but not yet queued, ms (also run at start-up).',
    }),
    10000,
  ),
  orphanSweepIntervalMs: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 86400000,
      description:
        'How often the orphan sweep re-enqueues live records whose queue job vanished, ms (also run at ' +
        'start-up). A pass reads every live record, so not much more often than Redis can lose jobs.',
    }),
    300000,
  ),
  orphanSweepMinAgeMs: Defaulted(
    Type.Integer({
      minimum: 0,
      maximum: 86400000,
      description: 'Periodic sweeps look only at records at least this old, ms: a new one is left to its submission.',
    }),
    300000,
  ),
  atRiskScanIntervalMs: Defaulted(
    Type.Integer({
      minimum: 1,
      maximum: 86400000,
      description: 'How often the workers look for notifications at risk (see atRiskLeadHours), ms.',
    }),
    60000,
  ),
  shutdownTimeoutMs: Defaulted(
    Type.Integer({
      minimum: 0,
      maximum: 600000,
      description:
        'At shutdown, how long in-flight deliveries may finish before they are aborted (and retried later), ms.',
    }),
    10000,
  ),
});

const roles = Section(
  {
    http: Defaulted(Type.Boolean({ description: 'Serve HTTP (API and inbox).' }), true),
    workers: Defaulted(Type.Boolean({ description: 'Run the delivery workers and periodic jobs.' }), true),
  },
  { description: 'Which parts this process runs (`--http-only`, `--workers-only` override).' },
);

const inbox = Settings(
  {
    webhookUrl: Type.Optional(
      Type.String({
        format: 'uri',
        pattern: '^https?://',
        description:
          'POSTed a JSON notice (references only: inbound id, sender, type, ids, times — no personal data) for ' +
          'every new inbound message, so the national system can fetch it through GET /api/v1/inbox/{id}.',
      }),
    ),
  },
  { description: 'Inbox options.' },
);

const auth = Section({
  tokens: Defaulted(Type.Array(apiTokenSchema, { description: 'API bearer tokens and their roles.' }), []),
  oauth: Type.Optional(oauthSchema),
});

const registry = Settings(
  {
    kekPath: Type.String({
      minLength: 1,
      description:
        'KEK file (JWKS of "oct" keys, first non-retired active, mode 0600) wrapping each registrant\'s data key.',
    }),
    indexKeyPath: Type.String({
      minLength: 1,
      description: 'Blind-index key file (one "oct" key, mode 0600); must differ from every KEK.',
    }),
    retentionDaysAfterEnd: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 36500,
        description: 'Days a record is kept after its registration end before the retention job shreds it.',
      }),
      365,
    ),
    retentionScanIntervalSeconds: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 604800,
        description: 'How often the retention job runs (a BullMQ job scheduler shared by all processes), seconds.',
      }),
      3600,
    ),
  },
  { description: 'The national registry; the registry API and its retention job run only when it is set.' },
);

const travelReports = Section(
  {
    deadlines: deadlineRulesSchema,
    recoveryIntervalSeconds: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 86400,
        description:
          'How often the recovery job looks for travel reports whose notifications were never submitted (a ' +
          'request that died between storing the report and submitting them), seconds. A BullMQ job scheduler ' +
          'shared by all processes; runs where workers run and the registry is configured.',
      }),
      60,
    ),
    recoveryMinAgeSeconds: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 86400,
        description:
          'A report created or changed more recently than this is left to the request that stored it (still submitting), seconds.',
      }),
      60,
    ),
    recoveryLookbackHours: Defaulted(
      Type.Integer({
        minimum: 1,
        maximum: 8760,
        description: 'How far back the recovery job looks at stored reports, hours.',
      }),
      168,
    ),
  },
  { description: 'Self-reported travel: deadline rules (minimum notice, emergencies, change cut-off) and recovery.' },
);

const audit = Section({
  checkpointIntervalSeconds: Defaulted(
    Type.Integer({
      minimum: 1,
      description: 'How often the elected sealer signs a checkpoint of the chain head, seconds.',
    }),
    60,
  ),
  verifyIntervalSeconds: Defaulted(
    Type.Integer({
      minimum: 1,
      description:
        'How often the gateway verifies its whole audit trail (hashes, sequence, signed checkpoints) and records ' +
        'the result (audit.verified by system), seconds; one elected process does it.',
    }),
    86_400,
  ),
});

const log = Section({ level: Defaulted(StringEnum(LOG_LEVELS, { description: 'Log level (pino).' }), 'info') });

const airport = Settings({
  state: stateCodeSchema,
  timeZone: Type.String({ pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$', description: 'IANA time zone.' }),
});

const screening = Section(
  {
    retentionHours: Defaulted(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 8760,
        description:
          "Hours a received manifest's people (API data) are kept before the retention job purges them; the " +
          'screening result stays without them. EU API rules: delete within 24 h.',
      }),
      24,
    ),
    notifyOnConfirmedUnreported: Defaulted(
      Type.Boolean({
        description:
          'A confirmed match on a trip the registrant did not report becomes a TravelNotification (source manifest_match).',
      }),
      true,
    ),
    retentionIntervalSeconds: Defaulted(
      Type.Integer({ minimum: 1, maximum: 86400, description: 'How often the retention job runs, seconds.' }),
      300,
    ),
    weights: screeningWeightsSetting,
    airports: Defaulted(
      Type.Record(Type.String(), airport, {
        propertyNames: { pattern: '^[A-Z]{3}$' },
        description: 'Airports beyond the built-in table: IATA code → state and IANA time zone.',
      }),
      {},
    ),
  },
  { description: 'Manifest screening (docs/manifest-workflow.md).' },
);

export const configSchema = Settings(
  {
    $schema: Type.Optional(Type.String({ description: 'Ignored; lets an editor find a JSON Schema.' })),
    state: { ...stateCodeSchema, description: 'Own ISO 3166-1 alpha-3 code.' },
    pointOfContact: {
      ...pointOfContactSchema,
      description: 'Own point of contact, copied into every outgoing notification.',
    },
    keys: Settings({
      privateJwksPath: Type.String({
        minLength: 1,
        description: 'Private JWKS with our signing and encryption keys (file mode 0600).',
      }),
    }),
    http,
    metrics,
    protocol,
    redis,
    store,
    directoryPath: Type.Optional(
      Type.String({ description: 'Path to the partner directory file (or give `directory` inline).' }),
    ),
    directory: Type.Optional(directorySchema),
    delivery,
    roles,
    shutdownTimeoutMs: Defaulted(
      Type.Integer({
        minimum: 1000,
        maximum: 600000,
        description:
          'Bound on the whole shutdown after SIGTERM/SIGINT, ms. Past it the process exits with code 1 and leaves the rest to the outbox recovery and the orphan sweep (nothing durable is lost). Keep it above delivery.shutdownTimeoutMs.',
      }),
      30000,
    ),
    inbox: Type.Optional(inbox),
    auth,
    console: Type.Optional(consoleSchema),
    registry: Type.Optional(registry),
    travelReports,
    audit,
    log,
    screening,
  },
  { $id: 'urn:tnx:config' },
);

/**
 * The resolved configuration: every default filled, the directory loaded (from `directory` or
 * `directoryPath`), relative paths made absolute, deep-frozen.
 */
export type TnxConfig = Omit<Static<typeof configSchema>, '$schema' | 'directory'> & {
  directory: { partners: Partner[]; network?: NetworkDirectorySettings };
  /** Absolute path of the file this came from (for resolving relative paths); absent when built in code. */
  configPath?: string;
};

/** What a configuration file may say: everything with a default is optional. */
export type TnxConfigInput = Input<typeof configSchema>;

/** Every default the schema declares, nested as in the resolved configuration (a fresh copy). */
export function configDefaults(): Partial<TnxConfig> {
  return defaultsOf(Defaulted(configSchema, {} as TnxConfigInput)) as Partial<TnxConfig>;
}
