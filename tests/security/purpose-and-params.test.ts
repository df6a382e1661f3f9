/**
 * One rule for purposes and query parameters on every route (iterated from the route table, not
 * listed by hand): a purpose with NUL, CR, LF or DEL is refused with the inbox's answer (400
 * invalid_request at query/purpose) on the registry, travel-report and screening reads too, and no
 * consultation is recorded; an unknown query parameter is refused on every GET route, with a fixed
 * pointer. Real gateway, real records, so the refusal is not an artefact of a missing id.
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import { ROLES } from '../../src/config/schema.js';
import { ROUTES, isHttpRoute, type TableRoute } from '../../src/http/route-table.js';
import { example, exampleText, inboundNotification, partnerSealer } from '../gateway/bootstrap.js';
import { registrantBody, travelBody } from '../national/samples.js';
import { securityWorld, type SecurityWorld } from './world.js';

const BAD = [
  ['NUL', 'a%00b'],
  ['CR', 'a%0Db'],
  ['LF', 'a%0Ab'],
  ['CRLF and a forged line', 'ok%0D%0A%7B%22action%22%3A%22x%22%7D'],
  ['DEL', 'a%7Fb'],
] as const;

describe('security: one purpose rule and one parameter rule on every route', function () {
  this.timeout(90_000);
  let world: SecurityWorld;
  const ids: Record<string, string> = {};

  before(async () => {
    world = await securityWorld({ http: { host: '127.0.0.1', port: 0, refusalLimit: 1_000_000 } });
    const post = async (path: string, role: 'registry' | 'submitter', body: unknown) => {
      const res = await request(world.url + path, {
        method: 'POST',
        headers: { authorization: world.auth(role), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const out = (await res.body.json()) as { id: string };
      assert.ok(res.statusCode < 300, JSON.stringify(out));
      return out.id;
    };
    ids.registrants = await post('/api/v1/registrants', 'registry', registrantBody());
    ids['travel-reports'] = await post(`/api/v1/registrants/${ids.registrants}/travel-reports`, 'registry', {
      travel: travelBody(Date.now() + 30 * 86_400_000, Date.now()),
    });
    ids.notifications = await post('/api/v1/notifications', 'submitter', example('travel-notification.json'));
    const { jwe } = await (await partnerSealer('THA')).seal(inboundNotification('THA'));
    const got = await request(`${world.url}/tnx/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: jwe,
    });
    assert.equal(got.statusCode, 200);
    const inbox = await request(`${world.url}/api/v1/inbox`, { headers: { authorization: world.auth('poc') } });
    ids.inbox = ((await inbox.body.json()) as { items: { id: string }[] }).items[0]!.id;
  });
  after(() => world?.close());

  const path = (r: TableRoute): string =>
    r.path.replace(
      /\/([a-z-]+)\/:(\w+)/g,
      (_m, c: string) => `/${c}/${ids[c] ?? '00000000-0000-4000-8000-000000000000'}`,
    );
  const tokenFor = (r: TableRoute): string | undefined => {
    const role = r.roles === null ? undefined : ROLES.find((x) => r.roles!.includes(x));
    return role && world.auth(role);
  };
  const get = async (r: TableRoute, query: string) => {
    const auth = tokenFor(r);
    // A route that takes a body (a manifest posted with its purpose) gets a well-formed one, so the
    // answer is about the query.
    const body = r.method === 'POST' ? exampleText('manifests/json-ba0178.json') : undefined;
    const res = await request(`${world.url}${path(r)}?${query}`, {
      method: r.method,
      headers: { ...(auth ? { authorization: auth } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body } : {}),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  };
  const reads = async (): Promise<number> =>
    (await world.gw.ctx.store.audit.query({ action: 'personal_data.read' }, { limit: 1000 })).items.length;

  const withPurpose = ROUTES.filter((r) => !isHttpRoute(r) && Object.hasOwn(r.query, 'purpose'));

  it('the purpose routes include the registry, travel-report and screening reads, besides the inbox', () => {
    const names = withPurpose.map((r) => r.name);
    for (const n of ['readInbox', 'readNotificationMessage', 'searchRegistrants', 'readRegistrant', 'readTravelReport'])
      assert.ok(names.includes(n), n);
  });

  for (const [label, bad] of BAD) {
    it(`a purpose with ${label} gets the inbox's answer on every purpose route, and nothing is read`, async () => {
      const inbox = await get(
        ROUTES.find((r) => r.name === 'readInbox')!,
        `purpose=${bad}`,
      );
      assert.equal(inbox.status, 400);
      const before = await reads();
      for (const r of withPurpose) {
        const res = await get(r, `purpose=${bad}`);
        assert.equal(res.status, inbox.status, r.name);
        assert.equal(res.body.code, inbox.body.code, r.name);
        assert.equal(res.body.pointer, 'query/purpose', r.name);
      }
      assert.equal(await reads(), before, 'no consultation recorded');
    });
  }

  it('a clean purpose still reads (the refusals above are about the characters)', async () => {
    const before = await reads();
    const res = await get(
      ROUTES.find((r) => r.name === 'readRegistrant')!,
      'purpose=case%20review',
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await reads(), before + 1);
  });

  it('an unknown query parameter is refused on every GET route, with a fixed pointer', async () => {
    const gets = ROUTES.filter((r) => r.method === 'GET' && !isHttpRoute(r));
    assert.ok(gets.length >= 15, `${gets.length} GET routes`);
    for (const r of gets) {
      const res = await get(r, 'partnr=THA');
      assert.equal(res.status, 400, r.name);
      assert.equal(res.body.code, 'invalid_request', r.name);
      assert.equal(res.body.pointer, 'query', r.name);
      assert.ok(!JSON.stringify(res.body).includes('partnr'), `${r.name} echoes the name`);
    }
  });
});
