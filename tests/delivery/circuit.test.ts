import { strict as assert } from 'node:assert';
import { admit, change, CLOSED, onFailure, onSuccess, parseCircuit } from '../../src/domain/delivery/circuit.js';
import { startDeliveryWorker } from '../../src/features/delivery/worker.js';
import type { OutboundRecord } from '../../src/ports/store/index.js';
import { HOURS, storeNotification, waitFor } from './fixture.js';
import { rig, type Rig } from './setup.js';

const S = { failureThreshold: 3, probeIntervalMs: 1000, probeLeaseMs: 5000 };
const T0 = Date.UTC(2026, 11, 7, 4, 0);

describe('delivery: per-partner circuit, pure rules (frozen clock)', () => {
  it('opens after N consecutive transient failures, a success in between resets the count', () => {
    let c = onFailure(CLOSED, T0, 'http_503', S);
    c = onFailure(c, T0, 'http_503', S);
    assert.equal(c.phase, 'closed');
    assert.equal(onSuccess(c).failures, 0, 'one answer resets the count');
    const open = onFailure(c, T0 + 5, 'ECONNREFUSED', S);
    assert.deepEqual(open, {
      phase: 'open',
      failures: 3,
      openedAt: T0 + 5,
      probeAt: T0 + 5 + 1000,
      lastFailure: 'ECONNREFUSED',
    });
    assert.equal(change(c, open), 'opened');
  });

  it('while open: wait until the probe is due, then exactly one probe (half-open with a lease)', () => {
    const open = onFailure(onFailure(onFailure(CLOSED, T0, 'x', S), T0, 'x', S), T0, 'x', S);
    assert.deepEqual(admit(open, T0 + 400, S), { go: false, waitMs: 600 });
    const probe = admit(open, T0 + 1000, S);
    assert.ok(probe.go && probe.probe);
    const half = probe.next;
    assert.equal(half.phase, 'half_open');
    assert.deepEqual(admit(half, T0 + 1001, S), { go: false, waitMs: 4999 }, 'a second caller waits');
    const again = admit(half, T0 + 6000, S);
    assert.ok(again.go && again.probe, 'a dead prober does not keep the circuit shut past its lease');
    const failedProbe = onFailure(half, T0 + 1500, 'timeout', S);
    assert.equal(failedProbe.phase, 'open');
    assert.equal(failedProbe.probeAt, T0 + 2500);
    assert.equal(failedProbe.openedAt, T0, 'open since the first opening');
    assert.equal(change(half, onSuccess(half)), 'closed');
    assert.deepEqual(admit(CLOSED, T0, S), { go: true, probe: false });
  });

  it('reads anything unreadable as closed (attempts go on rather than stall)', () => {
    assert.deepEqual(parseCircuit(null), CLOSED);
    assert.deepEqual(parseCircuit('{nope'), CLOSED);
    assert.deepEqual(parseCircuit('{"phase":"weird"}'), CLOSED);
    const open = onFailure(onFailure(onFailure(CLOSED, T0, 'x', S), T0, 'x', S), T0, 'x', S);
    assert.deepEqual(parseCircuit(JSON.stringify(open)), open);
  });
});

describe('delivery: per-partner circuit (real Redis, real partner that fails then recovers)', function () {
  this.timeout(30_000);
  let r: Rig | null = null;
  const workers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    await r?.teardown();
    r = null;
  });

  const circuitRig = (concurrency: number): Promise<Rig> =>
    rig({
      delivery: {
        backoffBaseMs: 20,
        backoffCapMs: 100,
        circuitFailureThreshold: 3,
        circuitProbeIntervalMs: 300,
        // Far beyond the test: a job that is not released explicitly would not be delivered in time.
        circuitParkMs: 120_000,
      },
      worker: { concurrency },
    });

  async function gauge(x: Rig): Promise<string | undefined> {
    const text = await x.ctx.metrics.text();
    return /tnx_partner_circuit_state\{partner="GBR"\} (\d)/.exec(text)?.[1];
  }

  async function auditActions(x: Rig, action: string): Promise<number> {
    const page = await x.ctx.store.audit.query({ action }, { limit: 100 });
    return page.items.filter((e) => e.action === action).length;
  }

  it('opens, spends no retries while open, closes on a probe and releases the backlog in departure order', async () => {
    r = await circuitRig(1);
    let down = true;
    r.receiver!.answer = () => (down ? { status: 503 } : 'ok');
    const base = Date.now() + 6 * HOURS;
    // Shuffled departures, one minute apart.
    const offsets = [7, 2, 11, 0, 5, 9, 1, 13, 4, 8, 12, 3, 10, 6];
    const recs: OutboundRecord[] = [];
    for (const o of offsets) recs.push(await storeNotification(r.ctx, base + o * 60_000));
    for (const rec of recs) await r.queue.enqueue(rec);

    await waitFor('the circuit to open', async () => (await gauge(r!)) === '2');
    const atOpen = r.receiver!.bodies.length;
    // Three probe intervals while the partner stays down (bounded observation, not a sleep-and-hope).
    await waitFor('three probes', async () => r!.receiver!.bodies.length >= atOpen + 3, 5000);
    const whileOpen = r.receiver!.bodies.length;
    const attempts = (await Promise.all(recs.map((x) => r!.ctx.store.outbound.get(x.id)))).reduce(
      (n, x) => n + (x?.attempts ?? 0),
      0,
    );
    assert.equal(attempts, whileOpen, 'every request the partner saw is an attempt on record');
    assert.ok(
      whileOpen <= 3 + 1 + 4,
      `threshold + the jobs in flight + probes only, not ${recs.length} jobs retrying every 100 ms (${whileOpen})`,
    );

    down = false;
    const recovered = Date.now();
    await waitFor(
      'every notification delivered',
      async () => {
        const all = await Promise.all(recs.map((x) => r!.ctx.store.outbound.get(x.id)));
        return all.every((x) => x?.state === 'delivered');
      },
      10_000,
    );
    const drainMs = Date.now() - recovered;
    assert.ok(drainMs < 5000, `released at once, not after circuitParkMs (${drainMs} ms)`);
    assert.equal(await gauge(r), '0');

    // After the probe, the released jobs went out earliest departure first.
    const opened = r.receiver!.opened;
    const released = opened.slice(opened.length - (recs.length - 1));
    const departure = new Map(recs.map((x) => [x.id, x.departureAt!]));
    const deps = released.map((id) => departure.get(id)!);
    assert.deepEqual(
      deps,
      [...deps].sort((a, b) => a - b),
      'departure order after the release',
    );
    assert.equal(await auditActions(r, 'partner.circuit_opened'), 1);
    assert.equal(await auditActions(r, 'partner.circuit_closed'), 1);
  });

  it('the probe goes to the earliest-departing waiting job: the whole backlog, probe included, in order', async () => {
    // A probe interval long enough that the backlog is enqueued well inside one.
    r = await rig({
      delivery: {
        backoffBaseMs: 20,
        backoffCapMs: 100,
        circuitFailureThreshold: 3,
        circuitProbeIntervalMs: 2000,
        circuitParkMs: 120_000,
      },
      worker: { concurrency: 1 },
    });
    let down = true;
    r.receiver!.answer = () => (down ? { status: 503 } : 'ok');
    const base = Date.now() + 6 * HOURS;
    // The job whose failures open the circuit departs last.
    const last = await storeNotification(r.ctx, base + 60 * 60_000);
    const backlog: OutboundRecord[] = [];
    for (const o of [7, 2, 11, 0, 5, 9, 1]) backlog.push(await storeNotification(r.ctx, base + o * 60_000));
    await r.queue.enqueue(last);
    // Open, and `last` back once since (its short retry delay): it is the job due back for the probe.
    await waitFor('the circuit to open and its opener to wait for the probe', async () => {
      const job = await r!.queue.queue.getJob(last.id);
      return (await gauge(r!)) === '2' && (job?.attemptsStarted ?? 0) >= 4 && (await job?.isDelayed()) === true;
    });
    // The backlog arrives while the circuit is open: every job meets it and waits.
    for (const rec of backlog) await r.queue.enqueue(rec);
    const recs = [last, ...backlog];
    await waitFor('every job waiting on the circuit', async () => {
      return (await r!.queue.queue.getJobCountByTypes('delayed')) === recs.length;
    });
    // At least one probe while the partner is still down, with the whole backlog waiting.
    const probes = r.receiver!.bodies.length;
    await waitFor('a probe while down', async () => r!.receiver!.bodies.length > probes, 6000);

    down = false;
    await waitFor(
      'every notification delivered',
      async () => {
        const all = await Promise.all(recs.map((x) => r!.ctx.store.outbound.get(x.id)));
        return all.every((x) => x?.state === 'delivered');
      },
      10_000,
    );
    const departure = new Map(recs.map((x) => [x.id, x.departureAt!]));
    const deps = r.receiver!.opened.map((id) => departure.get(id)!);
    assert.equal(deps.length, recs.length);
    assert.deepEqual(
      deps.map((d) => Math.round((d - base) / 60_000) || 0),
      [0, 1, 2, 5, 7, 9, 11, 60],
      'the probe that succeeded was the earliest departure, and the release followed in order',
    );
  });

  it('a waiting job that disappears (cancelled, discarded) strands nobody: the next one probes', async () => {
    r = await rig({
      delivery: {
        backoffBaseMs: 20,
        backoffCapMs: 100,
        circuitFailureThreshold: 3,
        circuitProbeIntervalMs: 1000,
        circuitParkMs: 120_000,
      },
      worker: { concurrency: 1 },
    });
    let down = true;
    r.receiver!.answer = () => (down ? { status: 503 } : 'ok');
    const base = Date.now() + 6 * HOURS;
    // `first` opens the circuit and departs first: the job due back to probe.
    const first = await storeNotification(r.ctx, base);
    const other = await storeNotification(r.ctx, base + 60 * 60_000);
    await r.queue.enqueue(first);
    await waitFor('the circuit to open with its opener waiting', async () => {
      const job = await r!.queue.queue.getJob(first.id);
      return (await gauge(r!)) === '2' && (await job?.isDelayed()) === true;
    });
    await r.queue.enqueue(other);
    await waitFor('the second job waiting on the circuit', async () => {
      const job = await r!.queue.queue.getJob(other.id);
      return (job?.attemptsStarted ?? 0) >= 1 && (await job?.isDelayed()) === true;
    });
    // The prober-to-be leaves the queue (an operator's cancel removes the job the same way).
    assert.equal(await r.queue.cancel(first.id), true);
    down = false;
    const back = Date.now();
    await waitFor(
      'the other job delivered',
      async () => (await r!.ctx.store.outbound.get(other.id))?.state === 'delivered',
      10_000,
    );
    const ms = Date.now() - back;
    assert.ok(ms < 5000, `probed within a few probe intervals, not after circuitParkMs (${ms} ms)`);
    assert.equal(await auditActions(r, 'partner.circuit_closed'), 1);
  });

  it('survives a restart of the worker: the open circuit is found in Redis, not rebuilt by fresh failures', async () => {
    r = await circuitRig(2);
    let down = true;
    r.receiver!.answer = () => (down ? { status: 503 } : 'ok');
    const recs: OutboundRecord[] = [];
    for (let i = 0; i < 6; i += 1) recs.push(await storeNotification(r.ctx, Date.now() + (10 + i) * HOURS));
    for (const rec of recs) await r.queue.enqueue(rec);
    await waitFor('the circuit to open', async () => (await gauge(r!)) === '2');
    // Every job asleep on the circuit (`circuitParkMs`, 120 s): only the new worker's probe clock,
    // armed from the circuit it finds in Redis at start, can wake one to probe.
    await waitFor('every job waiting on the circuit', async () => {
      return (await r!.queue.queue.getJobCountByTypes('delayed')) === recs.length;
    });
    await r.worker.close();

    // A new worker process (same Redis, same store): it must not start by sending the whole backlog.
    const before = r.receiver!.bodies.length;
    const second = startDeliveryWorker(r.ctx, {
      queue: r.queue,
      random: () => 0.5,
      atRiskScanIntervalMs: 0,
      depthIntervalMs: 0,
      shutdownTimeoutMs: 3000,
      concurrency: 2,
    });
    workers.push(second);
    await waitFor('a probe from the new worker', async () => r!.receiver!.bodies.length > before + 1, 5000);
    // Open (2) between probes, half-open (1) while the next probe is in flight: either way not closed
    // (0), which is what a worker rebuilding the circuit from fresh failures would start from.
    assert.notEqual(await gauge(r), '0', 'the new worker reads the open circuit');
    const seen = r.receiver!.bodies.length - before;
    assert.ok(seen <= 3, `probes only after the restart (${seen})`);
    down = false;
    await waitFor(
      'every notification delivered',
      async () => {
        const all = await Promise.all(recs.map((x) => r!.ctx.store.outbound.get(x.id)));
        return all.every((x) => x?.state === 'delivered');
      },
      10_000,
    );
    assert.equal(await auditActions(r, 'partner.circuit_opened'), 1, 'opened once, across the restart');
    assert.equal(await auditActions(r, 'partner.circuit_closed'), 1);
  });
});
