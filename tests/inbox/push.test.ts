/**
 * Push to the national system: a notice (references only) per new inbound message, POSTed to
 * inbox.webhookUrl through BullMQ with retries; duplicates push nothing new.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { buildConfig } from '../../src/config/load.js';
import type { PartnerInput } from '../../src/config/schema.js';
import { startGateway, type RunningGateway } from '../../src/runtime/run-gateway.js';
import { createLogger } from '../../src/core/logger.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { until } from '../harness/poll.js';
import { CONFIG_DIR, inboundNotification, partnerSealer } from '../gateway/bootstrap.js';

describe('inbox: push to the national system', () => {
  let receiver: Server;
  let receiverUrl: string;
  const bodies: string[] = [];
  let answers: number[] = [];
  let gw: RunningGateway;

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString());
        res.statusCode = answers.shift() ?? 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tnx-inbox`;
    const directory = JSON.parse(readFileSync(join(CONFIG_DIR, 'directory.usa.json'), 'utf8')) as {
      partners: PartnerInput[];
    };
    const config = buildConfig(
      {
        state: 'USA',
        pointOfContact: { unit: 'Desk', email: 'desk@usa.test.example', phone: '+1 202 555 0199', hours: '24/7' },
        keys: { privateJwksPath: '../keys/dev/usa.private.jwks.json' },
        http: { host: '127.0.0.1', port: 0 },
        metrics: { port: 0 },
        redis: { url: await redisUrl(), prefix: uniquePrefix('push') },
        store: { kind: 'sqlite', sqlitePath: join(tempDir('tnx-push'), 'usa.sqlite') },
        directory,
        delivery: { backoffBaseMs: 20, backoffCapMs: 40 },
        inbox: { webhookUrl: receiverUrl },
        log: { level: 'silent' },
      },
      { baseDir: CONFIG_DIR },
    );
    const log = createLogger({ level: 'silent' });
    // startGateway wires the push itself when inbox.webhookUrl is set (as `tnx serve` runs it).
    gw = await startGateway(config, { log });
  });
  after(async () => {
    await gw?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('posts a references-only notice, retrying a 503, and pushes a duplicate no second time', async function () {
    this.timeout(20_000);
    answers = [503];
    const tha = await partnerSealer('THA');
    const n = inboundNotification('THA');
    const { jwe } = await tha.seal(n);
    await request(gw.url!).post('/tnx/v1/messages').set('Content-Type', 'application/jose').send(jwe).expect(200);
    await until('the retried notice', () => bodies.length >= 2);
    assert.equal(bodies.length, 2, 'one failed attempt (503), one success');
    assert.equal(bodies[0], bodies[1], 'the same notice is retried');
    const notice = JSON.parse(bodies[1]!) as Record<string, unknown>;
    const stored = await gw.ctx.store.inbound.list({ iss: 'THA' }, { limit: 1 });
    assert.deepEqual(notice, {
      type: 'tnx.inbound',
      state: 'USA',
      inboundId: stored.items[0]!.id,
      iss: 'THA',
      messageType: 'TravelNotification',
      messageId: n.notificationId,
      notificationId: n.notificationId,
      receivedAt: new Date(stored.items[0]!.receivedAt).toISOString(),
      departureAt: '2026-12-11T04:05:00.000Z',
      href: `/api/v1/inbox/${stored.items[0]!.id}`,
    });
    assert.doesNotMatch(bodies.join(''), /Kuznetsov|P91827364|1971/);

    await request(gw.url!).post('/tnx/v1/messages').set('Content-Type', 'application/jose').send(jwe).expect(200);
    // A sentinel: a second, new message is pushed through the same queue after the duplicate was
    // answered. Had the duplicate been pushed, its notice would sit before or beside the sentinel's.
    const sentinel = await tha.seal(inboundNotification('THA'));
    await request(gw.url!)
      .post('/tnx/v1/messages')
      .set('Content-Type', 'application/jose')
      .send(sentinel.jwe)
      .expect(200);
    await until('the sentinel notice', () => bodies.length >= 3);
    assert.equal(bodies.length, 3, 'a duplicate is not pushed again: only the sentinel followed');
    assert.notEqual(JSON.parse(bodies[2]!).inboundId, JSON.parse(bodies[0]!).inboundId);
  });
});
