/**
 * Shared test bootstrap (node-oidc-provider test/test_helper.js): a whole gateway on 127.0.0.1 port 0
 * with its own SQLite file in a temp dir, its own Redis key prefix (real redis-server from the
 * harness), the dev keys of keys/dev and the demo directory, one bearer token per role. `close()`
 * tears everything down. No worker runs: delivery jobs stay in the (real) BullMQ queue where tests
 * can look at them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { buildConfig, loadConfigFile } from '../../src/config/load.js';
import {
  ROLES,
  type PartnerInput,
  type PartnerTls,
  type TnxConfig,
  type TnxConfigInput,
} from '../../src/config/schema.js';
import { DeliveryQueue } from '../../src/adapters/queue-bullmq/delivery-queue.js';
import { Directory } from '../../src/domain/directory/directory.js';
import { createContext, type RunningContext } from '../../src/runtime/create-context.js';
import type { OutboundQueue } from '../../src/ports/queue.js';
import { createApp } from '../../src/http/app.js';
import type { Admission } from '../../src/features/submission/admission.js';
import { sha256Hex } from '../../src/http/auth.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { listenMetrics } from '../../src/http/metrics-server.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import { createLogger } from '../../src/core/logger.js';
import { seal, verifyReceipt } from '../../src/domain/protocol/envelope/index.js';
import type { Receipt, TnxMessage, TravelNotification } from '../../src/domain/protocol/types.js';
import type { Clock } from '../../src/core/clock.js';
import { systemClock } from '../../src/core/clock.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { redisRefusalLimiter } from '../../src/adapters/rate-limit/redis-refusal-limiter.js';
import { RefusalCounter } from '../../src/features/audit-trail/refusal-counter.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CONFIG_DIR = join(ROOT, 'config');
export const EXAMPLES = join(ROOT, 'protocol/examples');

export function example<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as T;
}
/** The example notification turned around: from `origin` to USA (our test gateway). */
export function inboundNotification(origin = 'THA'): TravelNotification {
  const n = example<TravelNotification>('travel-notification.json');
  n.notificationId = randomUUID();
  n.origin = origin;
  n.destination = 'USA';
  n.travel.destinationCountries = ['USA'];
  for (const a of n.travel.accommodation ?? []) a.country = 'USA';
  return n;
}

export function exampleText(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

/** Bearer secret of each test token: `secret-<id>`; ids are the role names plus "submitter2". */
export const TOKEN_IDS = [...ROLES, 'submitter2'] as const;
export type TokenId = (typeof TOKEN_IDS)[number];
export function secretOf(id: TokenId): string {
  return `secret-${id}-0123456789abcdef`;
}
export function bearer(id: TokenId): string {
  return `Bearer ${secretOf(id)}`;
}

export interface BootstrapOptions {
  clock?: Clock;
  /** TLS settings merged into demo partners (mTLS tests). */
  partnerTls?: Record<string, PartnerTls>;
  /** Extra partners added to the demo directory (e.g. a state without an endpoint). */
  extraPartners?: PartnerInput[];
  /** Config overrides merged over the defaults (http, protocol, …). */
  config?: Partial<TnxConfigInput>;
  log?: Logger;
  /** Reuse another gateway's SQLite file, Redis prefix and queue name (restart after a crash). */
  reuse?: { sqlitePath: string; redisPrefix: string; queueName: string };
  /** Wrap the real queue (e.g. to crash at a precise point); the real queue is still closed on teardown. */
  wrapQueue?: (queue: DeliveryQueue) => OutboundQueue;
  enqueueTimeoutMs?: number;
  /** Admission control of the submissions (default: from the configuration, in-flight bound only). */
  admission?: Admission;
}

export interface TestGateway {
  config: TnxConfig;
  ctx: RunningContext;
  queue: DeliveryQueue;
  app: Express;
  server: RunningServer;
  url: string;
  /** Base URL of the metrics listener (its own port; `<metricsUrl>/metrics`). */
  metricsUrl: string;
  dir: string;
  queueName: string;
  /** Counts unauthenticated refusals; `flush()` writes the window's `request.refused` events now. */
  refusals: RefusalCounter;
  close(): Promise<void>;
}

export async function bootstrap(options: BootstrapOptions = {}): Promise<TestGateway> {
  const dir = tempDir('tnx-gw');
  const demoDirectory = JSON.parse(readFileSync(join(CONFIG_DIR, 'directory.usa.json'), 'utf8')) as {
    partners: PartnerInput[];
  };
  const input: TnxConfigInput = {
    state: 'USA',
    pointOfContact: { unit: 'Test desk', email: 'desk@usa.test.example', phone: '+1 202 555 0199', hours: '24/7' },
    keys: { privateJwksPath: '../keys/dev/usa.private.jwks.json' },
    http: { host: '127.0.0.1', port: 0 },
    metrics: { host: '127.0.0.1', port: 0 },
    redis: { url: await redisUrl(), prefix: options.reuse?.redisPrefix ?? uniquePrefix('gw') },
    store: { kind: 'sqlite', sqlitePath: options.reuse?.sqlitePath ?? join(dir, 'tnx.sqlite') },
    directory: {
      partners: [
        ...demoDirectory.partners.map((p) => {
          const tls = p.state ? options.partnerTls?.[p.state] : undefined;
          return tls ? { ...p, tls } : p;
        }),
        ...(options.extraPartners ?? []),
      ],
    },
    auth: {
      tokens: TOKEN_IDS.map((id) => ({
        id,
        role: id === 'submitter2' ? 'submitter' : id,
        sha256: sha256Hex(secretOf(id)),
      })),
    },
    log: { level: 'silent' },
    ...(options.config ?? {}),
  };
  const config = buildConfig(input, { baseDir: CONFIG_DIR });
  const log = options.log ?? createLogger({ level: 'silent' });
  const ctx = await createContext(config, { clock: options.clock ?? systemClock, log });
  const queueName = options.reuse?.queueName ?? uniquePrefix('q');
  const queue = DeliveryQueue.fromConfig(config, queueName);
  const refusalLimiter = redisRefusalLimiter({
    url: config.redis.url,
    prefix: config.redis.prefix,
    points: config.http.refusalLimit,
    windowSeconds: config.http.refusalWindowSeconds,
  });
  const refusals = new RefusalCounter(
    { events: ctx.events, clock: ctx.clock, log },
    config.http.refusalWindowSeconds * 1000,
  );
  const app = createApp({
    ctx,
    refusalLimiter,
    refusalCounter: refusals,
    queue: options.wrapQueue ? options.wrapQueue(queue) : queue,
    readiness: [{ name: 'redis', check: () => queue.ping() }],
    queueStats: () => queue.stats(Date.now()),
    ...(options.admission ? { admission: options.admission } : {}),
    ...(options.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: options.enqueueTimeoutMs } : {}),
  });
  const server = await listen(app, config);
  const metricsServer = await listenMetrics({ ctx, queueStats: () => queue.stats(Date.now()) });
  return {
    config,
    ctx,
    queue,
    app,
    server,
    url: server.url,
    metricsUrl: metricsServer.url,
    dir,
    queueName,
    refusals,
    async close() {
      await server.close();
      await metricsServer.close();
      await refusals.close();
      await refusalLimiter.close();
      await queue.close();
      await ctx.close();
    },
  };
}

/** A partner gateway's sealing side (keys/dev + config/<state>.json), to post real envelopes to us. */
export interface PartnerSealer {
  state: string;
  seal(message: TnxMessage, clock?: Clock): Promise<{ jwe: string; jti: string; digest: string }>;
  /** Verify a receipt from our gateway (USA) as this partner would. */
  verifyReceipt(jws: string, expected: { messageId: string; digest: string }): Promise<Receipt>;
}

export async function partnerSealer(state: 'THA' | 'GBR' | 'FRA' = 'THA'): Promise<PartnerSealer> {
  const cfg = loadConfigFile(join(CONFIG_DIR, `${state.toLowerCase()}.json`), {});
  const keys = await KeyRing.fromFile(cfg.keys.privateJwksPath, { allowInsecureMode: true });
  const directory = new Directory(cfg);
  return {
    state,
    seal: (message, clock = systemClock) => seal(message, 'USA', { keys, directory, state, clock }),
    verifyReceipt: (jws, expected) => verifyReceipt(jws, { partner: 'USA', ...expected }, { directory, state }),
  };
}
