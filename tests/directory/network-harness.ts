/**
 * A small network on loopback for the network-directory tests: a coordinator serving its signed
 * directory over real HTTP (ETag, 304, or 503 while "down"), states with keys made in the test, whole
 * gateways (src/runtime/run-gateway.ts) following the directory with a short refresh interval, and an
 * alert sink — a real HTTP server every gateway's alert webhook posts to.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { buildConfig } from '../../src/config/load.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import type { DirectoryEntry, NetworkDirectory } from '../../src/domain/directory/network.js';
import { generateKeySet } from '../../src/domain/keys/generate.js';
import { publicJwksOf, writePrivateJwksFile } from '../../src/domain/keys/files.js';
import type { Jwks } from '../../src/domain/keys/jwk.js';
import { sha256Hex } from '../../src/http/auth.js';
import { startGateway, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { freePort, redisUrl, uniquePrefix } from '../harness/redis.js';
import { CONFIG_DIR } from '../gateway/bootstrap.js';
import { coordinator, POC, sign, type Coordinator } from './fixtures.js';

export const HOUR = 3_600_000;

/** The coordinator's publication point: any static server with a strong ETag will do (SPEC §14.4). */
export class StaticCoordinator {
  body = '';
  up = true;
  fetches = 0;
  #server!: Server;
  url = '';
  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.fetches += 1;
      if (!this.up) {
        res.writeHead(503).end();
        return;
      }
      const etag = `"${createHash('sha256').update(this.body).digest('base64url')}"`;
      if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
      else res.writeHead(200, { 'content-type': 'application/jose', etag }).end(this.body);
    });
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/directory.jws`;
  }
  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

/** Receives every gateway's alert webhook posts. */
export class AlertSink {
  readonly alerts: Record<string, unknown>[] = [];
  #server!: Server;
  url = '';
  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.alerts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
        } catch {
          // not an alert: ignored
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/alerts`;
  }
  find(pred: (a: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
    return this.alerts.find(pred);
  }
  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

export const TOKENS = [
  { id: 'nat', role: 'submitter', sha256: sha256Hex('nat-secret') },
  { id: 'aud', role: 'auditor', sha256: sha256Hex('aud-secret') },
] as const;

export interface StateHandle {
  state: string;
  port: number;
  keysPath: string;
  keys: Jwks;
  /** Extra directory entry members (tls). */
  extra?: Partial<DirectoryEntry>;
  /** Directory key members added per kid (tnx_not_before, tnx_retired…). */
  keyMarks: Record<string, Record<string, string>>;
  gateway: RunningGateway | null;
  prefix: string;
  sqlite: string;
  statePath: string;
}

export class Network {
  c!: Coordinator;
  coord = new StaticCoordinator();
  sink = new AlertSink();
  states = new Map<string, StateHandle>();
  serial = 0;
  anchors = '';
  log = createLogger({ level: 'silent' });

  constructor(
    readonly dir: string,
    readonly intervalSeconds = 1,
  ) {}

  async start(): Promise<void> {
    this.c = await coordinator();
    this.anchors = join(this.dir, 'coordinator.public.jwks.json');
    writeFileSync(this.anchors, JSON.stringify(this.c.public));
    await this.coord.start();
    await this.sink.start();
  }

  async addState(state: string): Promise<StateHandle> {
    const keys = await generateKeySet(state, systemClock);
    const keysPath = join(this.dir, `${state}.private.jwks.json`);
    writePrivateJwksFile(keysPath, keys, { overwrite: true });
    const h: StateHandle = {
      state,
      port: await freePort(),
      keysPath,
      keys,
      keyMarks: {},
      gateway: null,
      prefix: uniquePrefix(state),
      sqlite: join(this.dir, `${state}.sqlite`),
      statePath: join(this.dir, `${state}.directory.jws`),
    };
    this.states.set(state, h);
    return h;
  }

  entry(h: StateHandle): DirectoryEntry {
    const pub = publicJwksOf(h.keys).keys.map((k) => ({ ...k, ...(h.keyMarks[k.kid] ?? {}) }));
    return {
      state: h.state,
      name: `State ${h.state}`,
      endpoint: `http://127.0.0.1:${h.port}/tnx/v1/messages`,
      jwks: { keys: pub } as DirectoryEntry['jwks'],
      pointOfContact: { ...POC },
      accepts: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'],
      ...(h.extra ?? {}),
    };
  }

  /** Sign and publish the next issue listing `members` (default: every state known). */
  async publish(
    members: readonly string[] = [...this.states.keys()],
    times: { nextUpdateMs?: number } = {},
  ): Promise<number> {
    const now = Date.now();
    this.serial += 1;
    const doc: NetworkDirectory = {
      v: '1',
      network: 'tnx-test',
      serial: this.serial,
      issuedAt: new Date(now - 1000).toISOString(),
      nextUpdate: new Date(now + (times.nextUpdateMs ?? HOUR)).toISOString(),
      expiresAt: new Date(now + 24 * HOUR).toISOString(),
      states: members.map((s) => this.entry(this.states.get(s)!)),
    };
    this.coord.body = await sign(doc, this.c);
    return this.serial;
  }

  async startGateway(state: string, extra: { http?: Record<string, unknown> } = {}): Promise<RunningGateway> {
    const h = this.states.get(state)!;
    const config = buildConfig(
      {
        state,
        pointOfContact: POC,
        keys: { privateJwksPath: h.keysPath },
        http: { host: '127.0.0.1', port: h.port, ...(extra.http ?? {}) },
        metrics: { port: 0 },
        redis: { url: await redisUrl(), prefix: h.prefix },
        store: { kind: 'sqlite', sqlitePath: h.sqlite },
        directory: {
          network: {
            url: this.coord.url,
            name: 'tnx-test',
            trustAnchorsPath: this.anchors,
            statePath: h.statePath,
            intervalSeconds: this.intervalSeconds,
            timeoutSeconds: 2,
          },
        },
        auth: { tokens: TOKENS.map((t) => ({ ...t })) },
        delivery: { backoffBaseMs: 50, backoffCapMs: 300, alertWebhookUrl: this.sink.url },
        audit: { checkpointIntervalSeconds: 3600 },
        log: { level: 'silent' },
      },
      { baseDir: CONFIG_DIR },
    );
    h.gateway = await startGateway(config, {
      log: this.log,
      outboxIntervalMs: 500,
      sealer: false,
      worker: { atRiskScanIntervalMs: 0, depthIntervalMs: 0 },
    });
    return h.gateway;
  }

  async stopGateway(state: string): Promise<void> {
    const h = this.states.get(state)!;
    const g = h.gateway;
    h.gateway = null;
    await g?.close();
  }

  gateway(state: string): RunningGateway {
    const g = this.states.get(state)?.gateway;
    if (!g) throw new Error(`${state} is not running`);
    return g;
  }

  /** Submit a notification from → to; returns the outbound record id. */
  async send(from: string, to: string): Promise<string> {
    const g = this.gateway(from);
    const r = await request(g.url!)
      .post('/api/v1/notifications')
      .set('Authorization', 'Bearer nat-secret')
      .send(sampleNotification({ origin: from, destination: to, departureAt: Date.now() + 48 * HOUR }));
    if (r.status !== 202) throw new Error(`${from}→${to}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return String((r.body as { id: string }).id);
  }

  async stop(): Promise<void> {
    for (const h of [...this.states.values()].reverse()) await h.gateway?.close().catch(() => undefined);
    await this.coord.stop();
    await this.sink.stop();
  }
}
