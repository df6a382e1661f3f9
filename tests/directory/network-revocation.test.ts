/**
 * A signing key revoked in the signed network directory, end to end, with whole gateways on loopback
 * (SPEC §14.5, §14.5a; docs/keys-and-directory.md "Compromise"):
 *   - the receiver applies the issue that marks GBR's signing key `tnx_revoked` within one refresh
 *     interval, while it runs;
 *   - messages GBR sealed with that key BEFORE the revocation and resends afterwards, and a message
 *     GBR (still configured with the old key) seals afterwards, are refused by the receiver with
 *     `unknown_key` (400) — the very bytes it accepted before — and fail at GBR at once with the
 *     permanent failure class `http_400` (`lastError` `http_400/unknown_key`) and a `failed` alert on
 *     the webhook, not after a retry budget;
 *   - GBR is told its own key is no longer listed (`own_keys_missing`);
 *   - the revocation touches nothing else: FRA still delivers to USA; GBR's receipts, signed with the
 *     revoked key, are refused (`receipt_invalid`) until GBR signs with a new one.
 * Real Redis, SQLite, HTTP and JOSE; each wait is on an observable outcome.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { OutboundRecord } from '../../src/ports/store/index.js';
import { TERMINAL_STATES } from '../../src/ports/store/index.js';
import { until } from '../harness/poll.js';
import { tempDir } from '../harness/tmp.js';
import { Network } from './network-harness.js';

const INTERVAL_S = 1;
/** Scheduling slack on a loaded CI machine, on top of one refresh interval. */
const SLACK_MS = 2500;

describe('directory: a signing key revoked in the network directory', function () {
  this.timeout(180_000);
  const net = new Network(tempDir('tnx-netrev'), INTERVAL_S);

  async function record(from: string, id: string): Promise<OutboundRecord | null> {
    return net.gateway(from).ctx.store.outbound.get(id);
  }

  async function settled(from: string, id: string, timeoutMs = 30_000): Promise<OutboundRecord> {
    return until(
      `${from} ${id} settled`,
      async () => {
        const r = await record(from, id);
        return r && TERMINAL_STATES.includes(r.state) ? r : null;
      },
      timeoutMs,
      50,
    );
  }

  async function inboundOutcome(state: string, outcome: string): Promise<number> {
    const text = (await request(net.gateway(state).metricsUrl!).get('/metrics').expect(200)).text;
    let n = 0;
    for (const m of text.matchAll(/^tnx_inbound_total\{([^}]*)\} (\d+)$/gm))
      if (m[1]!.includes(`outcome="${outcome}"`)) n += Number(m[2]);
    return n;
  }

  /** POST the exact sealed bytes to a gateway's inbox, as a sender resending them would. */
  async function resend(to: string, jwe: string): Promise<{ status: number; code: string | undefined }> {
    const r = await request(net.gateway(to).url!)
      .post('/tnx/v1/messages')
      .set('Content-Type', 'application/jose')
      .send(jwe);
    return { status: r.status, code: (r.body as { code?: string }).code };
  }

  before(async function () {
    this.timeout(120_000);
    await net.start();
    for (const s of ['USA', 'GBR', 'FRA']) await net.addState(s);
    await net.publish();
    for (const s of ['USA', 'GBR', 'FRA']) await net.startGateway(s);
  });
  after(async function () {
    this.timeout(60_000);
    await net.stop();
  });

  it('refuses what the revoked key signed, fails the queue with http_400/unknown_key and an alert, and nothing else', async () => {
    const gbr = net.states.get('GBR')!;
    const oldSig = gbr.keys.keys.find((k) => k.use === 'sig')!.kid;

    // Before: GBR → USA delivered; the same bytes sent again are a duplicate, answered with a receipt.
    const first = await net.send('GBR', 'USA');
    const delivered = await settled('GBR', first);
    assert.equal(delivered.state, 'delivered');
    const replayedBefore = await resend('USA', delivered.jwe!);
    assert.equal(replayedBefore.status, 200, 'a resend before the revocation is accepted (de-duplicated)');

    // Two messages sealed by GBR with its current key wait while USA is down; GBR then stops too, so
    // they are resent only after the revocation.
    await net.stopGateway('USA');
    const queued = [await net.send('GBR', 'USA'), await net.send('GBR', 'USA')];
    await until('both sealed and retrying', async () => {
      const rs = await Promise.all(queued.map((id) => record('GBR', id)));
      return rs.every((r) => r?.state === 'retrying' && r.jwe !== null);
    });
    await net.stopGateway('GBR');
    await net.startGateway('USA');
    const refusedBefore = await inboundOutcome('USA', 'unknown_key');

    // The coordinator revokes GBR's signing key; the running receiver applies it within one refresh.
    gbr.keyMarks[oldSig] = { tnx_revoked: new Date().toISOString() };
    const serial = await net.publish();
    const t0 = Date.now();
    await until('USA and FRA applied the revocation', () =>
      ['USA', 'FRA'].every((s) => net.gateway(s).ctx.network!.status().serial === serial),
    );
    const tookMs = Date.now() - t0;
    console.log(`      (revocation applied ${tookMs} ms after publication; interval ${INTERVAL_S * 1000} ms)`);
    assert.ok(tookMs <= INTERVAL_S * 1000 + SLACK_MS, `took ${tookMs} ms`);
    assert.equal(await net.gateway('USA').ctx.directory.verificationKey(oldSig), undefined);

    // The very bytes USA accepted before are refused now, with the typed error.
    const replayedAfter = await resend('USA', delivered.jwe!);
    assert.deepEqual(replayedAfter, { status: 400, code: 'unknown_key' });

    // GBR comes back still holding (and signing with) the revoked key: the messages it sealed before are
    // resent and refused, and so is one it seals now. Each fails at once — permanent, not retried.
    await net.startGateway('GBR');
    assert.equal(net.gateway('GBR').ctx.keys.signingKey().kid, oldSig, 'GBR still signs with the revoked key');
    const after = await net.send('GBR', 'USA');
    for (const id of [...queued, after]) {
      const r = await settled('GBR', id);
      assert.equal(r.state, 'failed', `${id} failed`);
      assert.equal(r.lastError, 'http_400/unknown_key', 'the status and the problem code the receiver gave');
      await until(`failed alert for ${id}`, () =>
        net.sink.find((a) => a.messageId === id && a.kind === 'failed' && a.reason === 'http_400'),
      );
    }
    assert.ok(
      (await inboundOutcome('USA', 'unknown_key')) >= refusedBefore + 4,
      'USA counted the refusals as unknown_key',
    );
    for (const id of [...queued, after]) {
      const jwe = (await record('GBR', id))!.jwe!;
      assert.deepEqual(await resend('USA', jwe), { status: 400, code: 'unknown_key' });
    }

    // GBR's operator is told its entry no longer lists its signing key.
    await until('own_keys_missing alert from GBR', () =>
      net.sink.find(
        (a) =>
          a.kind === 'directory' &&
          a.reason === 'own_keys_missing' &&
          a.state === 'GBR' &&
          ((a.detail as { kids?: string[] }).kids ?? []).includes(oldSig),
      ),
    );

    // Only that key is out: FRA still delivers to USA. What USA sends to GBR still reaches it (GBR's
    // encryption key is not revoked), but GBR's receipt is signed with the revoked key: USA refuses it
    // (receipt_invalid, permanent) — a state must sign with a new key before it can exchange again.
    const fra = await net.send('FRA', 'USA');
    const toGbr = await net.send('USA', 'GBR');
    assert.equal((await settled('FRA', fra)).state, 'delivered');
    const receiptRefused = await settled('USA', toGbr);
    assert.equal(receiptRefused.state, 'failed');
    assert.match(receiptRefused.lastError ?? '', /^receipt_invalid/);
  });
});
