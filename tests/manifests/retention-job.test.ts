/**
 * A gateway with other screening settings: the scheduled retention job on its own (retentionHours
 * ≈ 1 s, the job every second: a manifest's people disappear by themselves, audited, the result
 * stays), and notifyOnConfirmedUnreported off (a confirmed unreported trip opens a case, sends nothing).
 */
import assert from 'node:assert/strict';
import { until } from '../e2e/federation.js';
import { call, jfkLocal, registrantBody, screeningWorld, type ScreeningWorld } from './setup.js';

describe('manifest retention job and notification policy (BullMQ scheduler, real clock)', function () {
  this.timeout(30_000);
  let w: ScreeningWorld;
  before(async () => {
    w = await screeningWorld({
      screening: { retentionHours: 0.0003, retentionIntervalSeconds: 1, notifyOnConfirmedUnreported: false },
    });
  });
  after(async () => w?.close());

  it('purges the people of a manifest once retentionHours have passed, by itself', async () => {
    const res = await call<{ id: string }>(`${w.usa.url}/api/v1/manifests`, {
      auth: w.auth('screening'),
      body: {
        flight: {
          carrier: 'BA',
          flightNumber: 'BA0178',
          departureAirport: 'JFK',
          arrivalAirport: 'LHR',
          scheduledDeparture: jfkLocal(3),
        },
        passengers: [
          { role: 'passenger', familyName: 'ASHWORTH', givenNames: ['NIGEL'], sex: 'M', dateOfBirth: '1977-07-07' },
        ],
      },
    });
    assert.equal(res.status, 201, res.text);
    const stored = await w.usa.ctx.store.manifests.get(res.body.id);
    assert.ok(stored?.sealedPeople, 'sealed people present at first');
    const purged = await until(
      'the retention job to purge the manifest',
      async () => {
        const m = await w.usa.ctx.store.manifests.get(res.body.id);
        return m?.purgedAt ? m : null;
      },
      15_000,
    );
    assert.equal(purged.sealedPeople, null);
    assert.equal(purged.wrappedKey, null);
    assert.equal(purged.passengerCount, 1, 'the statistics record stays');
    const ev = await w.usa.ctx.store.audit.query({ action: 'manifest.expired', messageId: res.body.id }, { limit: 5 });
    assert.equal(ev.items.length, 1);
    assert.equal(ev.items[0]!.actor, 'system');
  });

  it('with notifyOnConfirmedUnreported off, a confirmed unreported trip opens a case and notifies nobody', async () => {
    const created = await call<{ id: string }>(`${w.usa.url}/api/v1/registrants`, {
      auth: w.auth('registry'),
      body: registrantBody({
        family: 'Pennington',
        given: ['Giles'],
        dateOfBirth: '1964-03-03',
        passport: 'US2299110',
      }),
    });
    assert.equal(created.status, 201, created.text);
    const m = await call<{ id: string; candidates: { id: string; registrantId: string }[] }>(
      `${w.usa.url}/api/v1/manifests`,
      {
        auth: w.auth('screening'),
        body: {
          flight: {
            carrier: 'BA',
            flightNumber: 'BA0116',
            departureAirport: 'JFK',
            arrivalAirport: 'LHR',
            scheduledDeparture: jfkLocal(4),
          },
          passengers: [
            {
              role: 'passenger',
              familyName: 'PENNINGTON',
              givenNames: ['GILES'],
              sex: 'M',
              dateOfBirth: '1964-03-03',
              documents: [{ type: 'passport', number: 'US2299110' }],
            },
          ],
        },
      },
    );
    const cand = m.body.candidates.find((c) => c.registrantId === created.body.id)!;
    const res = await call<{ case: { notification: string; notificationId: string | null } }>(
      `${w.usa.url}/api/v1/manifests/${m.body.id}/candidates/${cand.id}/decision`,
      {
        auth: w.auth('screening'),
        body: { decision: 'confirmed', reason: 'passport matches' },
      },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.case.notification, 'disabled');
    assert.equal(res.body.case.notificationId, null);
    assert.deepEqual((await w.usa.ctx.store.outbound.list({}, { limit: 10 })).items, []);
  });
});
