/**
 * Delivery test fixture: a sending gateway context (USA) with a real SQLite store, real keys and the
 * real audit subscriber, and a small receiving gateway (GBR) on 127.0.0.1:0 that opens each JWE with
 * the real envelope `open` and answers with a real `signReceipt` — or, when told, with an error, a
 * tampered receipt, or a receipt for other bytes. Redis is the harness's real redis-server.
 */
import { randomUUID } from 'node:crypto';
import { until } from '../harness/poll.js';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import { buildConfig } from '../../src/config/load.js';
import type { TnxConfig, TnxConfigInput } from '../../src/config/schema.js';
import { Directory } from '../../src/domain/directory/directory.js';
import { createContext, type RunningContext } from '../../src/runtime/create-context.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { KeyRing } from '../../src/domain/keys/keyring.js';
import { createLogger } from '../../src/core/logger.js';
import { digestOf } from '../../src/domain/protocol/envelope/headers.js';
import { open } from '../../src/domain/protocol/envelope/open.js';
import { signReceipt } from '../../src/domain/protocol/envelope/receipt.js';
import type { TravelNotification } from '../../src/domain/protocol/types.js';
import type { OutboundRecord } from '../../src/ports/store/index.js';
import { systemClock } from '../../src/core/clock.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { example } from '../protocol/examples.js';

const POC = { unit: 'Test desk', email: 'desk@example.test', phone: '+1 555 0100', hours: '24/7' };
const HOUR = 3_600_000;

/** What the receiver does with the n-th request (0-based). */
export type Answer =
  | 'ok'
  | 'bad-signature'
  | 'wrong-digest'
  | 'hang'
  | { status: number; headers?: Record<string, string>; body?: string; contentType?: string };

export interface Receiver {
  url: string;
  port: number;
  /** Raw bodies received, in order. */
  bodies: string[];
  /** JSON alert webhook bodies received on /alerts. */
  alerts: Record<string, unknown>[];
  /** Decide the answer per request; default always 'ok'. */
  answer: (n: number) => Answer;
  /** Order in which message ids (jti → notificationId) were opened. */
  opened: string[];
  /** Awaited before answering each request (hold requests open). */
  before: () => Promise<void>;
  /** Requests being answered now, and the most seen at once. */
  inFlight: number;
  peak: number;
  close(): Promise<void>;
}

interface Keys {
  usaPriv: unknown;
  gbrPriv: unknown;
  usaPub: { keys: Record<string, unknown>[] };
  gbrPub: { keys: Record<string, unknown>[] };
  otherGbr: KeyRing;
}

let keysOnce: Promise<Keys> | null = null;
/** Key sets are generated once per run (real keys, not committed). */
export function testKeys(): Promise<Keys> {
  keysOnce ??= (async () => {
    const usaPriv = await generateKeySet('USA', systemClock);
    const gbrPriv = await generateKeySet('GBR', systemClock);
    const usaPub = (await KeyRing.fromJwks(usaPriv)).publicJwks() as unknown as { keys: Record<string, unknown>[] };
    const gbrPub = (await KeyRing.fromJwks(gbrPriv)).publicJwks() as unknown as { keys: Record<string, unknown>[] };
    // Same state, keys nobody pinned: receipts signed with them must not verify.
    const otherGbr = await KeyRing.fromJwks(await generateKeySet('GBR', systemClock));
    return { usaPriv, gbrPriv, usaPub, gbrPub, otherGbr };
  })();
  return keysOnce;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const k = await testKeys();
  const keys = await KeyRing.fromJwks(k.gbrPriv);
  const directory = new Directory({ directory: { partners: [{ state: 'USA', jwks: k.usaPub } as never] } });
  const app = express();
  const r: Receiver = {
    url: '',
    port: 0,
    bodies: [],
    alerts: [],
    opened: [],
    answer: () => 'ok',
    before: async () => undefined,
    inFlight: 0,
    peak: 0,
    close: async () => undefined,
  };
  app.post('/alerts', express.json(), (req, res) => {
    r.alerts.push(req.body as Record<string, unknown>);
    res.status(204).end();
  });
  app.post('/tnx/v1/messages', express.text({ type: 'application/jose', limit: '1mb' }), async (req, res) => {
    const n = r.bodies.length;
    const jwe = req.body as string;
    r.bodies.push(jwe);
    r.inFlight += 1;
    r.peak = Math.max(r.peak, r.inFlight);
    res.on('close', () => {
      r.inFlight -= 1;
    });
    await r.before();
    const a = r.answer(n);
    if (a === 'hang') return; // never answers: the sender's timeout fires
    if (typeof a === 'object') {
      res
        .status(a.status)
        .set(a.headers ?? {})
        .type(a.contentType ?? 'application/problem+json')
        .send(a.body ?? '{"code":"test_refusal"}');
      return;
    }
    try {
      const opened = await open(jwe, {
        keys,
        directory,
        state: 'GBR',
        clock: systemClock,
        maxMessageBytes: 262144,
        clockSkewSeconds: 300,
        maxMessageAgeSeconds: 1209600,
      });
      r.opened.push(opened.claims.tnx.notificationId);
      const input = {
        messageId: opened.claims.jti,
        digest: a === 'wrong-digest' ? digestOf(`${jwe}x`) : opened.digest,
        receivedAt: new Date().toISOString(),
        sender: opened.sender,
      };
      const jws = await signReceipt(input, {
        keys: a === 'bad-signature' ? k.otherGbr : keys,
        state: 'GBR',
        clock: systemClock,
      });
      res.status(200).type('application/jwt').send(jws);
    } catch (err) {
      res
        .status(400)
        .type('application/problem+json')
        .send(JSON.stringify({ code: (err as { code?: string }).code ?? 'error' }));
    }
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  r.port = typeof addr === 'object' && addr ? addr.port : 0;
  r.url = `http://127.0.0.1:${r.port}`;
  r.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

export interface Sender {
  ctx: RunningContext;
  config: TnxConfig;
  /** Log lines as parsed JSON. */
  logs: Record<string, unknown>[];
  queueName: string;
}

export interface SenderOptions {
  /** Port of the receiving gateway (it may not be listening yet). */
  port: number;
  delivery?: Partial<TnxConfig['delivery']>;
  limits?: { concurrency: number; ratePerSecond: number };
  endpoint?: string | null;
}

export async function startSender(o: SenderOptions): Promise<Sender> {
  const k = await testKeys();
  const dir = tempDir('tnx-delivery');
  const keyPath = join(dir, 'usa.private.jwks.json');
  writeFileSync(keyPath, JSON.stringify(k.usaPriv), { mode: 0o600 });
  const input: TnxConfigInput = {
    state: 'USA',
    pointOfContact: POC,
    keys: { privateJwksPath: keyPath },
    redis: { url: await redisUrl(), prefix: uniquePrefix('dlv') },
    store: { kind: 'sqlite', sqlitePath: join(dir, 'usa.sqlite') },
    directory: {
      partners: [
        {
          state: 'GBR',
          name: 'United Kingdom (test)',
          endpoint: o.endpoint === undefined ? `http://127.0.0.1:${o.port}/tnx/v1/messages` : o.endpoint,
          jwks: k.gbrPub,
          pointOfContact: POC,
          ...(o.limits ? { limits: o.limits } : {}),
        },
      ],
    },
    delivery: { backoffBaseMs: 20, backoffCapMs: 100, requestTimeoutMs: 1000, workerConcurrency: 4, ...o.delivery },
    log: { level: 'info' },
  };
  const config = buildConfig(input, { baseDir: dir });
  const logs: Record<string, unknown>[] = [];
  const log = createLogger(
    { level: 'info' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const ctx = await createContext(config, { log });
  return { ctx, config, logs, queueName: uniquePrefix('q') };
}

/** A valid TravelNotification USA → GBR departing at `departureAt` (epoch ms, whole seconds). */
export function notification(departureAt: number, origin = 'USA', destination = 'GBR'): TravelNotification {
  const n = example('travel-notification-late') as unknown as TravelNotification;
  const dep = new Date(Math.floor(departureAt / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const reported = departureAt - 3 * 24 * HOUR;
  n.notificationId = randomUUID();
  n.origin = origin;
  n.destination = destination;
  n.travel.departureAt = dep;
  n.travel.legs = [{ ...n.travel.legs[0]!, scheduledDeparture: dep }];
  delete n.travel.legs[0]!.scheduledArrival;
  n.travel.destinationCountries = [destination];
  n.report = { reportedAt: new Date(reported).toISOString().replace(/\.\d{3}Z$/, 'Z'), daysOfNotice: 3, late: false };
  return n;
}

/** Store a notification as the submission service does (state `accepted`). */
export async function storeNotification(
  ctx: RunningContext,
  departureAt: number,
  partner = 'GBR',
): Promise<OutboundRecord> {
  const message = notification(departureAt, ctx.config.state, partner);
  const { record } = await ctx.store.outbound.insert({
    id: message.notificationId,
    messageType: 'TravelNotification',
    notificationId: message.notificationId,
    partner,
    state: 'accepted',
    submittedBy: 'test-submitter',
    idempotencyKey: null,
    requestHash: 'test',
    message,
    source: message.source.kind,
    departureAt: Date.parse(message.travel.departureAt),
    createdAt: ctx.clock.now(),
  });
  return record;
}

/** Poll until `fn` answers (the suite's one poll helper). */
export function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 8000,
): Promise<T> {
  return until(what, fn, timeoutMs, 20);
}

/** Wait until the record reaches a final state and return it. */
export function settled(ctx: RunningContext, id: string, timeoutMs?: number): Promise<OutboundRecord> {
  return waitFor(
    `record ${id} to settle`,
    async () => {
      const r = await ctx.store.outbound.get(id);
      return r && ['delivered', 'failed', 'cancelled'].includes(r.state) ? r : null;
    },
    timeoutMs,
  );
}

export const HOURS = HOUR;
