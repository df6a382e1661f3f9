/**
 * The travel report recovery job in process, on a real SQLite file and a real Redis queue. A report
 * whose notifications were never submitted is made the way a failing request makes it: stored through
 * the service while its submissions go to a closed store, so each submission fails after the report
 * is written (the kill -9 variant is tests/e2e/travel-report-crash.test.ts).
 */
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import { endRegistration, createRegistrant } from '../../src/features/registry/registry-service.js';
import type { NationalDeps } from '../../src/features/registry/deps.js';
import { runTravelReportRecovery } from '../../src/features/travel-reports/recovery-job.js';
import { changeTravelReport, createTravelReport } from '../../src/features/travel-reports/travel-report-service.js';
import { openStore } from '../../src/runtime/open-store.js';
import { DAY, HOUR, NOW } from '../travel-reports/fixtures.js';
import { nationalGateway, type NationalGateway } from './setup.js';
import { registrantBody, travelBody } from './samples.js';

describe('travel report recovery job', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  const clock = new ManualClock(NOW);
  const staff = { id: 'registry', role: 'registry' as const };
  before(async () => {
    gw = await nationalGateway({ clock });
  });
  after(async () => gw.close());

  /** Deps whose submissions reach a closed database: the report is stored, every submission throws. */
  const failingSubmissions = async (): Promise<NationalDeps> => {
    const closed = await openStore(gw.config.store);
    await closed.close();
    const n = gw.national;
    return { ...n, submit: { ...n.submit, ctx: { ...n.ctx, store: closed } } };
  };

  const unsentReport = async (registrantId: string) => {
    await assert.rejects(
      createTravelReport(await failingSubmissions(), staff, registrantId, {
        travel: travelBody(clock.now() + 30 * DAY, clock.now()),
      }),
      'the submission fails after the report is stored',
    );
    const [rec] = await gw.ctx.store.travelReports.listByRegistrant(registrantId);
    assert.ok(rec, 'the report was stored');
    for (const id of Object.values(rec.notificationIds)) assert.equal(await gw.ctx.store.outbound.get(id), null);
    return rec;
  };

  const metric = async (outcome: string) => {
    const line = (await gw.ctx.metrics.text())
      .split('\n')
      .find((l) => l.startsWith(`tnx_travel_report_recovery_total{outcome="${outcome}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('a report of an ended registration is withheld, audited once, and does not stop the next report', async () => {
    const ended = (await createRegistrant(gw.national, staff, registrantBody())).id;
    const live = (await createRegistrant(gw.national, staff, registrantBody())).id;
    // Oldest first: the report that cannot be sent comes before the one that must be.
    const first = await unsentReport(ended);
    clock.advance(1_000);
    const second = await unsentReport(live);
    await endRegistration(gw.national, staff, ended, {});
    clock.advance(gw.config.travelReports.recoveryMinAgeSeconds * 1000 + 1);

    const pass = await runTravelReportRecovery(gw.national);
    assert.deepEqual(pass.failed, []);
    assert.deepEqual(pass.withheld, [first.id]);
    assert.deepEqual(pass.submitted.sort(), Object.values(second.notificationIds).sort(), 'the second is recovered');
    for (const id of Object.values(second.notificationIds)) {
      const rec = await gw.ctx.store.outbound.get(id);
      assert.equal(rec?.submittedBy, 'registry');
    }
    for (const id of Object.values(first.notificationIds))
      assert.equal(await gw.ctx.store.outbound.get(id), null, 'nothing sent for an ended registration');

    const refusals = async () =>
      (await gw.ctx.store.audit.query({ messageId: first.id, action: 'input.refused' }, { limit: 10 })).items;
    const [refusal, ...more] = await refusals();
    assert.equal(more.length, 0);
    assert.equal(refusal!.actor, 'system');
    assert.equal(refusal!.outcome, 'conflict');
    assert.deepEqual(refusal!.detail, {
      entity: 'travel_report',
      job: 'travel-report-recovery',
      registrantId: ended,
      registrantStatus: 'ended',
      withheld: ['FRA', 'DEU', 'THA'],
    });
    assert.equal(await metric('withheld'), 1);
    assert.equal(await metric('recovered'), 1);

    // The next pass neither sends nor records again.
    clock.advance(60_000);
    const again = await runTravelReportRecovery(gw.national);
    assert.deepEqual([again.submitted, again.withheld, again.failed], [[], [], []]);
    assert.equal((await refusals()).length, 1, 'recorded once');
    assert.equal(await metric('withheld'), 1);
  });

  it('a report that cannot be opened is counted and logged, and the pass goes on', async () => {
    const broken = await unsentReport((await createRegistrant(gw.national, staff, registrantBody())).id);
    clock.advance(1_000);
    const fine = await unsentReport((await createRegistrant(gw.national, staff, registrantBody())).id);
    // Its ciphertext damaged at rest: opening it fails with personal_data_unreadable.
    const sealed = broken.sealedReport!;
    const flipped = `${sealed.slice(0, -4)}${sealed.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    assert.ok(
      await gw.ctx.store.travelReports.update({ ...broken, sealedReport: flipped, version: broken.version + 1 }),
    );
    clock.advance(gw.config.travelReports.recoveryMinAgeSeconds * 1000 + 1);
    const before = await metric('personal_data_unreadable');

    const pass = await runTravelReportRecovery(gw.national);
    assert.deepEqual(pass.failed, [broken.id]);
    assert.deepEqual(pass.submitted.sort(), Object.values(fine.notificationIds).sort());
    assert.equal(await metric('personal_data_unreadable'), before + 1);
    // Not given up: the next pass tries it again (and fails again, counted again).
    const again = await runTravelReportRecovery(gw.national);
    assert.deepEqual(again.failed, [broken.id]);
    assert.equal(await metric('personal_data_unreadable'), before + 2);
  });

  it('leaves a report alone while a change is young, then submits what it added as that change would', async () => {
    const registrantId = (await createRegistrant(gw.national, staff, registrantBody())).id;
    const t0 = clock.now();
    const travel = travelBody(t0 + 30 * DAY, t0);
    const created = await createTravelReport(gw.national, staff, registrantId, { travel });
    clock.advance(HOUR);
    // Another member of staff adds GBR; the change is stored, its submissions have not happened yet.
    const changer = { id: 'registry-2', role: 'registry' as const };
    const addGbr = { ...travel, destinationCountries: [...travel.destinationCountries, 'GBR'] };
    await assert.rejects(
      changeTravelReport(await failingSubmissions(), changer, created.id, { travel: addGbr }),
      'the change is stored, its submissions fail',
    );
    const v2 = (await gw.ctx.store.travelReports.get(created.id))!;
    assert.equal(v2.version, 2);
    const gbr = v2.notificationIds.GBR!;
    assert.ok(gbr);

    // The report is old, its change is not: the change request may still be submitting.
    clock.advance(gw.config.travelReports.recoveryMinAgeSeconds * 1000 - 1);
    const early = await runTravelReportRecovery(gw.national);
    assert.deepEqual(early.submitted, []);
    assert.equal(await gw.ctx.store.outbound.get(gbr), null, 'a change in progress is not raced');

    clock.advance(2);
    const late = await runTravelReportRecovery(gw.national);
    assert.deepEqual(late.submitted, [gbr]);
    const rec = (await gw.ctx.store.outbound.get(gbr))!;
    assert.equal(rec.submittedBy, 'registry-2', 'the submitter of the change');
    assert.equal(rec.idempotencyKey, `tr:${created.id}:v2:${gbr}`, "the change's idempotency key");
  });

  it('pages past reports created in one millisecond: a full page of them does not stall the pass', async () => {
    const made = [];
    for (let i = 0; i < 3; i++)
      made.push(await unsentReport((await createRegistrant(gw.national, staff, registrantBody())).id));
    assert.equal(new Set(made.map((r) => r.createdAt)).size, 1, 'one millisecond');
    clock.advance(gw.config.travelReports.recoveryMinAgeSeconds * 1000 + 1);
    const pass = await runTravelReportRecovery(gw.national, { batchSize: 2 });
    const expected = made.flatMap((r) => Object.values(r.notificationIds));
    assert.deepEqual(pass.submitted.filter((id) => expected.includes(id)).sort(), expected.sort());
  });
});
