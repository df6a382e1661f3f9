/**
 * GET /api/v1/travel-deadline: the deadline rules on the dates a registry officer is entering, with
 * the registry's own rules and clock — and the same verdict a recorded report then gets.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { ManualClock } from '../../src/core/clock.js';
import { DAY, HOUR, NOW } from '../travel-reports/fixtures.js';
import { bearer, nationalGateway, type NationalGateway } from './setup.js';
import { registrantBody, travelBody } from './samples.js';

describe('travel deadline check', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  const clock = new ManualClock(NOW);
  before(async () => {
    gw = await nationalGateway({ clock });
  });
  after(async () => gw.close());

  const check = (q: string, role: Parameters<typeof bearer>[0] = 'registry') =>
    request(gw.app).get(`/api/v1/travel-deadline?${q}`).set('Authorization', bearer(role));
  const iso = (t: number) => encodeURIComponent(new Date(t).toISOString());

  it('says late with the days short under the 21-day rule, and agrees with the recorded report', async () => {
    const res = await check(`reportedAt=${iso(NOW)}&departureAt=${iso(NOW + 10 * DAY + HOUR)}`).expect(200);
    assert.equal(res.body.verdict, 'late');
    assert.equal(res.body.daysOfNotice, 10);
    assert.equal(res.body.daysShort, 11);
    assert.equal(res.body.minimumNoticeDays, 21);
    assert.equal(res.body.onTimeIfReportedBy, new Date(NOW + 10 * DAY + HOUR - 21 * DAY).toISOString());
    assert.match(res.body.message, /Late report: 10 days of notice, 11 days short; the rule is 21 days/);

    const reg = await request(gw.app)
      .post('/api/v1/registrants')
      .set('Authorization', bearer('registry'))
      .send(registrantBody())
      .expect(201);
    const rec = await request(gw.app)
      .post(`/api/v1/registrants/${reg.body.id as string}/travel-reports`)
      .set('Authorization', bearer('registry'))
      .send({ travel: travelBody(NOW + 10 * DAY + HOUR, NOW) })
      .expect(201);
    assert.equal(rec.body.late, res.body.late);
    assert.equal(rec.body.daysOfNotice, res.body.daysOfNotice);
  });

  it('on time at 21 days; an emergency waives it; after departure has its own verdict; change cut-off by the clock', async () => {
    const onTime = await check(`reportedAt=${iso(NOW)}&departureAt=${iso(NOW + 21 * DAY)}`).expect(200);
    assert.equal(onTime.body.verdict, 'on_time');
    assert.equal(onTime.body.changeAllowed, true);
    const emergency = await check(`reportedAt=${iso(NOW)}&departureAt=${iso(NOW + 2 * DAY)}&emergency=true`).expect(
      200,
    );
    assert.equal(emergency.body.verdict, 'emergency');
    assert.equal(emergency.body.late, false);
    const after = await check(`reportedAt=${iso(NOW)}&departureAt=${iso(NOW - HOUR)}`).expect(200);
    assert.equal(after.body.verdict, 'after_departure');
    assert.equal(after.body.changeAllowed, false);
    const soon = await check(`reportedAt=${iso(NOW - 30 * DAY)}&departureAt=${iso(NOW + 12 * HOUR)}`).expect(200);
    assert.equal(soon.body.verdict, 'on_time');
    assert.equal(soon.body.changeAllowed, false, 'inside the 24 h change cut-off');
  });

  it('refuses missing or malformed dates without echoing them, and other roles', async () => {
    const missing = await check(`reportedAt=${iso(NOW)}`).expect(400);
    assert.equal(missing.body.code, 'invalid_request');
    assert.equal(missing.body.pointer, 'query/departureAt');
    const bad = await check(`reportedAt=${iso(NOW)}&departureAt=tomorrow-ish`).expect(400);
    assert.equal(bad.body.pointer, 'query/departureAt');
    assert.doesNotMatch(JSON.stringify(bad.body), /tomorrow-ish/);
    const flag = await check(`reportedAt=${iso(NOW)}&departureAt=${iso(NOW + DAY)}&emergency=yes`).expect(400);
    assert.equal(flag.body.pointer, 'query/emergency');
    await check(`reportedAt=${iso(NOW)}&departureAt=${iso(NOW + DAY)}`, 'poc').expect(403);
  });
});
