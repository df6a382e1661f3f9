/**
 * Whole gateways (src/runtime/run-gateway.ts) following one coordinator's signed directory, served by a
 * static HTTP server on loopback: partners come from the directory only, /readyz and /metrics show it,
 * it is republished on the wire, the admin sees it, local edits are refused, and a gateway starts from
 * its last good copy while the coordinator is down.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { buildConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/core/logger.js';
import type { Jwks } from '../../src/domain/keys/jwk.js';
import type { NetworkDirectory } from '../../src/domain/directory/network.js';
import { sha256Hex } from '../../src/http/auth.js';
import { startGateway, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { until } from '../harness/poll.js';
import { freePort, redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { CONFIG_DIR, example, ROOT } from '../gateway/bootstrap.js';
import { coordinator, entry, POC, sign, DAY, type Coordinator } from './fixtures.js';

const devKeys = (s: string) => JSON.parse(readFileSync(join(ROOT, `keys/dev/${s}.private.jwks.json`), 'utf8')) as Jwks;

function issue(serial: number, ports: Record<string, number>): NetworkDirectory {
  const now = Date.now();
  return {
    v: '1',
    network: 'tnx-test',
    serial,
    issuedAt: new Date(now - 60_000).toISOString(),
    nextUpdate: new Date(now + DAY).toISOString(),
    expiresAt: new Date(now + 7 * DAY).toISOString(),
    states: Object.entries(ports).map(([s, port]) => entry(s, devKeys(s.toLowerCase()), port)),
  };
}

class StaticCoordinator {
  body = '';
  up = true;
  server!: Server;
  url = '';
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (!this.up) {
        res.writeHead(503).end();
        return;
      }
      const etag = `"${createHash('sha256').update(this.body).digest('base64url')}"`;
      if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
      else res.writeHead(200, { 'content-type': 'application/jose', etag }).end(this.body);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/directory.jws`;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const TOKENS = [
  { id: 'nat', role: 'submitter', sha256: sha256Hex('nat-secret') },
  { id: 'aud', role: 'auditor', sha256: sha256Hex('aud-secret') },
  { id: 'adm', role: 'admin', sha256: sha256Hex('adm-secret') },
] as const;

describe('directory: gateways following a signed network directory', () => {
  let c: Coordinator;
  let coord: StaticCoordinator;
  let dir: string;
  let anchors: string;
  let ports: Record<string, number>;
  const running: RunningGateway[] = [];
  const log = createLogger({ level: 'silent' });

  async function gateway(state: 'USA' | 'THA', statePath: string, port = ports[state]!): Promise<RunningGateway> {
    const config = buildConfig(
      {
        state,
        pointOfContact: POC,
        keys: { privateJwksPath: join(ROOT, `keys/dev/${state.toLowerCase()}.private.jwks.json`) },
        http: { host: '127.0.0.1', port },
        metrics: { port: 0 },
        redis: { url: await redisUrl(), prefix: uniquePrefix(state) },
        store: { kind: 'sqlite', sqlitePath: join(dir, `${state}-${running.length}.sqlite`) },
        directory: {
          network: { url: coord.url, name: 'tnx-test', trustAnchorsPath: anchors, statePath, intervalSeconds: 30 },
        },
        auth: { tokens: TOKENS.map((t) => ({ ...t })) },
        delivery: { backoffBaseMs: 50, backoffCapMs: 200 },
        log: { level: 'silent' },
      },
      { baseDir: CONFIG_DIR },
    );
    const g = await startGateway(config, { log, outboxIntervalMs: 500 });
    running.push(g);
    return g;
  }

  before(async function () {
    this.timeout(30_000);
    dir = tempDir('tnx-netgw');
    c = await coordinator();
    anchors = join(dir, 'coordinator.public.jwks.json');
    writeFileSync(anchors, JSON.stringify(c.public));
    coord = new StaticCoordinator();
    await coord.start();
    ports = { USA: await freePort(), THA: await freePort() };
    coord.body = await sign(issue(1, ports), c);
  });
  after(async () => {
    for (const g of running.reverse()) await g.close();
    await coord?.stop();
  });

  it('delivers between two gateways whose only partner list is the signed directory', async function () {
    this.timeout(30_000);
    const tha = await gateway('THA', join(dir, 'tha.jws'));
    const usa = await gateway('USA', join(dir, 'usa.jws'));
    assert.equal(usa.ctx.directory.partner('THA')?.endpoint, `http://127.0.0.1:${ports.THA}/tnx/v1/messages`);
    const ready = await request(usa.url!).get('/readyz').expect(200);
    assert.equal(ready.body.directory.serial, 1);
    assert.equal(ready.body.directory.healthy, true);
    assert.equal(ready.body.checks.directory, 'ok');

    const n = example('travel-notification.json');
    const sub = await request(usa.url!)
      .post('/api/v1/notifications')
      .set('Authorization', 'Bearer nat-secret')
      .send(n)
      .expect(202);
    await until('delivered to THA', async () => {
      const r = await request(usa.url!)
        .get(sub.body.statusUrl as string)
        .set('Authorization', 'Bearer aud-secret');
      return r.body.state === 'delivered';
    });
    const metrics = await request(usa.metricsUrl!).get('/metrics').expect(200);
    assert.match(metrics.text, /^tnx_directory_serial 1$/m);
    assert.match(metrics.text, /^tnx_directory_stale 0$/m);
    assert.match(metrics.text, /^tnx_directory_expired 0$/m);
    void tha;
  });

  it('republishes the signed document on the wire with a strong ETag', async () => {
    const usa = running.find((g) => g.ctx.config.state === 'USA')!;
    const r = await request(usa.url!).get('/tnx/v1/directory').expect(200);
    assert.match(String(r.headers['content-type']), /^application\/jose/);
    assert.equal(r.text, coord.body);
    const etag = String(r.headers.etag);
    await request(usa.url!).get('/tnx/v1/directory').set('If-None-Match', etag).expect(304);
  });

  it('shows the admin the status and document, and refuses local partner edits', async () => {
    const usa = running.find((g) => g.ctx.config.state === 'USA')!;
    const r = await request(usa.url!)
      .get('/api/v1/directory/network')
      .set('Authorization', 'Bearer adm-secret')
      .expect(200);
    assert.equal(r.body.status.serial, 1);
    assert.deepEqual(
      (r.body.document.states as { state: string }[]).map((s) => s.state),
      ['USA', 'THA'],
    );
    await request(usa.url!).get('/api/v1/directory/network').set('Authorization', 'Bearer aud-secret').expect(403);
    const patch = await request(usa.url!)
      .patch('/api/v1/directory/THA')
      .set('Authorization', 'Bearer adm-secret')
      .send({ accepts: ['TravelNotification'] })
      .expect(409);
    assert.equal(patch.body.code, 'conflict');
  });

  it('starts from the last good copy while the coordinator is down; not ready with none', async function () {
    this.timeout(30_000);
    coord.up = false;
    try {
      const fromDisk = await gateway('USA', join(dir, 'usa.jws'), 0);
      const s = fromDisk.ctx.network!.status();
      assert.equal(s.source, 'disk');
      assert.equal(s.serial, 1);
      assert.equal(s.lastError?.code, 'directory_unavailable');
      assert.ok(fromDisk.ctx.directory.partner('THA'));
      await fromDisk.close();
      const none = await gateway('USA', join(dir, 'never.jws'), 0);
      const r = await request(none.url!).get('/readyz').expect(503);
      assert.equal(r.body.checks.directory, 'failed');
      assert.equal(r.body.directory.loaded, false);
      await none.close();
    } finally {
      coord.up = true;
    }
  });
});
