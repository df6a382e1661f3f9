/**
 * The scheduled-job runner on a real Redis: two processes (two runners, each its own connection)
 * scheduling the same name get one schedule, and a run slower than the period never overlaps another
 * run, in either process.
 */
import { strict as assert } from 'node:assert';
import { Queue } from 'bullmq';
import { bullConnection } from '../../src/adapters/queue-bullmq/connection.js';
import { BullScheduledJobs } from '../../src/adapters/queue-bullmq/scheduled-jobs.js';
import { createLogger } from '../../src/core/logger.js';
import { redisUrl, uniquePrefix } from '../harness/redis.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scheduled jobs (BullMQ job schedulers)', function () {
  this.timeout(20_000);

  it('one schedule across processes, at most one run at a time cluster-wide', async () => {
    const url = await redisUrl();
    const prefix = uniquePrefix('jobs');
    const log = createLogger({ level: 'silent' });
    const runners = [new BullScheduledJobs({ url, prefix, log }), new BullScheduledJobs({ url, prefix, log })];
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const run = async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await sleep(150); // three periods long
      active -= 1;
      runs += 1;
    };
    try {
      await Promise.all(runners.map((r) => r.schedule('slow', 50, run)));
      const end = Date.now() + 10_000;
      while (runs < 3 && Date.now() < end) await sleep(25);
      assert.ok(runs >= 3, `runs: ${runs}`);
      assert.equal(maxActive, 1, 'runs never overlap');

      const connection = bullConnection(url);
      const queue = new Queue(BullScheduledJobs.queueName('slow'), { connection, prefix });
      const schedulers = await queue.getJobSchedulers();
      await queue.close();
      connection.disconnect();
      assert.deepEqual(
        schedulers.map((s) => s.key),
        ['slow'],
        'one schedule for both processes',
      );
    } finally {
      await Promise.all(runners.map((r) => r.close()));
    }
  });
});
