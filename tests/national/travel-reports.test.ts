/**
 * Travel reports through the gateway: one report to three countries = three notifications, each a
 * record of its own in the outbound store (FRA and THA queued in the real BullMQ queue, DEU — not in
 * the directory — `no_channel`); a late report is accepted and flagged; a change sends amends; a
 * cancellation stops undelivered notifications; a manifest match of the same trip is recorded on the
 * first notifications instead of a second notice.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { findNotifiedTrip, recordSecondSource } from '../../src/features/travel-reports/trips.js';
import type { TravelNotification, TravelUpdate } from '../../src/domain/protocol/types.js';
import { tripKey } from '../../src/domain/travel-reports/trip-key.js';
import { ManualClock } from '../../src/core/clock.js';
import { DAY, NOW } from '../travel-reports/fixtures.js';
import { bearer, nationalGateway, type NationalGateway } from './setup.js';
import { registrantBody, travelBody } from './samples.js';

describe('travel reports through the gateway', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  const clock = new ManualClock(NOW);
  before(async () => {
    gw = await nationalGateway({ clock });
  });
  after(async () => gw.close());

  const registrant = async () => {
    const res = await request(gw.app)
      .post('/api/v1/registrants')
      .set('Authorization', bearer('registry'))
      .send(registrantBody());
    assert.equal(res.status, 201);
    return res.body.id as string;
  };
  const report = async (id: string, daysAhead: number) => {
    const res = await request(gw.app)
      .post(`/api/v1/registrants/${id}/travel-reports`)
      .set('Authorization', bearer('registry'))
      .send({ travel: travelBody(NOW + daysAhead * DAY, NOW) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as {
      id: string;
      late: boolean;
      daysOfNotice: number;
      enteredBy: string;
      sent: { destination: string; id: string; status: string }[];
      notificationIds: Record<string, string>;
    };
  };

  it('creates one notification per destination, each tracked on its own', async () => {
    const r = await report(await registrant(), 30);
    assert.equal(r.late, false);
    assert.equal(r.daysOfNotice, 30);
    assert.equal(r.enteredBy, 'registry');
    assert.deepEqual(
      r.sent.map((s) => s.destination),
      ['FRA', 'DEU', 'THA'],
    );
    assert.deepEqual(
      r.sent.map((s) => s.status),
      ['queued', 'no_channel', 'queued'],
    );
    for (const s of r.sent) {
      const rec = (await gw.ctx.store.outbound.get(s.id))!;
      assert.equal(rec.partner, s.destination);
      assert.equal(rec.source, 'self_report');
      const n = rec.message as TravelNotification;
      assert.equal(n.report.late, false);
      assert.equal(JSON.stringify(n).includes('Assessment'), false, 'notes never travel');
      assert.ok(
        (n.travel.accommodation ?? []).every((a) => a.country === s.destination),
        'only own addresses',
      );
    }
    const jobs = await gw.queue.depth();
    assert.ok(jobs >= 2, `delivery jobs queued (${jobs})`);
  });

  it('accepts a late report and flags it in the notifications', async () => {
    const r = await report(await registrant(), 5);
    assert.equal(r.late, true);
    assert.equal(r.daysOfNotice, 5);
    const n = (await gw.ctx.store.outbound.get(r.notificationIds.FRA!))!.message as TravelNotification;
    assert.deepEqual([n.report.late, n.report.daysOfNotice], [true, 5]);
  });

  it('a change sends amends; a cancellation stops undelivered notifications', async () => {
    const r = await report(await registrant(), 40);
    const travel = travelBody(NOW + 41 * DAY, NOW);
    const changed = await request(gw.app)
      .put(`/api/v1/travel-reports/${r.id}`)
      .set('Authorization', bearer('registry'))
      .send({ travel, reason: 'flight moved' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.sent.length, 3);
    const amend = (await gw.ctx.store.outbound.get(changed.body.sent[0].id))!.message as TravelUpdate;
    assert.equal(amend.action, 'amend');
    assert.equal(amend.notificationId, r.notificationIds.FRA);

    const cancel = await request(gw.app)
      .post(`/api/v1/travel-reports/${r.id}/cancel`)
      .set('Authorization', bearer('registry'))
      .send({ reason: 'trip off' });
    assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
    assert.equal(cancel.body.state, 'cancelled');
    assert.equal(
      (await gw.ctx.store.outbound.get(r.notificationIds.FRA!))!.state,
      'cancelled',
      'never attempted, so stopped',
    );
    const again = await request(gw.app)
      .post(`/api/v1/travel-reports/${r.id}/cancel`)
      .set('Authorization', bearer('registry'))
      .send({});
    assert.equal(again.status, 409);
  });

  it('reads a report only with a purpose', async () => {
    const r = await report(await registrant(), 30);
    const none = await request(gw.app).get(`/api/v1/travel-reports/${r.id}`).set('Authorization', bearer('registry'));
    assert.equal(none.body.code, 'purpose_required');
    const ok = await request(gw.app)
      .get(`/api/v1/travel-reports/${r.id}`)
      .query({ purpose: 'check' })
      .set('Authorization', bearer('registry'));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.travel.legs[0].flightNumber, 'AF0023');
  });

  it('records a manifest match of the same trip on the first notifications instead of notifying twice', async () => {
    const id = await registrant();
    const r = await report(id, 30);
    const leg = travelBody(NOW + 30 * DAY, NOW).legs[0]!;
    const key = tripKey(gw.keys.indexKey, id, { ...leg, flightNumber: 'AF 23' });
    const trip = await findNotifiedTrip(gw.ctx, key);
    assert.ok(trip, 'the manifest side finds the self-reported trip under its own spelling of the flight');
    assert.deepEqual([...trip.notificationIds].sort(), Object.values(r.notificationIds).sort());
    await recordSecondSource(gw.ctx, key, 'manifest_match', 'screening');
    await recordSecondSource(gw.ctx, key, 'manifest_match', 'screening');
    const n = (await gw.ctx.store.outbound.get(r.notificationIds.THA!))!.message as TravelNotification;
    assert.deepEqual(n.source, { kind: 'self_report', alsoFoundBy: ['manifest_match'] });
    const combined = await gw.ctx.store.audit.query(
      { action: 'personal_data.combined', messageId: r.notificationIds.THA! },
      { limit: 5 },
    );
    assert.equal(combined.items.length, 1, 'recorded once');
    assert.equal(await findNotifiedTrip(gw.ctx, tripKey(gw.keys.indexKey, id, { ...leg, flightNumber: 'AF24' })), null);
  });
});
