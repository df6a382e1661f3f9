/**
 * Two whole gateways started the way `tnx serve` starts one (src/runtime/run-gateway.ts) on
 * loopback: a notification travels USA → THA, the receipt comes back and is timed against departure,
 * the THA point of contact reports back, and the follow-up is recorded against the USA notification.
 */
import assert from 'node:assert/strict';
import { until } from '../harness/poll.js';
import { join } from 'node:path';
import request from 'supertest';
import { buildConfig } from '../../src/config/load.js';
import type { PartnerInput, TnxConfigInput } from '../../src/config/schema.js';
import { sha256Hex } from '../../src/http/auth.js';
import { startGateway, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { createLogger } from '../../src/core/logger.js';
import { freePort, redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { CONFIG_DIR, example } from './bootstrap.js';
import { readFileSync } from 'node:fs';

async function configFor(state: 'USA' | 'THA', ports: Record<string, number>, dir: string) {
  const file = JSON.parse(readFileSync(join(CONFIG_DIR, `${state.toLowerCase()}.json`), 'utf8')) as TnxConfigInput & {
    directoryPath?: string;
  };
  const directory = JSON.parse(readFileSync(join(CONFIG_DIR, file.directoryPath!), 'utf8')) as {
    partners: PartnerInput[];
  };
  const partners = directory.partners
    .filter((p) => p.state === 'USA' || p.state === 'THA')
    .map((p) => ({ ...p, endpoint: `http://127.0.0.1:${ports[p.state!]}/tnx/v1/messages` }));
  const { directoryPath: _ignored, ...rest } = file;
  void _ignored;
  return buildConfig(
    {
      ...rest,
      http: { host: '127.0.0.1', port: ports[state]! },
      metrics: { port: 0 },
      redis: { url: await redisUrl(), prefix: uniquePrefix(state) },
      store: { kind: 'sqlite', sqlitePath: join(dir, `${state}.sqlite`) },
      directory: { partners },
      auth: {
        tokens: [
          { id: 'nat', role: 'submitter', sha256: sha256Hex('nat-secret') },
          { id: 'desk', role: 'poc', sha256: sha256Hex('desk-secret') },
          { id: 'aud', role: 'auditor', sha256: sha256Hex('aud-secret') },
        ],
      },
      delivery: { backoffBaseMs: 50, backoffCapMs: 200 },
      log: { level: 'silent' },
    },
    { baseDir: CONFIG_DIR },
  );
}

describe('gateway: two whole gateways end to end (run-gateway)', () => {
  let usa: RunningGateway;
  let tha: RunningGateway;
  before(async function () {
    this.timeout(30_000);
    const dir = tempDir('tnx-two');
    const ports = { USA: await freePort(), THA: await freePort() };
    const log = createLogger({ level: 'silent' });
    tha = await startGateway(await configFor('THA', ports, dir), { log, outboxIntervalMs: 500 });
    usa = await startGateway(await configFor('USA', ports, dir), { log, outboxIntervalMs: 500 });
  });
  after(async () => {
    await usa?.close();
    await tha?.close();
  });

  it('delivers, records the receipt and lead time, and carries the follow-up back', async function () {
    this.timeout(30_000);
    const n = example('travel-notification.json');
    const sub = await request(usa.url!)
      .post('/api/v1/notifications')
      .set('Authorization', 'Bearer nat-secret')
      .send(n)
      .expect(202);
    const view = await until('delivery', async () => {
      const r = await request(usa.url!)
        .get(sub.body.statusUrl as string)
        .set('Authorization', 'Bearer aud-secret')
        .expect(200);
      return r.body.state === 'delivered' ? r.body : null;
    });
    assert.equal(view.attempts.length, 1);
    assert.equal(view.attempts[0].httpStatus, 200);
    assert.match(view.receipt.digest as string, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(view.leadTimeSeconds > 0);
    assert.equal(view.timeliness, 'on_time');

    const inbox = await request(tha.url!).get('/api/v1/inbox').set('Authorization', 'Bearer desk-secret').expect(200);
    const received = inbox.body.items.find((i: { notificationId: string }) => i.notificationId === n.notificationId);
    assert.ok(received, 'THA has the notification');
    const fu = await request(tha.url!)
      .post(`/api/v1/inbox/${received.id as string}/follow-ups`)
      .set('Authorization', 'Bearer desk-secret')
      .send({ action: 'monitored' })
      .expect(202);
    await until(
      'follow-up delivered',
      async () => (await tha.ctx.store.outbound.get(fu.body.id as string))?.state === 'delivered',
    );
    const events = await until('follow-up recorded at USA', async () => {
      const page = await usa.ctx.store.audit.query(
        { messageId: n.notificationId as string, action: 'followup.received' },
        { limit: 5 },
      );
      return page.items.length ? page.items : null;
    });
    assert.equal(events[0]!.partner, 'THA');
  });

  it('close() is idempotent and stops the HTTP side', async () => {
    const url = tha.url!;
    await tha.close();
    await tha.close();
    await assert.rejects(request(url).get('/healthz'));
  });
});
