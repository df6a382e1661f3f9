/** The administrator's list of API clients: configured tokens (no secrets) and activity from the trail. */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Principal } from '../../src/core/principal.js';
import { apiClients } from '../../src/features/admin/api-clients.js';
import { bearer, bootstrap, secretOf, type TestGateway } from '../gateway/bootstrap.js';

describe('admin: API clients', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  const admin: Principal = { id: 'admin', role: 'admin' };
  before(async () => {
    gw = await bootstrap();
  });
  after(async () => {
    await gw.close();
  });

  it('lists every configured token by id and role with its last activity, never a secret or hash', async () => {
    await request(gw.url).get('/api/v1/notifications').set('Authorization', bearer('auditor')).expect(200);
    const v = await apiClients(gw.ctx, admin);
    const ids = v.tokens.map((t) => t.id).sort();
    assert.deepEqual(ids, gw.config.auth.tokens.map((t) => t.id).sort());
    const auditor = v.tokens.find((t) => t.id === 'auditor')!;
    assert.equal(auditor.role, 'auditor');
    assert.ok(auditor.lastActiveAt !== null, 'the auditor query is in the trail');
    assert.equal(v.tokens.find((t) => t.id === 'registry')!.lastActiveAt, null);
    const text = JSON.stringify(v);
    for (const t of gw.config.auth.tokens) {
      assert.ok(!text.includes(t.sha256), 'no hash');
      assert.ok(!text.includes(secretOf(t.id as never)), 'no secret');
    }
    assert.equal(v.oauth, null, 'no OAuth issuer configured');
    assert.ok(v.scannedEvents > 0);
  });

  it('names OAuth clients by the actors their tokens left in the trail', async () => {
    const at = gw.ctx.clock.now();
    await gw.ctx.events.publish({
      action: 'audit.queried',
      actor: 'oauth:border-system',
      at,
      messageId: null,
      partner: null,
      outcome: 'ok',
      detail: { view: 'notifications' },
    });
    const withOauth = {
      ...gw.ctx,
      config: {
        ...gw.config,
        auth: {
          ...gw.config.auth,
          oauth: {
            issuer: 'https://idp.example.test',
            jwksUri: 'https://idp.example.test/jwks',
            audience: 'tnx-usa',
            algorithms: ['ES256'],
            roleClaim: 'tnx_role',
          },
        },
      },
    } as unknown as typeof gw.ctx;
    const v = await apiClients(withOauth, admin);
    assert.deepEqual(v.oauth?.clients, [{ clientId: 'border-system', lastActiveAt: at }]);
    assert.equal(v.oauth?.issuer, 'https://idp.example.test');
  });
});
