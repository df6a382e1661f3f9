/**
 * The manifests a screening officer has received, newest first with their review counts, and the
 * explanation of each feature of a candidate's score — on a real gateway with a registry.
 */
import assert from 'node:assert/strict';
import { explainFeatures, FEATURE_EXPLANATIONS } from '../../src/domain/screening/explain.js';
import { call, jfkLocal, registrantBody, screeningWorld, type ScreeningWorld } from './setup.js';

interface Summary {
  id: string;
  passengers: number;
  candidates: number;
  pending: number;
  confirmed: number;
  rejected: number;
  flight: { flightNumber: string };
}

describe('manifest list and score explanations', function () {
  this.timeout(30_000);
  let w: ScreeningWorld;
  before(async () => {
    w = await screeningWorld();
  });
  after(async () => w?.close());

  const manifest = (flightNumber: string, passengers: unknown[]) =>
    call<{ id: string; candidates: { id: string; features: { feature: string; contribution: number }[] }[] }>(
      `${w.usa.url}/api/v1/manifests`,
      {
        auth: w.auth('screening'),
        body: {
          flight: {
            carrier: 'BA',
            flightNumber,
            departureAirport: 'JFK',
            arrivalAirport: 'LHR',
            scheduledDeparture: jfkLocal(5),
          },
          passengers,
        },
      },
    );

  it('GET /api/v1/manifests: newest first, paged, with pending / confirmed counts that follow the review', async () => {
    const reg = await call<{ id: string }>(`${w.usa.url}/api/v1/registrants`, {
      auth: w.auth('registry'),
      body: registrantBody({ family: 'Whitlock', given: ['Edmund'], dateOfBirth: '1971-05-09', passport: 'US7711002' }),
    });
    assert.equal(reg.status, 201, reg.text);
    const first = await manifest('BA0111', [
      { role: 'passenger', familyName: 'NOBODY', givenNames: ['ELSE'], sex: 'F', dateOfBirth: '1990-01-01' },
    ]);
    const second = await manifest('BA0222', [
      {
        role: 'passenger',
        familyName: 'WHITLOCK',
        givenNames: ['EDMUND'],
        sex: 'M',
        dateOfBirth: '1971-05-09',
        documents: [{ type: 'passport', number: 'US7711002' }],
      },
    ]);
    assert.equal(second.status, 201, second.text);
    assert.ok(second.body.candidates.length >= 1);

    const list = await call<{ items: Summary[]; next: string | null }>(`${w.usa.url}/api/v1/manifests?limit=1`, {
      auth: w.auth('screening'),
    });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.items.map((m) => m.id),
      [second.body.id],
    );
    const top = list.body.items[0]!;
    assert.equal(top.flight.flightNumber, 'BA0222');
    assert.equal(top.pending, top.candidates);
    assert.doesNotMatch(list.text, /WHITLOCK|Whitlock|US7711002/, 'no person in the list');
    const page2 = await call<{ items: Summary[] }>(
      `${w.usa.url}/api/v1/manifests?limit=1&cursor=${encodeURIComponent(list.body.next!)}`,
      { auth: w.auth('screening') },
    );
    assert.deepEqual(
      page2.body.items.map((m) => m.id),
      [first.body.id],
    );

    const cand = second.body.candidates[0]!;
    const decided = await call(`${w.usa.url}/api/v1/manifests/${second.body.id}/candidates/${cand.id}/decision`, {
      auth: w.auth('screening'),
      body: { decision: 'rejected', reason: 'different person on review' },
    });
    assert.equal(decided.status, 200, decided.text);
    const after = await call<{ items: Summary[] }>(`${w.usa.url}/api/v1/manifests?limit=1`, {
      auth: w.auth('screening'),
    });
    assert.equal(after.body.items[0]!.pending, top.pending - 1);
    assert.equal(after.body.items[0]!.rejected, 1);

    const other = await call(`${w.usa.url}/api/v1/manifests`, { auth: w.auth('auditor') });
    assert.equal(other.status, 403);

    const explained = explainFeatures(cand.features);
    assert.equal(explained.length, cand.features.length);
    for (const f of explained) {
      assert.equal(f.explanation, FEATURE_EXPLANATIONS[f.feature]);
      assert.equal(f.effect, f.contribution > 0 ? 'raises' : f.contribution < 0 ? 'lowers' : 'neutral');
    }
    assert.ok(explained.some((f) => f.feature === 'document_exact' && f.effect === 'raises'));
  });

  it('an unknown feature name is shown as it is, never looked up on the prototype', () => {
    const [f, g] = explainFeatures([
      { feature: 'constructor', contribution: 0 },
      { feature: 'future_feature', contribution: -0.1 },
    ]);
    assert.equal(f!.explanation, 'constructor');
    assert.deepEqual([g!.explanation, g!.effect], ['future_feature', 'lowers']);
  });
});
