/**
 * Ready before the index is: with the screening index still being built, /readyz answers 503 with
 * the build's progress, manifest screening answers 503 screening_index_building with Retry-After, and
 * the other routes already work. Real SQLite, real Redis, real HTTP; the build is held between two
 * pages by a gate on the store's scan (the real store behind it), so the "building" state is observed
 * deterministically instead of by racing a timer.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/http/app.js';
import { startManifestScreening, type RunningScreening } from '../../src/runtime/start-screening.js';
import type { GatewayContext } from '../../src/ports/context.js';
import type { RegistryRepo } from '../../src/ports/store/index.js';
import { importRegistrants } from '../../src/features/registry/registry-import.js';
import { bearer, nationalGateway, type NationalGateway } from '../national/setup.js';
import { registrantBody } from '../national/samples.js';
import { until } from '../harness/poll.js';

const REGISTRANTS = 2500; // three scan pages of 1000

describe('screening index: ready before the index is', function () {
  this.timeout(180_000);
  let gw: NationalGateway;
  let screening: RunningScreening | null = null;
  before(async () => {
    gw = await nationalGateway();
    const lines = async function* () {
      for (let i = 0; i < REGISTRANTS; i++)
        yield { number: i + 1, text: JSON.stringify({ ...registrantBody(), externalReference: `ready-${i}` }) };
    };
    const s = await importRegistrants(gw.national, { id: 'registry', role: 'registry' } as never, lines());
    assert.equal(s.created, REGISTRANTS);
  });
  after(async () => {
    await screening?.close();
    await gw.close();
  });

  it('answers /readyz 503 with progress and refuses screening until built; other routes work', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let pages = 0;
    const real = gw.ctx.store.registry;
    const registry: RegistryRepo = Object.assign(Object.create(real) as RegistryRepo, {
      scan: async (after: string | null, limit: number) => {
        if (++pages === 2) await gate; // hold the build after its first page
        return real.scan(after, limit);
      },
      countLive: () => real.countLive(),
    });
    const ctx = { ...gw.ctx, store: Object.assign(Object.create(gw.ctx.store) as object, { registry }) };
    screening = await startManifestScreening(ctx as unknown as GatewayContext, gw.queue, { keys: gw.keys });
    const app = createApp({
      ctx: gw.ctx,
      queue: gw.queue,
      registryKeys: gw.keys,
      screening: screening.deps,
      readiness: [screening.readiness],
    });

    await until('the build reaching its second page', () => pages >= 2);
    const notReady = await request(app).get('/readyz');
    assert.equal(notReady.status, 503);
    assert.deepEqual(notReady.body.checks.screeningIndex, {
      state: 'building',
      indexed: 1000,
      total: REGISTRANTS,
      percent: 40,
    });

    const refused = await request(app)
      .post('/api/v1/manifests')
      .set('Authorization', bearer('screening'))
      .send({
        flight: {
          carrier: 'BA',
          flightNumber: 'BA0178',
          departureAirport: 'JFK',
          arrivalAirport: 'LHR',
          scheduledDeparture: '2030-01-10T10:15',
          scheduledArrival: null,
        },
        passengers: [],
      });
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'screening_index_building');
    assert.equal(refused.headers['retry-after'], '5');
    assert.equal(refused.body.progress.indexed, 1000);

    const search = await request(app)
      .get('/api/v1/registrants')
      .query({ name: 'Petrov', purpose: 'readiness check' })
      .set('Authorization', bearer('registry'));
    assert.equal(search.status, 200, 'the registry API works while the index builds');

    release();
    await until('the index being ready', async () => (await request(app).get('/readyz')).status === 200, 60_000);
    assert.equal(screening.index.progress().state, 'ready');
    assert.equal(screening.index.index.size, REGISTRANTS);
  });
});
