/**
 * GET /api/v1/directory (admin, poc, auditor) and PATCH /api/v1/directory/{state} (admin): the change
 * reaches the running Directory (the next submission uses it), the directory file (atomic write, other
 * members untouched) and the audit trail as config.changed; the file still passes the config loader.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { loadConfigFile } from '../../src/config/load.js';
import { bearer, nationalGateway, type NationalGateway } from './setup.js';

describe('directory API', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  before(async () => {
    gw = await nationalGateway();
  });
  after(async () => gw.close());

  it('lists every partner with point of contact, endpoint, accepted types and key validity', async () => {
    for (const role of ['admin', 'poc', 'auditor'] as const) {
      const res = await request(gw.app).get('/api/v1/directory').set('Authorization', bearer(role));
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.partners.map((p: { state: string }) => p.state),
        ['FRA', 'GBR', 'THA'],
      );
      const fra = res.body.partners[0];
      assert.match(fra.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/tnx\/v1\/messages$/);
      assert.ok(fra.pointOfContact.email);
      assert.deepEqual(fra.accepts, ['TravelNotification', 'TravelUpdate', 'FollowUpReport']);
      assert.ok(
        fra.keys.length >= 2 &&
          fra.keys.every((k: { kid: string; valid: boolean }) => k.kid && typeof k.valid === 'boolean'),
      );
      assert.equal(JSON.stringify(res.body).includes('"d"'), false);
    }
    assert.equal((await request(gw.app).get('/api/v1/directory').set('Authorization', bearer('registry'))).status, 403);
  });

  it('an admin changes a point of contact and endpoint: running directory, file and audit trail', async () => {
    const poc = { unit: 'OCRVP night desk', email: 'nuit@ocrvp.example', phone: '+33 1 40 00 00 00', hours: '24/7' };
    const denied = await request(gw.app)
      .patch('/api/v1/directory/FRA')
      .set('Authorization', bearer('poc'))
      .send({ pointOfContact: poc });
    assert.equal(denied.status, 403);
    const res = await request(gw.app)
      .patch('/api/v1/directory/FRA')
      .set('Authorization', bearer('admin'))
      .send({ pointOfContact: poc, endpoint: null });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.pointOfContact, poc);
    assert.equal(gw.ctx.directory.partner('FRA')!.endpoint, null, 'running directory updated');

    const file = JSON.parse(readFileSync(gw.directoryPath, 'utf8')) as {
      partners: { state: string; pointOfContact: unknown; endpoint: unknown; jwksPath?: string }[];
    };
    const fra = file.partners.find((p) => p.state === 'FRA')!;
    assert.deepEqual([fra.pointOfContact, fra.endpoint], [poc, null]);
    assert.ok(fra.jwksPath, 'other members untouched');
    assert.deepEqual(
      readdirSync(gw.dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp file left',
    );
    assert.equal(loadConfigFile(writeConfig(gw)).directory.partners.length, 3, 'the file still loads');

    const events = await gw.ctx.store.audit.query({ action: 'config.changed' }, { limit: 5 });
    assert.equal(events.items[0]!.actor, 'admin');
    assert.equal(events.items[0]!.partner, 'FRA');
    assert.deepEqual(events.items[0]!.detail!.fields, ['endpoint', 'pointOfContact']);
  });

  it('refuses unknown partners, unknown fields and invalid values without changing anything', async () => {
    const patch = (state: string, body: unknown) =>
      request(gw.app)
        .patch(`/api/v1/directory/${state}`)
        .set('Authorization', bearer('admin'))
        .send(body as object);
    assert.equal((await patch('ESP', { endpoint: null })).status, 404);
    assert.equal((await patch('GBR', { jwksPath: '/tmp/evil.json' })).body.code, 'invalid_request');
    assert.equal((await patch('GBR', { pointOfContact: { unit: 'x' } })).body.code, 'invalid_request');
    assert.equal((await patch('GBR', { endpoint: 'ftp://x' })).body.code, 'invalid_request');
    assert.equal((await patch('GBR', {})).body.code, 'invalid_request');
    assert.match(gw.ctx.directory.partner('GBR')!.endpoint!, /^http:/);
  });
});

function writeConfig(gw: NationalGateway): string {
  const path = `${gw.dir}/check.json`;
  writeFileSync(
    path,
    JSON.stringify({
      state: 'USA',
      pointOfContact: gw.config.pointOfContact,
      keys: { privateJwksPath: gw.config.keys.privateJwksPath },
      directoryPath: gw.directoryPath,
    }),
  );
  return path;
}
