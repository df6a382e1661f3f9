/**
 * The registry API over real HTTP (supertest), a real SQLite file and real Redis: create, purpose-
 * audited read, search by blind index, update, end, erase (crypto-shredding visible in the file).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { nationalGateway, bearer, type NationalGateway } from './setup.js';
import { registrantBody } from './samples.js';

describe('registry API', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  before(async () => {
    gw = await nationalGateway();
  });
  after(async () => gw.close());

  const create = async (overrides = {}) => {
    const res = await request(gw.app)
      .post('/api/v1/registrants')
      .set('Authorization', bearer('registry'))
      .send(registrantBody(overrides));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; status: string; updatedAt: number };
  };

  it('creates a registrant and answers without personal data', async () => {
    const r = await create();
    assert.match(r.id, /^[0-9a-f-]{36}$/);
    assert.equal(r.status, 'active');
    assert.equal(JSON.stringify(r).includes('Petrov'), false);
    const events = await gw.ctx.store.audit.query({ messageId: r.id }, { limit: 10 });
    assert.deepEqual(
      events.items.map((e) => e.action),
      ['personal_data.created'],
    );
  });

  it('refuses a record without a review date, and other roles', async () => {
    const body = registrantBody() as Record<string, unknown>;
    delete body.reviewDue;
    const res = await request(gw.app).post('/api/v1/registrants').set('Authorization', bearer('registry')).send(body);
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 'invalid_registrant');
    const denied = await request(gw.app)
      .post('/api/v1/registrants')
      .set('Authorization', bearer('submitter'))
      .send(registrantBody());
    assert.equal(denied.status, 403);
  });

  it('reads only with a purpose, and audits the read with reader and purpose', async () => {
    const { id } = await create();
    const none = await request(gw.app).get(`/api/v1/registrants/${id}`).set('Authorization', bearer('registry'));
    assert.equal(none.status, 400);
    assert.equal(none.body.code, 'purpose_required');
    const res = await request(gw.app)
      .get(`/api/v1/registrants/${id}`)
      .query({ purpose: 'case 2026-118 review' })
      .set('Authorization', bearer('registry'));
    assert.equal(res.status, 200);
    assert.equal(res.body.person.name.family, 'Petrov');
    const reads = await gw.ctx.store.audit.query({ messageId: id, action: 'personal_data.read' }, { limit: 10 });
    assert.equal(reads.items.length, 1, 'the refused read is not a read');
    assert.equal(reads.items[0]!.actor, 'registry');
    assert.equal(reads.items[0]!.detail!.purpose, 'case 2026-118 review');
  });

  it('searches by name in another script, date of birth and document number (purpose required, audited)', async () => {
    const { id } = await create();
    const q = async (query: Record<string, string>) =>
      request(gw.app).get('/api/v1/registrants').query(query).set('Authorization', bearer('registry'));
    const byName = await q({ name: 'Дмитрий Петров', purpose: 'border alert' });
    assert.equal(byName.status, 200);
    assert.ok(byName.body.items.some((h: { id: string }) => h.id === id));
    const byDoc = await q({ documentNumber: 'k48 213 377', dateOfBirth: '1979', purpose: 'border alert' });
    assert.ok(byDoc.body.items.some((h: { id: string }) => h.id === id));
    const miss = await q({ documentNumber: 'NOPE0000', purpose: 'border alert' });
    assert.deepEqual(miss.body.items, []);
    assert.equal((await q({ name: 'Petrov' })).body.code, 'purpose_required');
    assert.equal((await q({ purpose: 'x' })).body.code, 'invalid_request');
    const searches = await gw.ctx.store.audit.query({ action: 'personal_data.read', actor: 'registry' }, { limit: 50 });
    const logged = searches.items.filter((e) => e.outcome === 'searched');
    assert.ok(logged.length >= 3);
    assert.equal(JSON.stringify(logged).includes('K48213377'), false, 'search values never reach the audit trail');
  });

  it('updates, ends a registration, and refuses a stale write', async () => {
    const { id } = await create();
    const body = { ...registrantBody(), reviewDue: '2028-01-01' };
    const up = await request(gw.app)
      .put(`/api/v1/registrants/${id}`)
      .set('Authorization', bearer('registry'))
      .send(body);
    assert.equal(up.status, 200, JSON.stringify(up.body));
    assert.equal(up.body.reviewDue, '2028-01-01');
    const end = await request(gw.app)
      .post(`/api/v1/registrants/${id}/end`)
      .set('Authorization', bearer('registry'))
      .send({ registrationEnd: '2026-11-30' });
    assert.equal(end.status, 200);
    assert.equal(end.body.status, 'ended');
    assert.equal(end.body.registrationEnd, '2026-11-30');
    const sealed = await gw.ctx.store.registry.get(id);
    assert.equal(await gw.ctx.store.registry.replace(sealed!, sealed!.updatedAt - 1), false);
  });

  it('erases by crypto-shredding: 410 afterwards, no key or ciphertext left in the SQLite file', async () => {
    const { id } = await create();
    const before = (await gw.ctx.store.registry.get(id))!;
    const wrapped = JSON.stringify(before.dek);
    const cipher = before.fields['person.name']!;
    const res = await request(gw.app).delete(`/api/v1/registrants/${id}`).set('Authorization', bearer('registry'));
    assert.equal(res.status, 200);
    assert.equal(res.body.erased, true);
    const gone = await request(gw.app)
      .get(`/api/v1/registrants/${id}`)
      .query({ purpose: 'check' })
      .set('Authorization', bearer('registry'));
    assert.equal(gone.status, 410);
    assert.equal(gone.body.code, 'registrant_erased');
    const file = readFileSync(gw.config.store.sqlitePath);
    assert.equal(
      file.includes(Buffer.from(JSON.parse(wrapped).ciphertext as string)),
      false,
      'the wrapped data key is gone',
    );
    assert.equal(file.includes(Buffer.from(cipher)), false, 'the ciphertext is gone from the database file');
    const erased = await gw.ctx.store.audit.query({ messageId: id, action: 'personal_data.erased' }, { limit: 5 });
    assert.equal(erased.items.length, 1);
    const found = await gw.ctx.store.registry.search(before.blindIndexes.slice(0, 1), 50);
    assert.equal(
      found.some((x) => x.id === id),
      false,
      'erased records leave the blind index',
    );
  });
});
