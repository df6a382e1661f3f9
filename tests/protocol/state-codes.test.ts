/**
 * Destinations are ISO 3166-1 alpha-3 codes in use: the list in src/domain, a message or travel report
 * naming an unassigned code refused by pointer, and a submission to one refused on a real gateway —
 * nothing stored, so no `no_channel` record and no statistics line for a state that does not exist.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { isTnxError } from '../../src/core/errors.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { ASSIGNED_STATE_CODES, isAssignedStateCode } from '../../src/domain/protocol/state-codes.js';
import { validateMessage } from '../../src/domain/protocol/validate.js';
import { validateTravelReport } from '../../src/domain/travel-reports/travel-report.js';
import { bearer, bootstrap, example } from '../gateway/bootstrap.js';
import { threeCountryReport } from '../travel-reports/fixtures.js';

const HOUR = 3_600_000;

function refusedAt(code: 'invalid_message' | 'invalid_travel_report', pointer: string) {
  return (e: unknown) => isTnxError(e, code) && e.pointer === pointer && !e.message.includes('ZZZ');
}

describe('protocol: destinations are assigned ISO 3166-1 alpha-3 codes', () => {
  it('the list holds the 249 assigned codes', () => {
    assert.equal(ASSIGNED_STATE_CODES.size, 249);
    for (const c of ASSIGNED_STATE_CODES) assert.match(c, /^[A-Z]{3}$/);
    for (const c of ['USA', 'GBR', 'FRA', 'DEU', 'THA', 'PHL', 'ATA']) assert.ok(isAssignedStateCode(c), c);
    for (const c of ['ZZZ', 'XXX', 'EUE', 'UNK', 'usa']) assert.ok(!isAssignedStateCode(c), c);
  });

  it('a message to, from or via an unassigned code is invalid_message at its pointer', () => {
    const n = example<Record<string, unknown> & { travel: { destinationCountries: string[] } }>(
      'travel-notification.json',
    );
    assert.throws(() => validateMessage({ ...n, destination: 'ZZZ' }), refusedAt('invalid_message', '/destination'));
    assert.throws(() => validateMessage({ ...n, origin: 'ZZZ' }), refusedAt('invalid_message', '/origin'));
    const via = structuredClone(n);
    via.travel.destinationCountries.push('ZZZ');
    assert.throws(() => validateMessage(via), refusedAt('invalid_message', '/travel/destinationCountries/' + (via.travel.destinationCountries.length - 1)));
  });

  it('a travel report visiting an unassigned code is refused before anything is notified', () => {
    const r = structuredClone(threeCountryReport('0190a0a0-0000-7000-8000-000000000001'));
    r.travel.destinationCountries[1] = 'ZZZ';
    assert.throws(() => validateTravelReport(r), refusedAt('invalid_travel_report', '/travel/destinationCountries/1'));
  });

  it('a submission to an unassigned code is refused with 422 and stores nothing', async function () {
    this.timeout(20_000);
    const gw = await bootstrap();
    try {
      const n = sampleNotification({ origin: 'USA', destination: 'ZZZ', departureAt: Date.now() + 72 * HOUR });
      const res = await request(gw.url)
        .post('/api/v1/notifications')
        .set('Authorization', bearer('submitter'))
        .send(n);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.code, 'invalid_message');
      assert.equal(res.body.pointer, '/destination');
      assert.equal((await gw.ctx.store.outbound.list({ partner: 'ZZZ' }, { limit: 5 })).items.length, 0);
      // A real state without a gateway is still accepted as no_channel.
      const can = sampleNotification({ origin: 'USA', destination: 'CAN', departureAt: Date.now() + 72 * HOUR });
      const ok = await request(gw.url).post('/api/v1/notifications').set('Authorization', bearer('submitter')).send(can);
      assert.equal(ok.status, 202, ok.text);
      assert.equal(ok.body.status, 'no_channel');
    } finally {
      await gw.close();
    }
  });
});
