/**
 * The programs themselves, as real processes: `tnx serve --http-only` and `tnx serve --workers-only`
 * sharing one store and one Redis (the split deployment of docs/operations.md), SIGTERM ending both
 * cleanly; bad command lines; and `npm run demo -- --once`, which must exit 0 having printed receipts.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { REPO_ROOT } from '../../src/cli/demo/two-states.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { redisUrl } from '../harness/redis.js';
import { federation, serveChild, start, until, type ServeChild } from './federation.js';

const HOUR = 3600_000;

function tnx(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/tnx.mjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe('e2e: tnx serve processes and the demo', function () {
  this.timeout(40_000);
  const children: ServeChild[] = [];
  let gbr: RunningGateway | null = null;
  after(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await gbr?.close();
  });

  it('--http-only and --workers-only share store and Redis; SIGTERM stops both with exit 0', async () => {
    const f = await federation(['USA', 'GBR'] as const);
    gbr = await start(f.GBR);
    const http = await serveChild(f.USA.setup.configPath, ['--http-only']);
    children.push(http);
    const workers = await serveChild(f.USA.setup.configPath, ['--workers-only']);
    children.push(workers);
    assert.equal(workers.url, null, 'a workers-only process serves no HTTP');

    const sub = await request(http.url!)
      .post('/api/v1/notifications')
      .set('Authorization', `Bearer ${f.USA.submitter}`)
      .send(sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 26 * HOUR }))
      .expect(202);
    const view = await until('delivery by the workers process', async () => {
      const r = await request(http.url!)
        .get(sub.body.statusUrl as string)
        .set('Authorization', `Bearer ${f.USA.auditor}`)
        .expect(200);
      return r.body.state === 'delivered' ? r.body : null;
    });
    assert.equal(view.timeliness, 'on_time');
    assert.equal(
      (await gbr.ctx.store.inbound.list({ notificationId: sub.body.id as string }, { limit: 5 })).items.length,
      1,
    );
    await request(http.url!).get('/readyz').expect(200);

    http.child.kill('SIGTERM');
    workers.child.kill('SIGTERM');
    assert.equal(await http.exited, 0, http.output());
    assert.equal(await workers.exited, 0, workers.output());
    await assert.rejects(request(http.url!).get('/healthz'), 'the HTTP side is closed');
  });

  it('refuses contradictory flags with a usage error (exit 2) before reading any file', async () => {
    const both = await tnx(['serve', '--config', 'does-not-exist.json', '--http-only', '--workers-only']);
    assert.equal(both.code, 2);
    assert.match(both.err, /exclude each other/);
  });

  it('npm run demo -- --once: two gateways, receipts printed, exit 0', async () => {
    const r = await tnx(['demo', '--once'], { REDIS_URL: await redisUrl() });
    assert.equal(r.code, 0, r.err + r.out);
    const receipts = r.out.match(/receipt jti [0-9a-f-]{36} {2}digest [A-Za-z0-9_-]{43}/g) ?? [];
    assert.equal(receipts.length, 6, 'five deliveries from USA, one follow-up back');
    assert.match(r.out, /state no_channel/);
    assert.match(r.out, /→ {2}on_time/);
    assert.match(r.out, /→ {2}late/);
    assert.match(r.out, /recorded it against its notification: yes/);
    assert.doesNotMatch(r.out, /✗/);
    assert.doesNotMatch(r.out, /Kuznetsov|1971-03|P91827364/, 'no personal data printed');
  });

  it('npm run demo -- --once --network: the gateways follow a signed directory, same outcomes', async () => {
    const r = await tnx(['demo', '--once', '--network'], { REDIS_URL: await redisUrl() });
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /network directory "tnx-demo" serial 1 \(USA, GBR\), signed by a coordinator key/);
    assert.match(r.out, /republish it: GET http:\/\/127\.0\.0\.1:\d+\/tnx\/v1\/directory/);
    const receipts = r.out.match(/receipt jti [0-9a-f-]{36} {2}digest [A-Za-z0-9_-]{43}/g) ?? [];
    assert.equal(receipts.length, 6);
    assert.doesNotMatch(r.out, /✗/);
  });
});
