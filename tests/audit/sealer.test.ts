import { strict as assert } from 'node:assert';
import { until } from '../harness/poll.js';
import { checkCheckpoint, CHECKPOINT_TYP } from '../../src/features/audit-trail/checkpoint.js';
import { AuditSealer, SEALER_LEASE } from '../../src/features/audit-trail/sealer.js';
import { verifyTrail } from '../../src/features/audit-trail/verify.js';
import { decodeProtectedHeader } from 'jose';
import { openSqliteStore } from '../../src/adapters/store-sqlite/open-sqlite-store.js';
import type { Store } from '../../src/ports/store/index.js';
import { auditFixture, event, INTERVAL_MS, type AuditFixture } from './helpers.js';

describe('audit checkpoints and the elected sealer', () => {
  let f: AuditFixture;
  let other: Store; // a second connection: another gateway process on the same file
  let b: AuditSealer;

  beforeEach(async () => {
    f = await auditFixture('audit-sealer');
    other = await openSqliteStore({ path: f.path, clock: f.clock });
    b = new AuditSealer({
      store: other,
      signingKey: () => f.keys.signingKey(),
      state: 'XAA',
      clock: f.clock,
      intervalMs: INTERVAL_MS,
      events: f.bus,
      holder: 'sealer-b',
    });
  });
  afterEach(async () => {
    await other.close();
    await f.store.close();
  });

  async function publish(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await f.bus.publish(event(i, f.clock));
  }

  it('signs the head as an ES256 compact JWS of type tnx-audit-checkpoint+jwt, verifiable with the public JWKS', async () => {
    await publish(3);
    const cp = await f.sealer.tick();
    assert.ok(cp);
    const header = decodeProtectedHeader(cp.jws);
    assert.deepEqual(header, { alg: 'ES256', typ: CHECKPOINT_TYP, kid: f.keys.signingKey().kid });
    // The checkpoint covers the audit.checkpoint event announcing it.
    const head = await f.store.audit.head();
    assert.deepEqual([cp.seq, cp.headHash], [head!.seq, head!.hash]);
    const last = (await f.store.audit.range(4, 4, 1))[0]!;
    assert.equal(last.action, 'audit.checkpoint');
    assert.deepEqual(last.detail, { previousCheckpointSeq: 0, kid: f.keys.signingKey().kid, sealer: 'sealer-a' });
    const check = await checkCheckpoint(cp, f.keys.publicJwks());
    assert.ok(check.ok);
    assert.deepEqual(check.payload, { seq: 4, headHash: head!.hash, at: f.clock.now(), state: 'XAA' });
    assert.deepEqual(await f.store.audit.listCheckpoints(), [cp]);
  });

  it('with two sealers on one store, exactly one signs per interval', async () => {
    const signedBy: string[][] = [];
    for (let round = 0; round < 5; round++) {
      await publish(4);
      f.clock.advance(INTERVAL_MS);
      // Both processes wake at the same moment, in either order.
      const [x, y] = round % 2 === 0 ? [f.sealer, b] : [b, f.sealer];
      const results = await Promise.all([x.tick(), y.tick()]);
      signedBy.push(results.flatMap((cp, i) => (cp ? [[x, y][i]!.holder] : [])));
    }
    assert.deepEqual(signedBy, [['sealer-a'], ['sealer-a'], ['sealer-a'], ['sealer-a'], ['sealer-a']]);
    assert.equal((await f.store.audit.listCheckpoints()).length, 5);
    const r = await verifyTrail(f.store.audit, f.jwks);
    assert.deepEqual(r, { ok: true, events: 25, checkpoints: 5, unsealed: 0 });
  });

  it('signs at most once per interval, and not at all while the trail is idle', async () => {
    await publish(2);
    assert.ok(await f.sealer.tick());
    await publish(2);
    f.clock.advance(INTERVAL_MS - 1);
    assert.equal(await f.sealer.tick(), null, 'inside the interval');
    f.clock.advance(1);
    assert.ok(await f.sealer.tick(), 'interval elapsed with new events');
    f.clock.advance(10 * INTERVAL_MS);
    assert.equal(await f.sealer.tick(), null, 'idle: nothing new since the last checkpoint');
    assert.equal((await f.store.audit.listCheckpoints()).length, 2);
  });

  it('hands over on stop (lease released), and after expiry when the leader dies', async () => {
    await publish(1);
    assert.ok(await f.sealer.tick());
    await f.sealer.stop();
    await publish(1);
    f.clock.advance(INTERVAL_MS);
    const byB = await b.tick();
    assert.ok(byB, 'b takes over at once after a clean stop');
    assert.equal(byB.seq, 4);

    // b "dies" (no stop, no renewals): a cannot take over until the lease expires.
    await publish(1);
    f.clock.advance(INTERVAL_MS);
    assert.equal(await f.sealer.tick(), null);
    f.clock.advance(b.leaseTtlMs);
    const byA = await f.sealer.tick();
    assert.ok(byA, 'a takes over after expiry');
    assert.equal(await other.kv.acquireLease(SEALER_LEASE, 'sealer-b', 1000, f.clock.now()), false);
    const r = await verifyTrail(f.store.audit, f.jwks);
    assert.deepEqual([r.ok, r.checkpoints, r.unsealed], [true, 3, 0]);
  });

  it('a new leader continues from the checkpoints the previous one stored', async () => {
    await publish(1);
    await b.tick();
    await b.stop();
    f.clock.advance(1000); // inside b's interval: a must not sign again so soon
    await publish(1);
    assert.equal(await f.sealer.tick(), null);
    f.clock.advance(INTERVAL_MS);
    const cp = await f.sealer.tick();
    assert.ok(cp);
    const ev = (await f.store.audit.range(cp.seq, cp.seq, 1))[0]!;
    assert.equal((ev.detail as { previousCheckpointSeq: number }).previousCheckpointSeq, 2);
  });

  it('runs in the background with start() and stops cleanly', async () => {
    const s = new AuditSealer({
      store: f.store,
      signingKey: () => f.keys.signingKey(),
      state: 'XAA',
      clock: { now: () => Date.now() },
      intervalMs: 20,
      events: f.bus,
      holder: 'bg',
    });
    await f.bus.publish(event(1, f.clock));
    s.start();
    await until('a checkpoint', async () => (await f.store.audit.listCheckpoints()).length > 0, 3000, 10);
    await s.stop();
    const cps = await f.store.audit.listCheckpoints();
    assert.equal(cps.length, 1);
    assert.equal(
      await f.store.kv.acquireLease(SEALER_LEASE, 'someone-else', 1000, Date.now()),
      true,
      'stop() released the lease',
    );
  });
});
