import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { buildConfig } from '../../src/config/load.js';
import type { PartnerInput, TnxConfigInput } from '../../src/config/schema.js';
import { DeliveryQueue } from '../../src/adapters/queue-bullmq/delivery-queue.js';
import { startDeliveryWorker } from '../../src/features/delivery/worker.js';
import { createContext } from '../../src/runtime/create-context.js';
import { createLogger } from '../../src/core/logger.js';
import { bootstrap, CONFIG_DIR, type TestGateway } from '../gateway/bootstrap.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';
import { tempDir } from '../harness/tmp.js';
import { HOURS, settled, storeNotification } from './fixture.js';

describe('delivery between two real gateways (THA worker → USA inbox)', function () {
  this.timeout(20_000);
  let usa: TestGateway | null = null;
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of closers.reverse()) await c();
    await usa?.close();
  });

  it('delivers to the real inbox; the stored receipt is the inbox receipt; a duplicate gets the same bytes', async () => {
    usa = await bootstrap();
    const base = JSON.parse(readFileSync(join(CONFIG_DIR, 'tha.json'), 'utf8')) as TnxConfigInput & {
      directoryPath?: string;
    };
    const directory = JSON.parse(readFileSync(join(CONFIG_DIR, 'directory.tha.json'), 'utf8')) as {
      partners: PartnerInput[];
    };
    for (const p of directory.partners) if (p.state === 'USA') p.endpoint = `${usa.url}/tnx/v1/messages`;
    delete base.directoryPath;
    const dir = tempDir('tnx-tha');
    const config = buildConfig(
      {
        ...base,
        directory: directory,
        redis: { url: await redisUrl(), prefix: uniquePrefix('tha') },
        store: { kind: 'sqlite', sqlitePath: join(dir, 'tha.sqlite') },
        delivery: { backoffBaseMs: 20, backoffCapMs: 100 },
        log: { level: 'silent' },
      },
      { baseDir: CONFIG_DIR },
    );
    const tha = await createContext(config, {
      log: createLogger({ level: 'silent' }),
      keyRing: { allowInsecureMode: true },
    });
    closers.push(() => tha.close());
    const queue = new DeliveryQueue({ url: config.redis.url, prefix: config.redis.prefix, name: uniquePrefix('q') });
    closers.push(() => queue.close());
    const worker = startDeliveryWorker(tha, { queue, atRiskScanIntervalMs: 0, depthIntervalMs: 0 });
    closers.push(() => worker.close());

    const rec = await storeNotification(tha, Date.now() + 30 * HOURS, 'USA');
    await queue.enqueue(rec);
    const done = await settled(tha, rec.id);
    assert.equal(done.state, 'delivered', `state ${done.state} (${done.lastError})`);
    assert.equal(done.timeliness, 'on_time');

    const inbound = await usa.ctx.store.inbound.getByJti('THA', done.jti!);
    assert.ok(inbound, 'the USA gateway stored the message');
    assert.equal(inbound.receiptJws, done.receiptJws, 'we keep exactly the receipt the inbox issued');
    assert.equal(inbound.receivedAt, done.deliveredAt, 'deliveredAt = the receipt receivedAt');

    // At-least-once: the same bytes again (a retry after a lost answer) → the byte-identical receipt.
    const again = await request(`${usa.url}/tnx/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: done.jwe!,
    });
    assert.equal(again.statusCode, 200);
    assert.equal(await again.body.text(), done.receiptJws);
    const page = await usa.ctx.store.inbound.list({ iss: 'THA' }, { limit: 10 });
    assert.equal(page.items.length, 1, 'one stored message');
  });
});
