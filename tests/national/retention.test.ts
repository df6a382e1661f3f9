/**
 * The retention job on a real Redis (BullMQ job scheduler) and a real SQLite file: records past their
 * registration end + retention are ended and shredded (their travel reports too), overdue reviews are
 * flagged, both audited; statistics are unchanged by the shredding; a second pass changes nothing; two
 * processes starting the job share one schedule.
 */
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { bullConnection } from '../../src/adapters/queue-bullmq/connection.js';
import { BullScheduledJobs } from '../../src/adapters/queue-bullmq/scheduled-jobs.js';
import { createLogger } from '../../src/core/logger.js';
import { createRegistrant } from '../../src/features/registry/registry-service.js';
import {
  runRetentionPass,
  startRetentionJob,
  type RetentionResult,
} from '../../src/features/registry/retention-job.js';
import { createTravelReport } from '../../src/features/travel-reports/travel-report-service.js';
import { ManualClock } from '../../src/core/clock.js';
import { uniquePrefix } from '../harness/redis.js';
import { DAY, NOW } from '../travel-reports/fixtures.js';
import { nationalGateway, type NationalGateway } from './setup.js';
import { registrantBody, travelBody } from './samples.js';

describe('registry retention job', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  const clock = new ManualClock(NOW);
  const staff = { id: 'registry', role: 'registry' as const };
  before(async () => {
    gw = await nationalGateway({ clock });
  });
  after(async () => gw.close());

  it('shreds expired records, flags overdue reviews, audits both, keeps statistics, and is idempotent', async () => {
    const n = gw.national;
    const expired = (
      await createRegistrant(n, staff, registrantBody({ registrationEnd: '2024-06-30', reviewDue: '2027-01-01' }))
    ).id;
    const recent = (
      await createRegistrant(n, staff, registrantBody({ registrationEnd: '2026-06-30', reviewDue: '2027-01-01' }))
    ).id;
    const overdue = (await createRegistrant(n, staff, registrantBody({ reviewDue: '2026-11-01' }))).id;
    const current = (await createRegistrant(n, staff, registrantBody({ reviewDue: '2027-03-01' }))).id;
    const report = await createTravelReport(n, staff, expired, { travel: travelBody(NOW + 30 * DAY, NOW) });
    const q = { from: NOW - DAY, to: NOW + DAY, onTimeThresholdSeconds: 86_400 };
    const statsBefore = await gw.ctx.store.stats.sent(q);

    const name = uniquePrefix('retention');
    let firstPass!: (r: RetentionResult) => void;
    const passed = new Promise<RetentionResult>((resolve) => (firstPass = resolve));
    // Two processes: each its own scheduled-job runner (and Redis connection) on the same prefix.
    const runner = () =>
      new BullScheduledJobs({
        url: gw.config.redis.url,
        prefix: gw.config.redis.prefix,
        log: createLogger({ level: 'silent' }),
      });
    const [jobsA, jobsB] = [runner(), runner()];
    const job = await startRetentionJob(gw.ctx, jobsA, {
      name,
      intervalMs: 60_000,
      onPass: (r) => firstPass(r),
    });
    // Either process's worker may run the one scheduled pass: both report to the same listener.
    const second = await startRetentionJob(gw.ctx, jobsB, {
      name,
      intervalMs: 60_000,
      onPass: (r) => firstPass(r),
    });
    try {
      const pass = await passed;
      assert.deepEqual(pass.shredded, [expired]);
      assert.deepEqual(pass.flagged, [overdue]);

      const tomb = (await gw.ctx.store.registry.get(expired))!;
      assert.deepEqual([tomb.status, tomb.dek, tomb.fields, tomb.blindIndexes], ['ended', null, {}, []]);
      assert.equal(tomb.registrationEnd, '2024-06-30', 'registry dates survive for statistics');
      assert.equal(
        (await gw.ctx.store.travelReports.get(report.id))!.sealedReport,
        null,
        'travel shredded with the registrant',
      );
      assert.notEqual((await gw.ctx.store.registry.get(overdue))!.reviewFlaggedAt, null);
      for (const id of [recent, current]) {
        const r = (await gw.ctx.store.registry.get(id))!;
        assert.deepEqual([r.erasedAt, r.reviewFlaggedAt], [null, null]);
      }
      const erased = await gw.ctx.store.audit.query(
        { messageId: expired, action: 'personal_data.erased' },
        { limit: 5 },
      );
      assert.equal(erased.items[0]!.actor, 'system');
      assert.equal(erased.items[0]!.detail!.reason, 'retention');
      const flagged = await gw.ctx.store.audit.query(
        { messageId: overdue, action: 'personal_data.altered' },
        { limit: 5 },
      );
      assert.equal(flagged.items[0]!.outcome, 'review_flagged');

      assert.deepEqual(await gw.ctx.store.stats.sent(q), statsBefore, 'statistics do not need the personal data');
      assert.deepEqual(await runRetentionPass(gw.ctx, { retentionDaysAfterEnd: 365 }), { shredded: [], flagged: [] });

      const connection = bullConnection(gw.config.redis.url);
      const queue = new Queue(BullScheduledJobs.queueName(name), { connection, prefix: gw.config.redis.prefix });
      const schedulers = await queue.getJobSchedulers();
      await queue.close();
      connection.disconnect();
      assert.deepEqual(
        schedulers.map((s) => s.key),
        [name],
        'one schedule for every process',
      );
    } finally {
      await job.close();
      await second.close();
      await jobsA.close();
      await jobsB.close();
    }
  });
});
