/**
 * Every protected endpoint × every role: 401 with no token, a malformed header or an unknown token;
 * 403 for each role the route does not admit; never 401/403 for a role it admits. Table-driven from
 * the one route table, so a route added later is covered without touching this file.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { ROLES } from '../../src/config/schema.js';
import { servedRoutes } from '../../src/http/app.js';
import type { TableRoute } from '../../src/http/route-table.js';
import { bearer, bootstrap, type TestGateway } from '../gateway/bootstrap.js';

function concrete(path: string): string {
  return path.replace(':id', '00000000-0000-4000-8000-000000000000');
}

describe('http: authentication and roles matrix', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await bootstrap();
  });
  after(async () => {
    await gw.close();
  });

  function routes() {
    return servedRoutes({ ctx: gw.ctx, queue: gw.queue }).filter((r) => r.roles !== null);
  }

  /** The route's own method (a body where it takes one), so the request reaches the route itself. */
  function call(r: TableRoute) {
    const agent = request(gw.url);
    const path = concrete(r.path);
    const m = r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    return m === 'get' || m === 'delete' ? agent[m](path) : agent[m](path).send({});
  }

  it('has protected routes for every concern', () => {
    const names = routes().map((r) => r.name);
    for (const n of [
      'submitNotification',
      'submitUpdate',
      'listNotifications',
      'getNotification',
      'queryAudit',
      'listInbox',
      'readInbox',
      'postFollowUp',
    ]) {
      assert.ok(names.includes(n), n);
    }
  });

  it('answers 401 unauthenticated with no token, a malformed header and an unknown token', async () => {
    for (const r of routes()) {
      for (const auth of [
        undefined,
        'Basic dXNlcjpwYXNz',
        'Bearer',
        'Bearer not-a-configured-token',
        `bearer ${'x'.repeat(20)}`,
      ]) {
        const req = call(r);
        if (auth !== undefined) req.set('Authorization', auth);
        const res = await req;
        assert.equal(res.status, 401, `${r.method} ${r.path} with ${auth ?? 'no header'}`);
        assert.equal(res.body.code, 'unauthenticated');
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      }
    }
  });

  it('answers 403 forbidden for every role a route does not admit, and lets admitted roles through', async () => {
    let checked = 0;
    for (const r of routes()) {
      for (const role of ROLES) {
        const res = await call(r).set('Authorization', bearer(role));
        if (r.roles!.includes(role)) {
          assert.ok(
            res.status !== 401 && res.status !== 403,
            `${role} must pass ${r.method} ${r.path}, got ${res.status}`,
          );
        } else {
          assert.equal(res.status, 403, `${role} must be refused on ${r.method} ${r.path}`);
          assert.equal(res.body.code, 'forbidden');
        }
        checked += 1;
      }
    }
    assert.equal(checked, routes().length * ROLES.length);
  });

  it('audits refusals of the local API with the actor and the code only', async () => {
    await request(gw.url).get('/api/v1/audit').set('Authorization', bearer('poc')).expect(403);
    const page = await gw.ctx.store.audit.query({ action: 'input.refused', actor: 'poc' }, { limit: 100 });
    assert.ok(
      page.items.some((e) => e.outcome === 'forbidden' && (e.detail as { route?: string }).route === 'queryAudit'),
    );
  });
});
