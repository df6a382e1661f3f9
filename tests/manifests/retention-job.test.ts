/**
 * The scheduled retention job on a running gateway (no test hook): with retentionHours ≈ 1 s and the
 * job every second, a manifest's people disappear from the store by themselves, audited, while the
 * screening result stays.
 */
import assert from 'node:assert/strict';
import { until } from '../e2e/federation.js';
import { call, jfkLocal, screeningWorld, type ScreeningWorld } from './setup.js';

describe('manifest retention job (BullMQ scheduler, real clock)', function () {
  this.timeout(30_000);
  let w: ScreeningWorld;
  before(async () => {
    w = await screeningWorld({ screening: { retentionHours: 0.0003, retentionIntervalSeconds: 1 } } as never);
  });
  after(async () => w?.close());

  it('purges the people of a manifest once retentionHours have passed, by itself', async () => {
    const res = await call<{ id: string }>(`${w.usa.url}/api/v1/manifests`, {
      auth: w.auth('screening'),
      body: {
        flight: { carrier: 'BA', flightNumber: 'BA0178', departureAirport: 'JFK', arrivalAirport: 'LHR', scheduledDeparture: jfkLocal(3) },
        passengers: [{ role: 'passenger', familyName: 'ASHWORTH', givenNames: ['NIGEL'], sex: 'M', dateOfBirth: '1977-07-07' }],
      },
    });
    assert.equal(res.status, 201, res.text);
    const stored = await w.usa.ctx.store.manifests.get(res.body.id);
    assert.ok(stored?.sealedPeople, 'sealed people present at first');
    const purged = await until('the retention job to purge the manifest', async () => {
      const m = await w.usa.ctx.store.manifests.get(res.body.id);
      return m?.purgedAt ? m : null;
    }, 15_000);
    assert.equal(purged.sealedPeople, null);
    assert.equal(purged.wrappedKey, null);
    assert.equal(purged.passengerCount, 1, 'the statistics record stays');
    const ev = await w.usa.ctx.store.audit.query({ action: 'manifest.expired', messageId: res.body.id }, { limit: 5 });
    assert.equal(ev.items.length, 1);
    assert.equal(ev.items[0]!.actor, 'system');
  });
});
