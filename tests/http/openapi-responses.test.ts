/**
 * Real responses validate against protocol/openapi.yaml: two real gateways (USA with the registry and
 * screening, GBR), driven through every documented operation, success and the main refusals; each
 * answer's status, content type and body are checked against the document (./openapi-check.ts), and at
 * the end every operation must have been answered.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role, type TnxConfigInput } from '../../src/config/schema.js';
import { sampleNotification } from '../../src/cli/demo/samples.js';
import { sha256Hex } from '../../src/http/auth.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import { FAST, federation, settled, start } from '../e2e/federation.js';
import { jfkLocal, registrantBody } from '../manifests/setup.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';
import { tempDir } from '../harness/tmp.js';
import { inboundNotification, partnerSealer, ROOT } from '../gateway/bootstrap.js';
import { travelBody } from '../national/samples.js';
import { OpenApiCheck } from './openapi-check.js';

const HOUR = 3_600_000;
/** Operations whose success needs a network coordinator; tests/directory covers it. Here: their 404. */
// A success needs what this world lacks: a coordinator (network directory), a delivery that failed
// for good (resend: tests/e2e/resend.test.ts drives it against a refusing partner).
const NO_SUCCESS_HERE = new Set(['networkDirectory', 'readNetworkDirectory', 'resendNotification']);

describe('http: real responses validate against protocol/openapi.yaml', function () {
  this.timeout(90_000);
  const doc = new OpenApiCheck();
  let usa: RunningGateway;
  let gbr: RunningGateway;
  const secrets = Object.fromEntries(ROLES.map((r) => [r, `${r}-${randomBytes(16).toString('base64url')}`])) as Record<
    Role,
    string
  >;

  before(async () => {
    const dir = tempDir('tnx-openapi');
    const members = await federation(['USA', 'GBR'], {
      ...FAST,
      registry: {
        kekPath: keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() })),
        indexKeyPath: keyFile(dir, 'index.key', `${secret()}\n`),
      },
      auth: { tokens: ROLES.map((role) => ({ id: `${role}-1`, role, sha256: sha256Hex(secrets[role]) })) },
    } as Partial<TnxConfigInput>);
    [usa, gbr] = await Promise.all([start(members.USA), start(members.GBR)]);
  });
  after(async () => {
    await usa?.close();
    await gbr?.close();
  });

  interface Call {
    role?: Role;
    body?: string | object;
    type?: string;
    accept?: string;
  }
  /** One request to `gw`, checked against the document; the parsed answer. */
  async function api<T = Record<string, unknown>>(
    method: string,
    path: string,
    init: Call = {},
    gw: RunningGateway = usa,
  ): Promise<{ status: number; body: T; text: string; type: string | null }> {
    const headers: Record<string, string> = {};
    if (init.role) headers.authorization = `Bearer ${secrets[init.role]}`;
    if (init.accept) headers.accept = init.accept;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] = init.type ?? 'application/json';
    }
    const res = await fetch(`${gw.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    const type = res.headers.get('content-type');
    doc.check(method, path.split('?')[0]!, { status: res.status, contentType: type, text });
    let parsed: unknown = {};
    if (type && /json/.test(type) && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, text, type };
  }

  it('the check itself refuses what the document does not say', () => {
    const jws = 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln';
    const fresh = new OpenApiCheck();
    const refuse = (method: string, path: string, answer: Parameters<OpenApiCheck['check']>[2]) =>
      assert.throws(() => fresh.check(method, path, answer), assert.AssertionError);
    refuse('GET', '/healthz', { status: 200, contentType: 'application/json', text: '{"status":"bad"}' });
    refuse('GET', '/healthz', { status: 418, contentType: 'application/json', text: '{"status":"ok"}' });
    refuse('POST', '/tnx/v1/messages', { status: 200, contentType: 'application/jwt; charset=utf-8', text: jws });
    refuse('GET', '/api/v1/audit', {
      status: 403,
      contentType: 'application/problem+json',
      text: '{"code":"forbidden"}',
    });
    refuse('GET', '/nowhere', { status: 200, contentType: 'text/plain', text: '' });
  });

  it('wire, probes and documentation', async () => {
    const sealer = await partnerSealer('GBR');
    const jwks = await api('GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    assert.equal((await api('GET', '/tnx/v1/directory')).status, 404);
    const { jwe } = await sealer.seal(inboundNotification('GBR'));
    assert.equal((await api('POST', '/tnx/v1/messages', { body: jwe, type: 'application/jose' })).status, 200);
    assert.equal((await api('POST', '/tnx/v1/messages', { body: 'x.y', type: 'application/jose' })).status, 400);
    assert.equal((await api('POST', '/tnx/v1/messages', { body: jwe, type: 'text/plain' })).status, 415);
    assert.equal((await api('GET', '/healthz')).status, 200);
    assert.equal((await api('GET', '/readyz')).status, 200);
    const yaml = await api('GET', '/openapi.yaml');
    assert.equal(
      yaml.text,
      readFileSync(join(ROOT, 'protocol/openapi.yaml'), 'utf8'),
      'served byte for byte, no token',
    );
    const page = await fetch(`${usa.url}/api/docs`);
    const html = await page.text();
    doc.check('GET', '/api/docs', { status: page.status, contentType: page.headers.get('content-type'), text: html });
    assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'none'/);
    assert.doesNotMatch(html, /<script|<style|style=/i, 'nothing the CSP would block');
    for (const op of doc.operations) assert.ok(html.includes(`<code>${op.id}</code>`), `${op.id} on the page`);
    assert.match(html, /<h2>registry<\/h2>/);
    assert.match(html, /<a href="#schema-Problem">Problem<\/a>/, 'schema references link to their section');
  });

  it('submission, delivery view, updates, audit and statistics', async () => {
    const n = sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 72 * HOUR });
    assert.equal((await api('POST', '/api/v1/notifications', { body: n })).status, 401);
    assert.equal((await api('POST', '/api/v1/notifications', { role: 'auditor', body: n })).status, 403);
    assert.equal((await api('POST', '/api/v1/notifications', { role: 'submitter', body: '{' })).status, 400);
    const invalid = { ...n, notificationId: 'not-a-uuid' };
    assert.equal((await api('POST', '/api/v1/notifications', { role: 'submitter', body: invalid })).status, 422);
    const sub = await api<{ id: string }>('POST', '/api/v1/notifications', { role: 'submitter', body: n });
    assert.equal(sub.status, 202);
    const id = sub.body.id;
    await settled(usa, id);
    assert.equal((await api('GET', `/api/v1/notifications/${id}`, { role: 'auditor' })).status, 200);
    assert.equal(
      (await api('GET', `/api/v1/notifications/0190a0a0-0000-7000-8000-000000000000`, { role: 'auditor' })).status,
      404,
    );
    assert.equal((await api('GET', '/api/v1/notifications?limit=5', { role: 'auditor' })).status, 200);
    assert.equal((await api('GET', '/api/v1/notifications?bogus=1', { role: 'auditor' })).status, 400);
    // Manual handling: a notification to a state without a delivery channel.
    const manual = sampleNotification({ origin: 'USA', destination: 'CAN', departureAt: Date.now() + 72 * HOUR });
    const noChannel = await api<{ id: string }>('POST', '/api/v1/notifications', { role: 'submitter', body: manual });
    assert.equal(noChannel.status, 202, noChannel.text);
    const read = `/api/v1/notifications/${noChannel.body.id}/message`;
    assert.equal((await api('GET', `${read}?purpose=check`, { role: 'poc' })).status, 200);
    assert.equal((await api('GET', read, { role: 'poc' })).status, 400);
    assert.equal((await api('GET', `/api/v1/notifications/${id}/message?purpose=check`, { role: 'poc' })).status, 403);
    // A resend of a message with no delivery channel is refused (409 no_channel); of an unknown id, 404.
    assert.equal(
      (await api('POST', `/api/v1/notifications/${noChannel.body.id}/resend`, { role: 'admin' })).status,
      409,
    );
    assert.equal(
      (await api('POST', `/api/v1/notifications/0190a0a0-0000-7000-8000-000000000000/resend`, { role: 'admin' }))
        .status,
      404,
    );

    const update = {
      v: '1',
      type: 'TravelUpdate',
      updateId: '0190a0a0-0000-7000-8000-00000000abcd',
      notificationId: id,
      origin: 'USA',
      destination: 'GBR',
      action: 'cancel',
      reason: 'Travel abandoned',
      issuedAt: new Date().toISOString(),
    };
    const up = await api('POST', '/api/v1/updates', { role: 'submitter', body: update });
    assert.equal(up.status, 202, up.text);
    assert.equal(
      (await api('POST', '/api/v1/updates', { role: 'submitter', body: { type: 'TravelUpdate' } })).status,
      422,
    );

    assert.equal((await api('GET', '/api/v1/audit?limit=5', { role: 'auditor' })).status, 200);
    assert.equal((await api('GET', '/api/v1/audit', { role: 'auditor', accept: 'image/png' })).status, 406);
    assert.equal((await api('GET', '/api/v1/audit', { role: 'submitter' })).status, 403);

    const day = new Date().toISOString().slice(0, 10);
    assert.equal((await api('GET', `/api/v1/stats?from=2026-01-01&to=${day}`, { role: 'auditor' })).status, 200);
    assert.equal((await api('GET', '/api/v1/stats?from=soon', { role: 'auditor' })).status, 400);
    // Without a period: the last twelve months up to now.
    const year = await api<{ from: string; to: string }>('GET', '/api/v1/stats', { role: 'auditor' });
    assert.equal(year.status, 200);
    const to = new Date(year.body.to);
    assert.ok(Math.abs(to.getTime() - Date.now()) < 60_000, year.body.to);
    const from = new Date(to);
    from.setUTCMonth(from.getUTCMonth() - 12);
    assert.equal(year.body.from, from.toISOString());
    // Timeliness filter, and every date filter takes a date or an instant alike.
    const onTime = await api<{ items: { id: string; timeliness: string }[] }>(
      'GET',
      `/api/v1/notifications?timeliness=on_time&from=${day}`,
      { role: 'auditor' },
    );
    assert.equal(onTime.status, 200);
    assert.ok(
      onTime.body.items.some((i) => i.id === id),
      'the delivered notification, on time',
    );
    assert.ok(onTime.body.items.every((i) => i.timeliness === 'on_time'));
    const late = await api<{ items: { id: string }[] }>('GET', '/api/v1/notifications?timeliness=late', {
      role: 'auditor',
    });
    assert.ok(!late.body.items.some((i) => i.id === id));
    assert.equal((await api('GET', '/api/v1/notifications?timeliness=soon', { role: 'auditor' })).status, 400);
    assert.equal((await api('GET', `/api/v1/audit?from=${day}&to=${day}T23:59:59Z`, { role: 'auditor' })).status, 200);
  });

  it('inbox and follow-ups, directory', async () => {
    const n = sampleNotification({ origin: 'GBR', destination: 'USA', departureAt: Date.now() + 48 * HOUR });
    const sub = await api<{ id: string }>('POST', '/api/v1/notifications', { role: 'submitter', body: n }, gbr);
    assert.equal(sub.status, 202);
    assert.equal((await settled(gbr, sub.body.id)).state, 'delivered');
    const page = await api<{ items: { id: string }[] }>('GET', `/api/v1/inbox?notificationId=${sub.body.id}`, {
      role: 'poc',
    });
    assert.equal(page.status, 200);
    const inboundId = page.body.items[0]!.id;
    assert.equal((await api('GET', '/api/v1/inbox?x=1', { role: 'poc' })).status, 400);
    assert.equal((await api('GET', `/api/v1/inbox/${inboundId}?purpose=check`, { role: 'poc' })).status, 200);
    assert.equal((await api('GET', `/api/v1/inbox/${inboundId}`, { role: 'poc' })).status, 400);
    const fu = `/api/v1/inbox/${inboundId}/follow-ups`;
    assert.equal((await api('POST', fu, { role: 'poc', body: { action: 'maybe' } })).status, 422);
    assert.equal((await api('POST', fu, { role: 'poc', body: { action: 'entry_denied' } })).status, 202);

    assert.equal((await api('GET', '/api/v1/directory', { role: 'admin' })).status, 200);
    assert.equal((await api('GET', '/api/v1/directory', { role: 'submitter' })).status, 403);
    assert.equal((await api('GET', '/api/v1/directory/network', { role: 'admin' })).status, 404);
    const patched = await api('PATCH', '/api/v1/directory/GBR', {
      role: 'admin',
      body: { accepts: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await api('PATCH', '/api/v1/directory/GBR', { role: 'admin', body: { enabled: true } })).status, 400);
  });

  it('registry and travel reports', async () => {
    const created = await api<{ id: string }>('POST', '/api/v1/registrants', {
      role: 'registry',
      body: registrantBody(),
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    assert.equal((await api('POST', '/api/v1/registrants', { role: 'registry', body: { person: {} } })).status, 422);
    const line = (o: object): string => `${JSON.stringify(o)}\n`;
    const imported = await api('POST', '/api/v1/registrants/import', {
      role: 'registry',
      body: line({ ...registrantBody(), externalReference: 'openapi-ref-1' }),
      type: 'application/x-ndjson',
    });
    assert.equal(imported.status, 200, imported.text);
    const wrongRole = await api('POST', '/api/v1/registrants/import', {
      role: 'submitter',
      body: line({}),
      type: 'application/x-ndjson',
    });
    assert.equal(wrongRole.status, 403);
    assert.equal(
      (await api('GET', `/api/v1/registrants?name=Kowalczyk&purpose=check`, { role: 'registry' })).status,
      200,
    );
    assert.equal((await api('GET', `/api/v1/registrants/${id}?purpose=check`, { role: 'registry' })).status, 200);
    const body = registrantBody({ family: 'Kowalski' });
    assert.equal((await api('PUT', `/api/v1/registrants/${id}`, { role: 'registry', body })).status, 200);
    const travel = { travel: travelBody(Date.now() + 30 * 24 * HOUR, Date.now()) };
    const deadline = new URLSearchParams({
      reportedAt: new Date().toISOString().slice(0, 10),
      departureAt: new Date(Date.now() + 30 * 24 * HOUR).toISOString().slice(0, 10),
    });
    assert.equal(
      (await api('GET', `/api/v1/travel-deadline?${deadline.toString()}`, { role: 'registry' })).status,
      200,
    );
    assert.equal((await api('GET', '/api/v1/travel-deadline', { role: 'registry' })).status, 400);
    const report = await api<{ id: string }>('POST', `/api/v1/registrants/${id}/travel-reports`, {
      role: 'registry',
      body: travel,
    });
    assert.equal(report.status, 201, report.text);
    const rid = report.body.id;
    assert.equal((await api('GET', `/api/v1/travel-reports/${rid}?purpose=check`, { role: 'registry' })).status, 200);
    assert.equal((await api('PUT', `/api/v1/travel-reports/${rid}`, { role: 'registry', body: travel })).status, 200);
    assert.equal(
      (await api('POST', `/api/v1/travel-reports/${rid}/cancel`, { role: 'registry', body: {} })).status,
      200,
    );
    const unknown = '0190a0a0-0000-7000-8000-000000000000';
    assert.equal((await api('GET', '/api/v1/registrants?name=x', { role: 'submitter' })).status, 403);
    assert.equal(
      (await api('PUT', `/api/v1/registrants/${id}`, { role: 'registry', body: { person: 1 } })).status,
      422,
    );
    assert.equal((await api('DELETE', `/api/v1/registrants/${unknown}`, { role: 'registry' })).status, 404);
    assert.equal((await api('POST', `/api/v1/registrants/${unknown}/end`, { role: 'registry', body: {} })).status, 404);
    const reports = `/api/v1/registrants/${id}/travel-reports`;
    assert.equal((await api('POST', reports, { role: 'registry', body: { travel: {} } })).status, 422);
    assert.equal((await api('GET', `/api/v1/travel-reports/${rid}`, { role: 'registry' })).status, 400);
    // Cancelled above: the change window is closed.
    assert.equal((await api('PUT', `/api/v1/travel-reports/${rid}`, { role: 'registry', body: travel })).status, 409);
    assert.equal((await api('GET', `/api/v1/registrants/${unknown}?purpose=check`, { role: 'registry' })).status, 404);
    assert.equal(
      (await api('POST', `/api/v1/travel-reports/${unknown}/cancel`, { role: 'registry', body: {} })).status,
      404,
    );
    assert.equal((await api('POST', `/api/v1/registrants/${id}/end`, { role: 'registry', body: {} })).status, 200);
    assert.equal((await api('DELETE', `/api/v1/registrants/${id}`, { role: 'registry' })).status, 200);
    assert.equal((await api('GET', `/api/v1/registrants/${id}?purpose=check`, { role: 'registry' })).status, 410);
  });

  it('manifest screening and cases', async () => {
    const r = await api<{ id: string }>('POST', '/api/v1/registrants', {
      role: 'registry',
      body: registrantBody({
        family: 'Fitzwilliam',
        given: ['Desmond'],
        dateOfBirth: '1959-12-30',
        passport: 'US4410093',
      }),
    });
    const manifest = {
      flight: {
        carrier: 'BA',
        flightNumber: 'BA0112',
        departureAirport: 'JFK',
        arrivalAirport: 'LHR',
        scheduledDeparture: jfkLocal(9, '09:40'),
        scheduledArrival: jfkLocal(9, '21:40'),
      },
      passengers: [
        {
          role: 'passenger',
          familyName: 'FITZWILLIAM',
          givenNames: ['DESMOND'],
          sex: 'M',
          dateOfBirth: '1959-12-30',
          nationality: 'USA',
          documents: [{ type: 'passport', number: 'US4410093', issuingState: 'USA' }],
        },
      ],
    };
    const posted = await api<{ id: string; candidates: { id: string; registrantId: string }[] }>(
      'POST',
      '/api/v1/manifests',
      { role: 'screening', body: manifest },
    );
    assert.equal(posted.status, 201, posted.text);
    assert.equal(
      (await api('POST', '/api/v1/manifests', { role: 'screening', body: 'UNA:+', type: 'application/edifact' }))
        .status,
      400,
    );
    const m = posted.body.id;
    assert.equal((await api('GET', '/api/v1/manifests?limit=5', { role: 'screening' })).status, 200);
    assert.equal((await api('GET', '/api/v1/manifests', { role: 'submitter' })).status, 403);
    assert.equal((await api('GET', `/api/v1/manifests/${m}?purpose=check`, { role: 'screening' })).status, 200);
    const cand = posted.body.candidates.find((c) => c.registrantId === r.body.id)!;
    const decision = `/api/v1/manifests/${m}/candidates/${cand.id}/decision`;
    assert.equal(
      (await api('POST', decision, { role: 'screening', body: { decision: 'maybe', reason: 'x' } })).status,
      400,
    );
    const decided = await api<{ case: { id: string } }>('POST', decision, {
      role: 'screening',
      body: { decision: 'confirmed', reason: 'compared passport and photo' },
    });
    assert.equal(decided.status, 200, decided.text);
    assert.equal(
      (await api('POST', decision, { role: 'screening', body: { decision: 'rejected', reason: 'x' } })).status,
      409,
    );
    assert.equal(
      (await api('GET', '/api/v1/manifests/0190a0a0-0000-7000-8000-000000000000', { role: 'screening' })).status,
      404,
    );
    assert.equal((await api('GET', '/api/v1/cases', { role: 'auditor' })).status, 200);
    assert.equal((await api('GET', '/api/v1/cases', { role: 'submitter' })).status, 403);
    assert.equal((await api('GET', `/api/v1/cases/${decided.body.case.id}`, { role: 'auditor' })).status, 200);
    assert.equal((await api('GET', '/api/v1/cases/nope', { role: 'auditor' })).status, 404);
  });

  it('every documented operation was answered: a success, and a refusal where it documents one', () => {
    const missing: string[] = [];
    for (const op of doc.operations) {
      const seen = [...(doc.seen.get(op.id) ?? [])];
      const documents4xx = Object.keys(op.responses).some((s) => /^4\d\d$/.test(s));
      if (!NO_SUCCESS_HERE.has(op.id) && !seen.some((s) => s < 300)) missing.push(`${op.id}: no success`);
      if (documents4xx && !seen.some((s) => s >= 400 && s < 500)) missing.push(`${op.id}: no refusal`);
    }
    assert.deepEqual(missing, []);
  });
});
