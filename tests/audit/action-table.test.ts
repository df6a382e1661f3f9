/**
 * The table of audited actions in docs/audit-trail.md is a promise: each action listed there is
 * written by a real flow. This test reads the table (no list of its own), drives one world through
 * the flows an operator, a partner and an auditor cause — USA (national registry and screening) and
 * GBR exchanging messages, THA following a signed network directory, the `tnx` command on USA's
 * configuration — and then looks every listed action up in the three audit trails. An action the
 * table lists that no flow writes fails it, and so does an action the code knows but the table does
 * not list.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { sampleCancel, sampleNotification } from '../../src/cli/demo/samples.js';
import { main } from '../../src/cli/main.js';
import type { Role, TnxConfigInput } from '../../src/config/schema.js';
import { AUDIT_ACTIONS } from '../../src/domain/audit/actions.js';
import type { FollowUpReport } from '../../src/domain/protocol/types.js';
import { sha256Hex } from '../../src/http/auth.js';
import { purgeDueManifests } from '../../src/features/screening/retention.js';
import { verifyRange } from '../../src/features/audit-trail/verify-range.js';
import type { RunningGateway } from '../../src/runtime/run-gateway.js';
import type { Store } from '../../src/ports/store/index.js';
import { FAST, federation, settled, start, TEST_WORKER, until, type Member } from '../e2e/federation.js';
import { example, inboundNotification, partnerSealer } from '../gateway/bootstrap.js';
import { HOUR, Network } from '../directory/network-harness.js';
import { sign } from '../directory/fixtures.js';
import type { NetworkDirectory } from '../../src/domain/directory/network.js';
import { jfkLocal, registrantBody } from '../manifests/setup.js';
import { keyFile, octJwks, secret } from '../registry/fixtures.js';
import { tempDir } from '../harness/tmp.js';
import { ROOT } from '../cli/keys-spawn.js';

/** Every `<entity>.<action>` the table in docs/audit-trail.md lists. */
export function actionsOfTable(markdown: string): Set<string> {
  const lines = markdown.split('\n');
  const head = lines.findIndex((l) => /^\|\s*entity\s*\|\s*actions\s*\|/.test(l));
  assert.ok(head >= 0, 'the table of actions in docs/audit-trail.md');
  const out = new Set<string>();
  for (const line of lines.slice(head + 2)) {
    if (!line.startsWith('|')) break;
    const [, entities = '', actions = ''] = line.split('|');
    const names = entities.split(',').map((e) => e.trim());
    for (const [, a] of actions.matchAll(/`([a-z_]+(?:\.[a-z_]+)?)`/g)) {
      if (a!.includes('.')) out.add(a!);
      else for (const e of names) out.add(`${e}.${a!}`);
    }
  }
  return out;
}

const ROLES: readonly Role[] = ['screening', 'registry', 'auditor', 'submitter', 'poc', 'admin'];

describe('audit: every action of the table in docs/audit-trail.md is written by a real flow', function () {
  this.timeout(180_000);
  const table = actionsOfTable(readFileSync(join(ROOT, 'docs/audit-trail.md'), 'utf8'));
  let members: Record<'USA' | 'GBR' | 'THA', Member>;
  let usa: RunningGateway;
  let gbr: RunningGateway | null = null;
  let net: Network;
  let secrets: Record<Role, string>;
  const stores: Store[] = [];
  const auth = (role: Role) => `Bearer ${secrets[role]}`;

  before(async () => {
    const dir = tempDir('tnx-action-table');
    secrets = Object.fromEntries(ROLES.map((r) => [r, `${r}-${randomBytes(16).toString('base64url')}`])) as Record<
      Role,
      string
    >;
    // THA is listed (its dev keys seal envelopes for USA below) but not started.
    members = await federation(
      ['USA', 'GBR', 'THA'] as const,
      {
        ...FAST,
        registry: {
          kekPath: keyFile(dir, 'kek.jwks.json', octJwks({ kid: 'kek-1', k: secret() })),
          indexKeyPath: keyFile(dir, 'index.key', `${secret()}\n`),
        },
        auth: { tokens: ROLES.map((role) => ({ id: `${role}-1`, role, sha256: sha256Hex(secrets[role]) })) },
        delivery: { backoffBaseMs: 50, backoffCapMs: 200, circuitFailureThreshold: 2, circuitProbeIntervalMs: 300 },
      } as Partial<TnxConfigInput>,
    );
    gbr = await start(members.GBR);
    usa = await start(members.USA, { worker: { ...TEST_WORKER, atRiskScanIntervalMs: 300 } });
    net = new Network(dir, 1);
    await net.start();
    await net.addState('THA');
    await net.publish();
    await net.startGateway('THA');
  });
  after(async () => {
    await usa?.close();
    await gbr?.close();
    await net?.stop();
  });

  const submit = (destination: string, hours: number) =>
    request(usa.url!)
      .post('/api/v1/notifications')
      .set('Authorization', auth('submitter'))
      .send(sampleNotification({ origin: 'USA', destination, departureAt: Date.now() + hours * HOUR }));
  const cancel = (notificationId: string) =>
    request(usa.url!)
      .post('/api/v1/updates')
      .set('Authorization', auth('submitter'))
      .send(sampleCancel({ origin: 'USA', destination: 'GBR', notificationId }))
      .expect(202);
  const written = async (gw: { ctx: { store: Store } }, action: string) =>
    (await gw.ctx.store.audit.query({ action }, { limit: 1 })).items.length > 0;

  it('the table and the code list the same actions', () => {
    assert.deepEqual([...table].sort(), [...AUDIT_ACTIONS].sort());
  });

  it('messages between two gateways: sent, received, followed up, cancelled, duplicated, refused', async () => {
    const n = await submit('GBR', 72).expect(202);
    const id = n.body.id as string;
    assert.equal((await settled(usa, id)).state, 'delivered');
    const rec = (await usa.ctx.store.outbound.get(id))!;
    const inbound = (await gbr!.ctx.store.inbound.getByJti('USA', rec.jti!))!;
    const fu = await request(gbr!.url!)
      .post(`/api/v1/inbox/${inbound.id}/follow-ups`)
      .set('Authorization', auth('poc'))
      .send({ action: 'entry_denied' })
      .expect(202);
    assert.equal((await settled(gbr!, fu.body.id as string)).state, 'delivered');
    const u = await cancel(id);
    assert.equal((await settled(usa, u.body.id as string)).state, 'delivered');

    // THA's dev keys are in USA's directory: a repeated envelope and a follow-up about nothing.
    const tha = await partnerSealer('THA');
    const inbox = (jwe: string) =>
      request(usa.url!).post('/tnx/v1/messages').set('Content-Type', 'application/jose').send(jwe);
    const sealed = await tha.seal(inboundNotification('THA'));
    const first = await inbox(sealed.jwe);
    assert.equal(first.status, 200, first.text);
    await inbox(sealed.jwe).expect(200);
    await inbox((await tha.seal(example<FollowUpReport>('follow-up-report.json'))).jwe).expect(422);
    // Refusals: an authenticated caller's bad input; a request nobody authenticated (counted per window).
    await request(usa.url!).post('/api/v1/notifications').set('Authorization', auth('submitter')).send({}).expect(422);
    await request(gbr!.url!).get('/api/v1/notifications').expect(401);
    await submit('DEU', 72).expect(202);
  });

  it('the registry, a manifest screened and reviewed, its retention', async () => {
    const api = `${usa.url}/api/v1`;
    const create = async (o: Parameters<typeof registrantBody>[0]) => {
      const r = await request(api).post('/registrants').set('Authorization', auth('registry')).send(registrantBody(o));
      assert.equal(r.status, 201, r.text);
      return r.body.id as string;
    };
    const a = await create({
      family: 'Fitzwilliam',
      given: ['Desmond'],
      dateOfBirth: '1959-12-30',
      passport: 'US4410093',
    });
    const b = await create({ family: 'Lindgren', given: ['Henrik'], dateOfBirth: '1970-10-10', passport: 'US5500331' });
    const c = await create({});
    await request(api)
      .get(`/registrants/${c}`)
      .query({ purpose: 'routine check' })
      .set('Authorization', auth('registry'))
      .expect(200);
    await request(api)
      .put(`/registrants/${c}`)
      .set('Authorization', auth('registry'))
      .send({ ...registrantBody(), reviewDue: '2028-01-01' })
      .expect(200);
    await request(api).delete(`/registrants/${c}`).set('Authorization', auth('registry')).expect(200);

    const person = (family: string, given: string, dateOfBirth: string, number: string) => ({
      role: 'passenger',
      familyName: family,
      givenNames: [given],
      sex: 'M',
      dateOfBirth,
      nationality: 'USA',
      documents: [{ type: 'passport', number, issuingState: 'USA' }],
    });
    const m = await request(api)
      .post('/manifests')
      .set('Authorization', auth('screening'))
      .send({
        flight: {
          carrier: 'BA',
          flightNumber: 'BA0112',
          departureAirport: 'JFK',
          arrivalAirport: 'LHR',
          scheduledDeparture: jfkLocal(9, '09:40'),
          scheduledArrival: null,
        },
        passengers: [
          person('FITZWILLIAM', 'DESMOND', '1959-12-30', 'US4410093'),
          person('LINDGREN', 'HENRIK', '1970-10-10', 'US5500331'),
        ],
      });
    assert.ok(m.status === 200 || m.status === 201, m.text);
    const candidates = m.body.candidates as { id: string; registrantId: string }[];
    const decide = (registrant: string, decision: string) =>
      request(api)
        .post(
          `/manifests/${m.body.id}/candidates/${candidates.find((x) => x.registrantId === registrant)!.id}/decision`,
        )
        .set('Authorization', auth('screening'))
        .send({ decision, reason: 'compared passport and photo' })
        .expect(200);
    const confirmed = await decide(a, 'confirmed');
    await decide(b, 'rejected');
    assert.equal((await settled(usa, confirmed.body.case.notificationId as string)).state, 'delivered');
    assert.ok((await purgeDueManifests(usa.ctx, Date.now() + 30 * 24 * HOUR)).includes(m.body.id as string));
  });

  it('a partner refusing for good, then gone: failed, retrying, circuit, at risk, cancelled, resent', async () => {
    await gbr!.close();
    const notKnowingUsa = {
      ...members.GBR.config,
      directory: {
        ...members.GBR.config.directory,
        partners: members.GBR.config.directory.partners.filter((p) => p.state !== 'USA'),
      },
    };
    gbr = await start({ ...members.GBR, config: notKnowingUsa });
    const refused = (await submit('GBR', 48).expect(202)).body.id as string;
    assert.equal((await settled(usa, refused)).state, 'failed');
    await gbr.close();
    gbr = null;

    // GBR down: transient failures open its circuit; one departs within the at-risk lead time.
    const soon = (await submit('GBR', 2).expect(202)).body.id as string;
    const withdrawn = (await submit('GBR', 48).expect(202)).body.id as string;
    await until('the circuit to open', () => written(usa, 'partner.circuit_opened'), 15_000);
    await until('the at-risk alert', () => written(usa, 'notification.at_risk'), 15_000);
    await cancel(withdrawn);
    await until('the local cancel', async () => (await usa.ctx.store.outbound.get(withdrawn))?.state === 'cancelled');

    gbr = await start(members.GBR);
    assert.equal((await settled(usa, soon, 30_000)).state, 'delivered');
    await request(usa.url!)
      .post(`/api/v1/notifications/${refused}/resend`)
      .set('Authorization', auth('admin'))
      .expect(202);
    assert.equal((await settled(usa, refused)).state, 'delivered');
  });

  it('configuration, keys and the trail itself: changed, generated, rotated, retired, queried, exported, verified', async () => {
    await request(usa.url!)
      .patch('/api/v1/directory/GBR')
      .set('Authorization', auth('admin'))
      .send({ accepts: ['TravelNotification', 'TravelUpdate', 'FollowUpReport'] })
      .expect(200);
    await request(usa.url!).get('/api/v1/audit').query({ limit: 5 }).set('Authorization', auth('auditor')).expect(200);

    const dir = tempDir('tnx-action-table-keys');
    const cfg = members.USA.setup.configPath;
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    const run = async (args: string[]) => assert.equal(await main(args, io), 0, err.join('\n'));
    await run(['keys', 'generate', '--state', 'USA', '--out', dir, '--config', cfg]);
    const keys = join(dir, 'usa.private.jwks.json');
    await run(['keys', 'rotate', '--keys', keys, '--config', cfg]);
    const kid = (JSON.parse(readFileSync(keys, 'utf8')) as { keys: { kid: string }[] }).keys[0]!.kid;
    await run(['keys', 'retire', '--keys', keys, '--kid', kid, '--config', cfg]);
    await run(['audit', 'export', '--config', cfg, '--from-seq', '1', '--to-seq', '3', '--out', join(dir, 'x.jsonl')]);
    // "Verify this range now" (the console's audit page calls this service; no API route has it).
    const verified = await verifyRange(usa.ctx, { id: 'oidc:auditor', role: 'auditor' }, 1, 3);
    assert.equal(verified.ok, true);
  });

  it('a signed network directory: applied, refused, stale, expired', async () => {
    const tha = net.gateway('THA');
    const republish = async (serial: number, nextUpdateMs: number, expiresMs: number) => {
      const now = Date.now();
      const doc: NetworkDirectory = {
        v: '1',
        network: 'tnx-test',
        serial,
        issuedAt: new Date(now - 1000).toISOString(),
        nextUpdate: new Date(now + nextUpdateMs).toISOString(),
        expiresAt: new Date(now + expiresMs).toISOString(),
        states: [net.entry(net.states.get('THA')!)],
      };
      net.coord.body = await sign(doc, net.c);
    };
    const applied = async () => (await tha.ctx.store.audit.query({ action: 'directory.applied' }, { limit: 5 })).items;
    await until('the first directory applied', async () => (await applied()).length >= 1, 15_000);
    // A short-lived issue 2, then a rollback to issue 1: refused, and issue 2 goes stale, then expires.
    await republish(2, 1_500, 4_000);
    await until('issue 2 applied', async () => (await applied()).length >= 2, 15_000);
    await republish(1, HOUR, 24 * HOUR);
    await until('a rollback refused', () => written(tha, 'directory.refused'), 15_000);
    await until('stale', () => written(tha, 'directory.stale'), 15_000);
    await until('expired', () => written(tha, 'directory.expired'), 15_000);
  });

  it('every action of the table is in one of the trails', async () => {
    stores.push(usa.ctx.store, gbr!.ctx.store, net.gateway('THA').ctx.store);
    // request.refused is written when its window closes; checkpoints every second.
    await until('the refusal window to close', () => written(gbr!, 'request.refused'), 10_000).catch(() => undefined);
    await until('a checkpoint', () => written(usa, 'audit.checkpoint'), 10_000).catch(() => undefined);
    const missing: string[] = [];
    for (const action of [...table].sort()) {
      let found = false;
      for (const s of stores) if ((await s.audit.query({ action }, { limit: 1 })).items.length > 0) found = true;
      if (!found) missing.push(action);
    }
    assert.deepEqual(missing, [], `actions of the table never written: ${missing.join(', ')}`);
  });
});
