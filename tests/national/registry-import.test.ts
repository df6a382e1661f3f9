/**
 * Bulk import and idempotent create over real HTTP, a real SQLite file and real Redis: the external
 * reference makes a retried create and a re-imported file change nothing; refused lines are counted
 * and listed by number and code, without echoing the input.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { nationalGateway, bearer, type NationalGateway } from './setup.js';
import { registrantBody } from './samples.js';

const line = (ref: string, overrides = {}): string =>
  JSON.stringify({ ...registrantBody(overrides), externalReference: ref });

describe('registry import and idempotent create', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  before(async () => {
    gw = await nationalGateway();
  });
  after(async () => gw.close());

  const importNdjson = (body: string, type = 'application/x-ndjson') =>
    request(gw.app)
      .post('/api/v1/registrants/import')
      .set('Authorization', bearer('registry'))
      .set('Content-Type', type)
      .send(body);

  const count = async (): Promise<number> => (await gw.ctx.store.registry.scan(null, 100_000)).length;

  it('a create sent twice with one externalReference stores one registrant', async () => {
    const body = { ...registrantBody(), externalReference: 'NSOR-create-1' };
    const before = await count();
    const first = await request(gw.app).post('/api/v1/registrants').set('Authorization', bearer('registry')).send(body);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.created, true);
    const again = await request(gw.app).post('/api/v1/registrants').set('Authorization', bearer('registry')).send(body);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(again.body.created, false);
    assert.equal(await count(), before + 1);
    const other = await request(gw.app)
      .post('/api/v1/registrants')
      .set('Authorization', bearer('registry'))
      .send({ ...body, reviewDue: '2031-01-01' });
    assert.equal(other.status, 409);
    assert.equal(other.body.code, 'idempotency_conflict');
    assert.equal(await count(), before + 1);
  });

  it('imports NDJSON: created, unchanged on re-import, updated and audited when changed', async () => {
    const file = ['imp-1', 'imp-2', 'imp-3'].map((r) => line(r)).join('\n') + '\n';
    const first = await importNdjson(file);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(
      [first.body.lines, first.body.created, first.body.updated, first.body.unchanged, first.body.refused],
      [3, 3, 0, 0, 0],
    );
    const again = await importNdjson(file);
    assert.deepEqual([again.body.created, again.body.updated, again.body.unchanged], [0, 0, 3]);

    const changed = [line('imp-1'), line('imp-2', { reviewDue: '2032-06-30' }), line('imp-3')].join('\r\n');
    const third = await importNdjson(changed);
    assert.deepEqual([third.body.created, third.body.updated, third.body.unchanged], [0, 1, 2]);
    const stored = await gw.ctx.store.registry.byExternalReference('imp-2');
    assert.ok(stored);
    const events = await gw.ctx.store.audit.query({ messageId: stored.id }, { limit: 10 });
    const byAction = new Map(events.items.map((e) => [e.action, e]));
    assert.equal(events.items.length, 2);
    assert.ok(byAction.has('personal_data.created'));
    assert.equal(byAction.get('personal_data.altered')!.detail!.importId, third.body.importId);
  });

  it('one reference twice in one file, the lines in flight together: one person, the later line an update', async () => {
    const before = await count();
    // The lines of one part are sealed and handed to the store together (group commit); the repeated
    // reference must still find the row of its first line, not create a second person.
    const lines = [
      line('dup-1'),
      ...Array.from({ length: 40 }, (_, i) => line(`dup-fill-${i}`)),
      line('dup-1', { reviewDue: '2033-03-03' }),
      line('dup-1', { reviewDue: '2033-03-03' }),
      line('dup-2'),
      line('dup-2'),
    ];
    const res = await importNdjson(lines.join('\n'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.lines, res.body.created, res.body.updated, res.body.unchanged, res.body.refused],
      [45, 42, 1, 2, 0],
    );
    assert.equal(await count(), before + 42);
    const stored = await gw.ctx.store.registry.byExternalReference('dup-1');
    assert.equal(stored?.reviewDue, '2033-03-03');
  });

  it('keeps past passports: a search by an old document number finds the registrant', async () => {
    const body = {
      ...registrantBody(),
      externalReference: 'imp-past',
      pastTravelDocuments: [{ number: 'OLD7654321', type: 'passport', issuingState: 'RUS' }],
    };
    const res = await importNdjson(JSON.stringify(body));
    assert.equal(res.body.created, 1, JSON.stringify(res.body));
    const hit = await request(gw.app)
      .get('/api/v1/registrants')
      .query({ documentNumber: 'OLD7654321', purpose: 'import check' })
      .set('Authorization', bearer('registry'));
    assert.equal(hit.body.items.length, 1);
    const read = await request(gw.app)
      .get(`/api/v1/registrants/${hit.body.items[0].id}`)
      .query({ purpose: 'import check' })
      .set('Authorization', bearer('registry'));
    assert.equal(read.body.pastTravelDocuments[0].number, 'OLD7654321');
    assert.equal(read.body.externalReference, 'imp-past');
  });

  it('refuses bad lines by number and code, stores the good ones, echoes nothing', async () => {
    const secretName = 'Zzyxqvorth';
    const lines = [
      line('bad-ok-1'),
      '{"not json',
      JSON.stringify({ ...registrantBody({ reviewDue: undefined as unknown as string }), externalReference: 'bad-2' }),
      JSON.stringify(registrantBody()),
      '',
      JSON.stringify({ ...registrantBody(), externalReference: 'bad-3', id: '0190a000-0000-7000-8000-000000000000' }),
      JSON.stringify({ ...registrantBody(), externalReference: 'bad-4', person: { name: { family: secretName } } }),
      'x'.repeat(gw.config.http.bodyLimitBytes + 10),
      Buffer.from([0xc3, 0x28]).toString('latin1'),
      line('bad-ok-2'),
    ];
    const res = await importNdjson(lines.join('\n'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.created, 2);
    assert.equal(res.body.refused, 7);
    assert.deepEqual(
      res.body.refusals.map((r: { line: number; code: string }) => [r.line, r.code]),
      [
        [2, 'malformed_json'],
        [3, 'invalid_registrant'],
        [4, 'invalid_registrant'],
        [6, 'invalid_registrant'],
        [7, 'invalid_registrant'],
        [8, 'payload_too_large'],
        [9, 'malformed_json'],
      ],
    );
    assert.equal(JSON.stringify(res.body).includes(secretName), false);
  });

  it('refuses another media type and other roles', async () => {
    const wrong = await importNdjson(line('mt-1'), 'application/json');
    assert.equal(wrong.status, 415);
    const denied = await request(gw.app)
      .post('/api/v1/registrants/import')
      .set('Authorization', bearer('submitter'))
      .set('Content-Type', 'application/x-ndjson')
      .send(line('role-1'));
    assert.equal(denied.status, 403);
  });

  it('imports a body larger than the body limit, streamed', async function () {
    this.timeout(120_000);
    const started = Date.now();
    const n = Math.ceil((gw.config.http.bodyLimitBytes * 2) / line('big-0000').length);
    const body = Array.from({ length: n }, (_, i) => line(`big-${String(i).padStart(4, '0')}`)).join('\n');
    assert.ok(body.length > gw.config.http.bodyLimitBytes);
    const res = await importNdjson(body);
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    assert.equal(res.body.created, n);
    console.log(`      ${n} lines, ${body.length} bytes in ${Date.now() - started} ms`);
  });
});
