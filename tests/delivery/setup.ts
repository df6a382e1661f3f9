/** One sending gateway + worker + receiving gateway per test, torn down in reverse order. */
import { DeliveryQueue } from '../../src/adapters/queue-bullmq/delivery-queue.js';
import { BullWebhooks } from '../../src/adapters/queue-bullmq/webhooks.js';
import {
  startDeliveryWorker,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
} from '../../src/features/delivery/worker.js';
import { startReceiver, startSender, type Receiver, type Sender, type SenderOptions } from './fixture.js';

export interface Rig extends Sender {
  receiver: Receiver | null;
  queue: DeliveryQueue;
  worker: DeliveryWorker;
  teardown(): Promise<void>;
}

export async function rig(
  o: Partial<SenderOptions> & { noReceiver?: boolean; worker?: Omit<DeliveryWorkerOptions, 'queue'> } = {},
): Promise<Rig> {
  const receiver = o.noReceiver ? null : await startReceiver();
  const port = o.port ?? receiver?.port ?? 9;
  const sender = await startSender({ ...o, port });
  const queue = new DeliveryQueue({
    url: sender.config.redis.url,
    prefix: sender.config.redis.prefix,
    name: sender.queueName,
  });
  const webhooks = BullWebhooks.fromConfig(sender.config);
  const worker = startDeliveryWorker(sender.ctx, {
    queue,
    webhooks,
    random: () => 0.5,
    atRiskScanIntervalMs: 0,
    depthIntervalMs: 0,
    shutdownTimeoutMs: 3000,
    ...o.worker,
  });
  return {
    ...sender,
    receiver,
    queue,
    worker,
    async teardown() {
      await worker.close();
      await webhooks.close();
      await queue.close();
      await sender.ctx.close();
      await receiver?.close();
    },
  };
}
