/**
 * kill -9 between storing a travel report and submitting its notifications. A USA gateway with the
 * national registry runs as a real child process (`tnx serve`) with the test-only crash point
 * `TNX_TEST_CRASH_AT=travel-report-stored` (src/core/crash-point.ts): it stores the report and kills
 * itself with SIGKILL before any notification exists. Restarted without the variable, its recovery
 * job submits the missing notifications — each once, under the id the report holds — FRA and THA
 * (real gateways) receive each exactly once, and the audit trail verifies.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { main } from '../../src/cli/main.js';
import type { Role, TnxConfigInput } from '../../src/config/schema.js';
import { sha256Hex } from '../../src/http/auth.js';
import { openStore } from '../../src/runtime/open-store.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { FAST, federation, serveChild, start, until } from './federation.js';
import { registrantBody, travelBody } from '../national/samples.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';
import { tempDir } from '../harness/tmp.js';

const DAY = 86_400_000;

describe('e2e: kill -9 between a travel report and its notifications', function () {
  this.timeout(90_000);
  const closers: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  });

  it('the recovery job submits the notifications once after a restart; the trail verifies', async () => {
    const dir = tempDir('tnx-tr-crash');
    const token = `registry-${randomBytes(16).toString('base64url')}`;
    const f = await federation(
      ['USA', 'FRA', 'THA'] as const,
      {
        ...FAST,
        registry: {
          kekPath: keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() })),
          indexKeyPath: keyFile(dir, 'index.key', `${secret()}\n`),
        },
        auth: { tokens: [{ id: 'registry-1', role: 'registry' as Role, sha256: sha256Hex(token) }] },
        travelReports: { recoveryIntervalSeconds: 1, recoveryMinAgeSeconds: 2 },
        log: { level: 'warn' },
      } as Partial<TnxConfigInput>,
    );
    const fra: RunningGateway = await start(f.FRA);
    closers.push(() => fra.close());
    const tha: RunningGateway = await start(f.THA);
    closers.push(() => tha.close());

    const crashing = await serveChild(f.USA.setup.configPath, [], { TNX_TEST_CRASH_AT: 'travel-report-stored' });
    closers.push(async () => crashing.child.kill('SIGKILL'));
    const reg = await request(crashing.url!)
      .post('/api/v1/registrants')
      .set('Authorization', `Bearer ${token}`)
      .send(registrantBody());
    assert.equal(reg.status, 201, reg.text);
    const now = Date.now();
    await assert.rejects(
      request(crashing.url!)
        .post(`/api/v1/registrants/${reg.body.id as string}/travel-reports`)
        .set('Authorization', `Bearer ${token}`)
        .send({ travel: travelBody(now + 40 * DAY, now) }),
      'the request dies with the process',
    );
    assert.equal(await crashing.exited, 'SIGKILL');

    // Between the crash and the restart: the report names its notifications; none exists.
    const store = await openStore(f.USA.config.store);
    const [report] = await store.travelReports.listByRegistrant(reg.body.id as string);
    assert.ok(report, 'the report was stored');
    const ids = Object.values(report.notificationIds);
    assert.deepEqual(Object.keys(report.notificationIds).sort(), ['DEU', 'FRA', 'THA']);
    for (const id of ids) assert.equal(await store.outbound.get(id), null, `${id} never submitted`);
    await store.close();

    const usa = await serveChild(f.USA.setup.configPath);
    closers.push(async () => {
      usa.child.kill('SIGTERM');
      await usa.exited;
    });
    const inbound = async (gw: RunningGateway, id: string) =>
      (await gw.ctx.store.inbound.list({ notificationId: id }, { limit: 5 })).items.length;
    await until(
      'FRA and THA to receive the recovered notifications',
      async () =>
        (await inbound(fra, report.notificationIds.FRA!)) === 1 &&
        (await inbound(tha, report.notificationIds.THA!)) === 1,
      30_000,
    );
    // A few more passes of the job (every second) must not send anything again.
    await new Promise((r) => setTimeout(r, 3_500));
    assert.equal(await inbound(fra, report.notificationIds.FRA!), 1);
    assert.equal(await inbound(tha, report.notificationIds.THA!), 1);

    const after = await openStore(f.USA.config.store);
    try {
      for (const id of ids) {
        const rec = await after.outbound.get(id);
        assert.ok(rec, `${id} submitted`);
        assert.equal(rec.submittedBy, 'registry-1', 'under the submitter of the request');
        const accepted = await after.audit.query({ action: 'notification.accepted', messageId: id }, { limit: 5 });
        assert.equal(accepted.items.length, 1, `${id} accepted once`);
      }
      assert.equal((await after.outbound.get(report.notificationIds.DEU!))!.state, 'no_channel');
    } finally {
      await after.close();
    }
    assert.match(usa.output(), /travel report recovered/);
    const out: string[] = [];
    const code = await main(['audit', 'verify', '--config', f.USA.setup.configPath], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    assert.equal(code, 0, out.join('\n'));
  });
});
