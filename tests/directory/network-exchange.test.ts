/**
 * Whole gateways on loopback following one coordinator's signed directory, refreshed every second:
 * five states exchange pairwise; a sixth joins with no edit on anyone's side; one rotates its keys
 * (pre-publication, overlap, retirement) while notifications flow both ways and none fails; one is
 * removed — its messages are refused afterwards and what was queued to it fails `partner_removed`
 * with an alert on the webhook; and the coordinator goes away for longer than the refresh interval —
 * deliveries continue on the last good copy, a stale alert goes out, and the gateways recover when it
 * returns. Real Redis, SQLite, HTTP and JOSE throughout; each wait is on an observable outcome.
 */
import assert from 'node:assert/strict';
import { systemClock } from '../../src/core/clock.js';
import { retireKey, rotateKeySet } from '../../src/domain/keys/rotate.js';
import { writePrivateJwksFile } from '../../src/domain/keys/files.js';
import type { OutboundRecord } from '../../src/ports/store/index.js';
import { TERMINAL_STATES } from '../../src/ports/store/index.js';
import { until } from '../harness/poll.js';
import { tempDir } from '../harness/tmp.js';
import { Network } from './network-harness.js';

interface Sent {
  from: string;
  to: string;
  id: string;
}

const FIVE = ['USA', 'GBR', 'FRA', 'THA', 'DEU'] as const;
const INTERVAL_S = 1;
/** Scheduling slack on a loaded CI machine, on top of one refresh interval. */
const SLACK_MS = 2500;

describe('directory: a network of gateways following one coordinator', function () {
  this.timeout(180_000);
  const net = new Network(tempDir('tnx-netx'), INTERVAL_S);
  const sent: Sent[] = [];

  async function record(s: Sent): Promise<OutboundRecord | null> {
    const g = net.states.get(s.from)?.gateway;
    return g ? g.ctx.store.outbound.get(s.id) : null;
  }

  /** Wait until every message is in a final state; return the states by id. */
  async function settle(list: readonly Sent[], timeoutMs = 60_000): Promise<Map<string, OutboundRecord>> {
    const out = new Map<string, OutboundRecord>();
    await until(
      `${list.length} messages settled`,
      async () => {
        for (const s of list) {
          if (out.has(s.id)) continue;
          const r = await record(s);
          if (r && TERMINAL_STATES.includes(r.state)) out.set(s.id, r);
        }
        return out.size === list.length;
      },
      timeoutMs,
      50,
    );
    return out;
  }

  function assertDelivered(list: readonly Sent[], got: Map<string, OutboundRecord>): void {
    const bad = list
      .map((s) => ({ ...s, r: got.get(s.id)! }))
      .filter((x) => x.r.state !== 'delivered')
      .map((x) => `${x.from}→${x.to} ${x.r.state} ${x.r.lastError ?? ''}`);
    assert.deepEqual(bad, [], 'every notification delivered');
  }

  async function send(from: string, to: string): Promise<Sent> {
    const s = { from, to, id: await net.send(from, to) };
    sent.push(s);
    return s;
  }

  async function allHold(serial: number, states: readonly string[]): Promise<number> {
    const t0 = Date.now();
    await until(`serial ${serial} applied by ${states.join(', ')}`, () =>
      states.every((s) => net.gateway(s).ctx.network!.status().serial === serial),
    );
    return Date.now() - t0;
  }

  before(async function () {
    this.timeout(120_000);
    await net.start();
    for (const s of FIVE) await net.addState(s);
    await net.publish();
    await Promise.all(FIVE.map((s) => net.startGateway(s)));
  });
  after(async function () {
    this.timeout(60_000);
    await net.stop();
  });

  it('five gateways exchange notifications pairwise from the signed directory alone', async () => {
    const batch = await Promise.all(FIVE.flatMap((a) => FIVE.filter((b) => b !== a).map((b) => send(a, b))));
    assert.equal(batch.length, 20);
    assertDelivered(batch, await settle(batch));
  });

  it('a sixth state added by the coordinator exchanges with all five within one refresh interval', async () => {
    await net.addState('JPN');
    await net.startGateway('JPN');
    const serial = await net.publish();
    const t0 = Date.now();
    await until('every gateway knows JPN', () => FIVE.every((s) => net.gateway(s).ctx.directory.partner('JPN')));
    const tookMs = Date.now() - t0;
    console.log(`      (JPN known by all five ${tookMs} ms after publication; interval ${INTERVAL_S * 1000} ms)`);
    assert.ok(tookMs <= INTERVAL_S * 1000 + SLACK_MS, `took ${tookMs} ms`);
    await allHold(serial, [...FIVE, 'JPN']);
    const batch = await Promise.all(FIVE.flatMap((s) => [send('JPN', s), send(s, 'JPN')]));
    assertDelivered(batch, await settle(batch));
  });

  it('USA rotates its keys (pre-publication, overlap, retirement) while notifications flow; none fails', async () => {
    const usa = net.states.get('USA')!;
    const oldSig = usa.keys.keys.find((k) => k.use === 'sig')!.kid;
    const oldEnc = usa.keys.keys.find((k) => k.use === 'enc')!.kid;
    const flow: Sent[] = [];
    let pumping = true;
    const pump = (async () => {
      const peers = ['GBR', 'FRA', 'DEU', 'JPN'];
      for (let i = 0; pumping; i += 1) {
        const peer = peers[i % peers.length]!;
        const jobs = [send(peer, 'USA')];
        if (usa.gateway) jobs.push(send('USA', peer));
        for (const r of await Promise.allSettled(jobs)) if (r.status === 'fulfilled') flow.push(r.value);
        await new Promise((r) => setTimeout(r, 120));
      }
    })();

    // 1. The state rotates and restarts on old + new keys: it opens both, signs with the listed (old) one.
    const { jwks: rotated, added } = await rotateKeySet(usa.keys, systemClock);
    const newSig = added.find((k) => k.use === 'sig')!.kid;
    const newEnc = added.find((k) => k.use === 'enc')!.kid;
    writePrivateJwksFile(usa.keysPath, rotated, { overwrite: true });
    await net.stopGateway('USA');
    await net.startGateway('USA');
    assert.equal(net.gateway('USA').ctx.keys.signingKey().kid, oldSig, 'signs with the key partners know');

    // 2. Pre-publication: the coordinator lists the new keys, usable only from notBefore.
    const notBefore = Date.now() + 4000;
    usa.keys = rotated;
    usa.keyMarks[newSig] = { tnx_not_before: new Date(notBefore).toISOString() };
    usa.keyMarks[newEnc] = { tnx_not_before: new Date(notBefore).toISOString() };
    const prepublished = await net.publish();
    await allHold(prepublished, [...FIVE.filter((s) => s !== 'THA'), 'JPN']);
    if (Date.now() < notBefore) {
      assert.equal((await net.gateway('GBR').ctx.directory.encryptionKey('USA'))?.kid, oldEnc);
      assert.equal(net.gateway('USA').ctx.keys.signingKey().kid, oldSig);
    }
    // 3. Overlap: from notBefore partners seal to the new key and USA signs with it; old keys still work.
    await until('partners seal to the new key and USA signs with it', async () => {
      const enc = await net.gateway('GBR').ctx.directory.encryptionKey('USA');
      return enc?.kid === newEnc && net.gateway('USA').ctx.keys.signingKey().kid === newSig;
    });
    assert.ok(await net.gateway('FRA').ctx.directory.verificationKey(oldSig), 'old key still accepted in overlap');

    // 4. Retirement, once nothing in flight was signed with or sealed to the old keys.
    await settle([...flow]);
    usa.keyMarks[oldSig] = { tnx_retired: new Date().toISOString() };
    usa.keyMarks[oldEnc] = { tnx_retired: new Date().toISOString() };
    const retired = await net.publish();
    await allHold(retired, ['GBR', 'FRA', 'DEU', 'JPN', 'USA']);
    assert.equal(await net.gateway('FRA').ctx.directory.verificationKey(oldSig), undefined, 'old key accepted nowhere');
    const before = flow.length;
    await until('more notifications after retirement', () => flow.length >= before + 6);
    pumping = false;
    await pump;

    const got = await settle(flow);
    console.log(`      (${flow.length} notifications across the rollover)`);
    assert.ok(flow.length >= 20, `only ${flow.length} notifications flowed`);
    assert.ok(flow.some((s) => s.from === 'USA') && flow.some((s) => s.to === 'USA'), 'notifications flowed both ways');
    assertDelivered(flow, got);

    // The state retires the old keys in its own key set too; then its entry lists every key it holds.
    assert.deepEqual(net.gateway('USA').ctx.network!.status().ownKeysMissing.sort(), [oldEnc, oldSig].sort());
    writePrivateJwksFile(usa.keysPath, retireKey(retireKey(rotated, oldSig, systemClock), oldEnc, systemClock), {
      overwrite: true,
    });
    await net.stopGateway('USA');
    await net.startGateway('USA');
    assert.deepEqual(net.gateway('USA').ctx.network!.status().ownKeysMissing, []);
    assert.equal(net.gateway('USA').ctx.keys.signingKey().kid, newSig);
  });

  it('THA removed: queued messages to it fail partner_removed with an alert; its messages are refused', async () => {
    // THA's gateway is down, so what is sent to it waits in the retry schedule.
    await net.stopGateway('THA');
    const queued = [await send('USA', 'THA'), await send('GBR', 'THA')];
    await until('both retrying', async () => {
      const rs = await Promise.all(queued.map(record));
      return rs.every((r) => r?.state === 'retrying');
    });
    const members = [...net.states.keys()].filter((s) => s !== 'THA');
    const serial = await net.publish(members);
    const t0 = Date.now();
    await until('THA gone everywhere', () => members.every((s) => !net.gateway(s).ctx.directory.partner('THA')));
    const tookMs = Date.now() - t0;
    console.log(`      (THA removed everywhere ${tookMs} ms after publication)`);
    assert.ok(tookMs <= INTERVAL_S * 1000 + SLACK_MS, `took ${tookMs} ms`);

    const got = await settle(queued, 20_000);
    for (const s of queued) {
      assert.equal(got.get(s.id)!.state, 'failed');
      assert.equal(got.get(s.id)!.lastError, 'partner_removed');
      await until(`alert for ${s.id}`, () =>
        net.sink.find((a) => a.messageId === s.id && a.kind === 'failed' && a.reason === 'partner_removed'),
      );
    }

    // THA comes back on its own: everything it sends is refused by the gateways that dropped it.
    await net.startGateway('THA');
    await allHold(serial, ['THA']);
    const refused = await send('THA', 'USA');
    const r = (await settle([refused])).get(refused.id)!;
    assert.equal(r.state, 'failed');
    assert.match(r.lastError ?? '', /^http_4\d\d/);
    await net.stopGateway('THA');
    assert.equal(net.gateway('USA').ctx.directory.partner('THA'), undefined);
  });

  it('a hostile document is refused everywhere with an alert on the webhook; the last good one stays', async () => {
    const members = [...net.states.keys()].filter((s) => s !== 'THA');
    const held = net.gateway('USA').ctx.network!.status().serial;
    // The document held, one signature byte flipped: bytes the coordinator never signed.
    const [h, p, sig] = net.coord.body.split('.');
    const flipped = Buffer.from(sig!, 'base64url');
    flipped[0] = flipped[0]! ^ 0xff;
    net.coord.body = `${h}.${p}.${flipped.toString('base64url')}`;
    await until('refused alert from every gateway', () =>
      members.every((m) =>
        net.sink.find(
          (a) =>
            a.kind === 'directory' &&
            a.reason === 'refused' &&
            a.state === m &&
            (a.detail as { code?: string }).code === 'directory_signature_invalid',
        ),
      ),
    );
    for (const m of members) assert.equal(net.gateway(m).ctx.network!.status().serial, held);
  });

  it('the coordinator unreachable past nextUpdate: deliveries continue, a stale alert goes out, then recovery', async () => {
    const members = [...net.states.keys()].filter((s) => s !== 'THA');
    const short = await net.publish(members, { nextUpdateMs: 2500 });
    await allHold(short, members);
    net.coord.up = false;
    const downAt = Date.now();
    await until(
      'stale alert on the webhook',
      () => net.sink.find((a) => a.kind === 'directory' && a.reason === 'stale' && a.state === 'USA'),
      20_000,
    );
    const s = net.gateway('USA').ctx.network!.status();
    assert.equal(s.stale, true);
    assert.equal(s.serial, short);
    assert.equal(s.lastError?.code, 'directory_unavailable');
    assert.ok(Date.now() - downAt > INTERVAL_S * 1000, 'down longer than one interval');

    const during = await Promise.all([send('USA', 'GBR'), send('FRA', 'JPN'), send('DEU', 'USA')]);
    assertDelivered(during, await settle(during));

    net.coord.up = true;
    const fresh = await net.publish(members);
    await allHold(fresh, members);
    await until('healthy again', () => members.every((m) => net.gateway(m).ctx.network!.status().healthy));
    const after = await Promise.all([send('GBR', 'USA'), send('JPN', 'FRA')]);
    assertDelivered(after, await settle(after));
  });
});
