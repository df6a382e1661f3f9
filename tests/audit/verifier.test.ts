/**
 * The gateway's own periodic verification of its audit trail: due one interval after the last (or
 * after the first event), once across processes (lease), its result recorded in the trail, and a
 * trail an intruder edited through the file recorded as failed, naming the first bad seq.
 */
import { strict as assert } from 'node:assert';
import { openSqliteStore } from '../../src/adapters/store-sqlite/open-sqlite-store.js';
import { AuditVerifier, VERIFIER_ACTOR } from '../../src/features/audit-trail/verifier.js';
import { verifySegment } from '../../src/features/audit-trail/verify-segment.js';
import type { Store } from '../../src/ports/store/index.js';
import { auditFixture, rawDb, seed, type AuditFixture } from './helpers.js';
import request from 'supertest';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { FAST, federation, start, TEST_WORKER, until } from '../e2e/federation.js';

const DAY = 24 * 3600_000;

describe('audit: the periodic verification of the whole trail', () => {
  let f: AuditFixture;
  let other: Store; // a second connection: another gateway process on the same file

  const verifier = (store: Pick<Store, 'audit' | 'kv'>, holder: string) =>
    new AuditVerifier({ store, jwks: () => f.jwks, clock: f.clock, intervalMs: DAY, events: f.bus, holder });

  const verifications = async () =>
    (await f.store.audit.query({ action: 'audit.verified', actor: VERIFIER_ACTOR }, { limit: 50 })).items;

  beforeEach(async () => {
    f = await auditFixture('audit-verifier');
    other = await openSqliteStore({ path: f.path, clock: f.clock });
    await seed(f, 40, { batch: 5, sealEvery: 20 });
  });
  afterEach(async () => {
    await other.close();
    await f.store.close();
  });

  it('verifies one interval after the first event, records the result, then waits an interval', async () => {
    const v = verifier(f.store, 'a');
    const first = (await f.store.audit.range(1, 1, 1))[0]!;
    assert.equal(await v.dueAt(), first.at + DAY);
    assert.equal(await v.tick(), null, 'a young trail is not due');
    assert.deepEqual(await verifications(), []);

    f.clock.set(first.at + DAY);
    const total = await f.store.audit.count();
    const result = await v.tick();
    assert.ok(result?.ok);
    assert.equal(result.events, total);
    const [rec] = await verifications();
    assert.ok(rec);
    assert.equal(rec.outcome, 'ok');
    assert.equal(rec.at, f.clock.now());
    assert.deepEqual(rec.detail, {
      fromSeq: 1,
      toSeq: total,
      events: total,
      checkpoints: result.checkpoints,
      unsealed: result.unsealed,
    });
    assert.ok(result.checkpoints >= 2);

    // Not again until an interval after this one, whatever the restarts: due is read from the trail.
    f.clock.advance(DAY - 1);
    assert.equal(await verifier(f.store, 'a').tick(), null);
    f.clock.advance(1);
    assert.ok((await v.tick())?.ok);
    assert.equal((await verifications()).length, 2);
  });

  it('with two processes on one store, one verifies per interval', async () => {
    const a = verifier(f.store, 'a');
    const b = verifier(other, 'b');
    f.clock.advance(DAY);
    const results = [await a.tick(), await b.tick()];
    assert.equal(results.filter((r) => r !== null).length, 1);
    assert.equal((await verifications()).length, 1);
    // The leader stops and hands the lease back: the other takes over at the next due time.
    await a.stop();
    f.clock.advance(DAY);
    assert.ok((await b.tick())?.ok);
    assert.equal((await verifications()).length, 2);
  });

  it('records an edited trail as failed, naming the first bad seq', async () => {
    const db = rawDb(f.path);
    try {
      db.prepare("UPDATE audit_events SET outcome = 'failed' WHERE seq = 17").run();
    } finally {
      db.close();
    }
    f.clock.advance(DAY);
    const result = await verifier(f.store, 'a').tick();
    assert.equal(result?.ok, false);
    assert.equal(result.firstBad?.seq, 17);
    const [rec] = await verifications();
    assert.equal(rec?.outcome, 'failed');
    assert.equal(rec.detail?.firstBadSeq, 17);
    assert.equal(rec.detail?.problem, 'hash mismatch (event altered)');
    assert.equal(rec.detail?.toSeq, 17);
  });

  it('lets the event loop turn between batches (a serving gateway keeps answering during the walk)', async () => {
    let turns = 0;
    let walking = true;
    const turn = (): void => {
      if (!walking) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    // The chain walk alone (checking checkpoint signatures is asynchronous crypto, which yields anyway).
    const spec = { fromSeq: 1, toSeq: null, anchor: null, checkpoints: [], batchSize: 5, checkBeforeStart: false };
    const result = await verifySegment(f.store.audit, spec);
    walking = false;
    assert.ok(result.ok);
    // SQLite answers synchronously: without a yield the whole walk would run in one turn (0 turns).
    assert.ok(turns >= 5, `event-loop turns during a walk of ${result.events} events in batches of 5: ${turns}`);
  });
});

describe('audit: a running gateway verifies its own trail', function () {
  this.timeout(60_000);

  it('records audit.verified by system one interval after its first event, and the trail verifies', async () => {
    const { USA } = await federation(['USA'] as const, {
      ...FAST,
      audit: { checkpointIntervalSeconds: 1, verifyIntervalSeconds: 1 },
    });
    const usa = await start(USA, { worker: TEST_WORKER });
    try {
      await request(usa.url!)
        .post('/api/v1/notifications')
        .set('Authorization', `Bearer ${USA.submitter}`)
        .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 48 * 3600_000 }))
        .expect(202);
      const verified = async () =>
        (await usa.ctx.store.audit.query({ action: 'audit.verified', actor: VERIFIER_ACTOR }, { limit: 1 })).items[0];
      await until('the gateway to verify its trail', async () => (await verified()) !== undefined, 20_000);
      const rec = (await verified())!;
      assert.equal(rec.outcome, 'ok');
      assert.equal(rec.detail?.fromSeq, 1);
      assert.ok((rec.detail?.events as number) >= 2, 'the submission and its events were walked');
    } finally {
      await usa.close();
    }
  });
});
