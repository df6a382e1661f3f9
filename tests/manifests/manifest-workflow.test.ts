/**
 * Manifest screening as a gateway workflow, end to end over real HTTP: a USA gateway (registry,
 * screening, retention) and a GBR gateway that receives what USA notifies, real Redis queues and
 * workers, real SQLite files, real crypto. Registrants are created through the registry API, so the
 * screening index is kept current by the registry's own domain events.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import { bullConnection } from '../../src/adapters/queue-bullmq/connection.js';
import { BullScheduledJobs } from '../../src/adapters/queue-bullmq/scheduled-jobs.js';
import type { TravelNotification } from '../../src/domain/protocol/types.js';
import { purgeDueManifests } from '../../src/features/screening/retention.js';
import { settled, until } from '../e2e/federation.js';
import { paxlst } from '../screening/paxlst-builder.js';
import { call, jfkLocal, registrantBody, screeningWorld, type ScreeningWorld } from './setup.js';

interface CandidateOut {
  id: string;
  passengerIndex: number;
  registrantId: string;
  score: number;
  features: { feature: string; contribution: number }[];
  decision: string;
  outcome: string | null;
  caseId: string | null;
  registrant?: unknown;
  passenger?: unknown;
}
interface ManifestOut {
  id: string;
  passengers: number;
  crew: number;
  purgedAt: string | null;
  candidates: CandidateOut[];
  screening: { threshold: number };
}

describe('manifest screening workflow (two gateways)', function () {
  this.timeout(60_000);
  let w: ScreeningWorld;
  let api: string;
  before(async () => {
    w = await screeningWorld();
    api = `${w.usa.url}/api/v1`;
  });
  after(async () => w?.close());

  const createRegistrant = async (overrides: Parameters<typeof registrantBody>[0] = {}) => {
    const body = registrantBody(overrides);
    const res = await call<{ id: string }>(`${api}/registrants`, { auth: w.auth('registry'), body });
    assert.equal(res.status, 201, res.text);
    return { id: res.body.id, body };
  };

  const jsonManifest = (people: object[], flight: Partial<Record<string, string>> = {}) => ({
    flight: {
      carrier: 'BA',
      flightNumber: 'BA0178',
      departureAirport: 'JFK',
      arrivalAirport: 'LHR',
      scheduledDeparture: jfkLocal(10),
      scheduledArrival: null,
      ...flight,
    },
    passengers: people,
  });
  const bystander = (family: string) => ({
    role: 'passenger',
    familyName: family,
    givenNames: ['ALICE'],
    sex: 'F',
    dateOfBirth: '1990-02-03',
    nationality: 'CAN',
    documents: [{ type: 'passport', number: `CA${family.length}7733`, issuingState: 'CAN', expiresOn: null }],
  });
  const post = (body: object | string, type = 'application/json', query = '') =>
    call<ManifestOut>(`${api}/manifests${query}`, { auth: w.auth('screening'), body, type });
  const decide = (m: string, c: string, decision: string, reason = 'compared passport and photo') =>
    call<{
      candidate: CandidateOut;
      case: { id: string; notification: string; notificationId: string | null; destination: string } | null;
      alreadyNotified: string[] | null;
    }>(`${api}/manifests/${m}/candidates/${c}/decision`, { auth: w.auth('screening'), body: { decision, reason } });
  const actions = async (messageId: string): Promise<string[]> =>
    (await w.usa.ctx.store.audit.query({ messageId }, { limit: 100 })).items.map((e) => e.action).reverse();
  const manifestCount = async () => (await w.usa.ctx.store.manifests.stats(0, Number.MAX_SAFE_INTEGER)).manifests;

  it('JSON manifest: finds a registrant travelling under a variant name; answers and stores no passenger data in clear', async () => {
    const r = await createRegistrant({
      family: 'Kowalczyk',
      given: ['Wojciech', 'Adam'],
      dateOfBirth: '1971-05-17',
      passport: 'PL7734021',
    });
    const res = await post(
      jsonManifest([
        bystander('HARTLEY'),
        // Spelling variant of the family name (Polish "cz" written "ch"), middle name dropped, same passport.
        {
          role: 'passenger',
          familyName: 'KOVALCHYK',
          givenNames: ['WOJCIECH'],
          sex: 'M',
          dateOfBirth: '1971-05-17',
          nationality: 'USA',
          documents: [{ type: 'passport', number: 'PL7734021', issuingState: 'USA', expiresOn: null }],
        },
        bystander('MORGENSTERN'),
      ]),
    );
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.passengers, 3);
    const hits = res.body.candidates.filter((c) => c.registrantId === r.id);
    assert.equal(hits.length, 1, res.text);
    assert.equal(hits[0]!.passengerIndex, 1);
    assert.ok(hits[0]!.score >= res.body.screening.threshold);
    assert.ok(
      hits[0]!.features.some((f) => f.feature === 'document_exact'),
      'the features say why',
    );
    assert.equal(hits[0]!.decision, 'pending');
    for (const s of ['KOVALCHYK', 'HARTLEY', 'PL7734021', 'Kowalczyk', '1971-05-17'])
      assert.ok(!res.text.includes(s), `${s} not in the answer`);

    // At rest: the people are sealed; nothing of theirs is readable in the database file.
    const db = new Database(w.usa.ctx.config.store.sqlitePath, { readonly: true });
    try {
      const row = db.prepare('SELECT * FROM manifests WHERE id = ?').get(res.body.id) as Record<string, unknown>;
      const dump = JSON.stringify(row);
      assert.ok(typeof row.sealed_people === 'string');
      for (const s of ['KOVALCHYK', 'HARTLEY', 'MORGENSTERN', 'PL7734021', '1990-02-03'])
        assert.ok(!dump.includes(s), `${s} not stored in clear`);
    } finally {
      db.close();
    }
    assert.deepEqual(await actions(res.body.id), [
      'manifest.received',
      'personal_data.created',
      'manifest.screened',
      'personal_data.combined',
    ]);
  });

  it('PAXLST manifest through HTTP (release characters, crew) is screened the same way', async () => {
    const r = await createRegistrant({
      family: "O'Donnell",
      given: ['Cathal'],
      dateOfBirth: '1968-11-02',
      passport: 'IE5561230',
    });
    const date = jfkLocal(12).slice(2, 10).replace(/-/g, '');
    const text = paxlst([
      'BGM+745',
      'TDT+20+BA0178+++BA',
      'LOC+125+JFK',
      `DTM+189:${date}1015:201`,
      'LOC+87+LHR',
      `DTM+232:${date}2215:201`,
      'NAD+FL+++ODONNELL:CATHAL',
      'ATT+2++M',
      'DTM+329:681102',
      'NAT+2+IRL',
      'DOC+P+IE5561230',
      'LOC+91+USA',
      "NAD+FL+++O?'HARA:MAEVE",
      'ATT+2++F',
      'DTM+329:850412',
      'NAT+2+IRL',
      'DOC+P+IE0000001',
      'NAD+FM+++SMITH:JOHN',
      'ATT+2++M',
      'DTM+329:750101',
      'NAT+2+GBR',
      'DOC+P+GB1111111',
      'CNT+42:2',
    ]);
    const res = await post(text, 'application/edifact');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.passengers, 2);
    assert.equal(res.body.crew, 1);
    const hit = res.body.candidates.find((c) => c.registrantId === r.id);
    assert.ok(hit, res.text);
    assert.equal(hit.passengerIndex, 0);
  });

  it('a malformed manifest is refused with the segment and its position, and nothing is stored', async () => {
    const before = await manifestCount();
    const broken = paxlst(
      [
        'BGM+745',
        'TDT+20+BA0178+++BA',
        'LOC+125+JFK',
        'DTM+189:2612011015:201',
        'LOC+87+LHR',
        'NAD+FL+++DOE:JANE',
        'CNT+42:1',
      ],
      { untCount: 99 },
    );
    const res = await post(broken, 'application/edifact');
    assert.equal(res.status, 400, res.text);
    assert.match(res.type ?? '', /^application\/problem\+json/);
    const p = res.body as unknown as { code: string; detail: string; segment?: string; position?: number };
    assert.equal(p.code, 'malformed_manifest');
    assert.match(res.text, /UNT/);
    assert.match(res.text, /"position":\d+/);
    assert.ok(!res.text.includes('DOE'), 'no content in the problem');

    const badJson = await post({
      flight: { carrier: 'BA', flightNumber: 'BA1', departureAirport: 'JFK', arrivalAirport: 'LHR' },
      passengers: [{ role: 'pilot', familyName: 'X', givenNames: [] }],
    });
    assert.equal(badJson.status, 400);
    assert.equal((badJson.body as unknown as { code: string }).code, 'malformed_manifest');
    assert.match(badJson.text, /passengers\/0/);

    const wrongType = await post('<xml/>', 'application/xml');
    assert.equal(wrongType.status, 415);
    assert.equal(await manifestCount(), before, 'nothing stored');
  });

  it('roles: only screening submits and reads manifests; cases for screening and auditors', async () => {
    const body = jsonManifest([bystander('LINDQVIST')]);
    for (const role of ['submitter', 'auditor', 'registry', 'poc'] as const) {
      const res = await call(`${api}/manifests`, { auth: w.auth(role), body });
      assert.equal(res.status, 403, `${role} may not submit manifests`);
    }
    assert.equal((await call(`${api}/manifests`, { body })).status, 401);
    assert.equal((await call(`${api}/cases`, { auth: w.auth('auditor') })).status, 200);
    assert.equal((await call(`${api}/cases`, { auth: w.auth('screening') })).status, 200);
    assert.equal((await call(`${api}/cases`, { auth: w.auth('submitter') })).status, 403);
    const m = await post(body);
    assert.equal((await call(`${api}/manifests/${m.body.id}`, { auth: w.auth('auditor') })).status, 403);
  });

  it('registrant personal data only with a purpose, audited; the other passengers never', async () => {
    const r = await createRegistrant({
      family: 'Abernathy',
      given: ['Clive'],
      dateOfBirth: '1966-08-21',
      passport: 'US9921004',
    });
    const posted = await post(
      jsonManifest([
        bystander('QUARTERMAINE'),
        {
          role: 'passenger',
          familyName: 'ABERNATHY',
          givenNames: ['CLIVE'],
          sex: 'M',
          dateOfBirth: '1966-08-21',
          nationality: 'USA',
          documents: [{ type: 'passport', number: 'US9921004', issuingState: 'USA' }],
        },
      ]),
    );
    const id = posted.body.id;
    const plain = await call<ManifestOut>(`${api}/manifests/${id}`, { auth: w.auth('screening') });
    assert.equal(plain.status, 200);
    assert.ok(!plain.text.includes('Abernathy') && !plain.text.includes('ABERNATHY'));
    const shown = await call<ManifestOut>(
      `${api}/manifests/${id}?purpose=${encodeURIComponent('review of screening lead 17')}`,
      { auth: w.auth('screening') },
    );
    assert.equal(shown.status, 200, shown.text);
    const c = shown.body.candidates.find((x) => x.registrantId === r.id)!;
    assert.equal((c.registrant as { name: { family: string } }).name.family, 'Abernathy');
    assert.equal((c.passenger as { familyName: string }).familyName, 'ABERNATHY');
    assert.ok(!shown.text.includes('QUARTERMAINE'), 'a non-matching passenger is never shown');
    assert.ok(!shown.text.includes('sentenceSummary'), 'convictions are not part of the comparison view');
    const reads = await w.usa.ctx.store.audit.query({ action: 'personal_data.read', messageId: r.id }, { limit: 10 });
    assert.equal(reads.items.length, 1);
    assert.equal(reads.items[0]!.detail!.purpose, 'review of screening lead 17');
    assert.equal(reads.items[0]!.actor, 'screening-1');
    assert.ok((await actions(id)).includes('personal_data.read'));
    const empty = await call(`${api}/manifests/${id}?purpose=`, { auth: w.auth('screening') });
    assert.equal(empty.status, 400);
    assert.equal((empty.body as { code: string }).code, 'purpose_required');
  });

  it('confirmed on a trip not reported: a case and a manifest_match notification delivered to the destination', async () => {
    const r = await createRegistrant({
      family: 'Fitzwilliam',
      given: ['Desmond'],
      dateOfBirth: '1959-12-30',
      passport: 'US4410093',
    });
    const posted = await post(
      jsonManifest(
        [
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
        { flightNumber: 'BA0112', scheduledDeparture: jfkLocal(9, '09:40'), scheduledArrival: jfkLocal(9, '21:40') },
      ),
    );
    const cand = posted.body.candidates.find((c) => c.registrantId === r.id)!;
    const res = await decide(posted.body.id, cand.id, 'confirmed');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.candidate.decision, 'confirmed');
    assert.equal(res.body.candidate.outcome, 'case_opened');
    const k = res.body.case!;
    assert.equal(k.destination, 'GBR');
    assert.equal(k.notification, 'submitted');

    const rec = await settled(w.usa, k.notificationId!);
    assert.equal(rec.state, 'delivered', rec.lastError ?? '');
    assert.equal(rec.source, 'manifest_match');
    const sent = rec.message as TravelNotification;
    assert.equal(sent.source.kind, 'manifest_match');
    assert.equal(sent.person.name.family, 'Fitzwilliam');
    assert.equal(sent.travel.legs[0]!.flightNumber, 'BA0112');
    assert.match(sent.travel.departureAt, /T09:40:00-0[45]:00$/, 'local time with the airport offset');
    assert.equal(sent.report.late, true);
    const received = await until(
      'GBR to hold the notification',
      async () => (await w.gbr.ctx.store.inbound.list({ notificationId: k.notificationId! }, { limit: 5 })).items[0],
    );
    assert.equal((received.message as TravelNotification).source.kind, 'manifest_match');

    const cases = await call<{ items: { id: string; registrantId: string }[] }>(`${api}/cases?registrantId=${r.id}`, {
      auth: w.auth('auditor'),
    });
    assert.deepEqual(
      cases.body.items.map((x) => x.id),
      [k.id],
    );
    const events = await w.usa.ctx.store.audit.query({ action: 'case.opened', messageId: k.id }, { limit: 5 });
    assert.equal(events.items.length, 1);
    assert.equal(events.items[0]!.partner, 'GBR');
    assert.ok((await actions(posted.body.id)).includes('match.confirmed'));

    // The same person on the same flight in a second manifest (e.g. an updated list): no second case.
    const again = await post(
      jsonManifest(
        [
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
        { flightNumber: 'BA112', scheduledDeparture: jfkLocal(9, '09:40') },
      ),
    );
    const c2 = again.body.candidates.find((c) => c.registrantId === r.id)!;
    const second = await decide(again.body.id, c2.id, 'confirmed');
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.case, null);
    assert.deepEqual(second.body.alreadyNotified, [k.notificationId]);
    const sentToGbr = await w.usa.ctx.store.outbound.list(
      { partner: 'GBR', messageType: 'TravelNotification' },
      { limit: 100 },
    );
    assert.equal(
      sentToGbr.items.filter((o) => (o.message as TravelNotification).person.name.family === 'Fitzwilliam').length,
      1,
    );
  });

  it('confirmed on a trip already self-reported: no second notification; the second source is recorded on the first', async () => {
    const r = await createRegistrant({
      family: 'Okonkwo',
      given: ['Emeka'],
      dateOfBirth: '1975-04-09',
      passport: 'US7781552',
    });
    const date = jfkLocal(20).slice(0, 10);
    const report = await call<{ id: string; notificationIds: Record<string, string> }>(
      `${api}/registrants/${r.id}/travel-reports`,
      {
        auth: w.auth('registry'),
        body: {
          travel: {
            purpose: 'Family visit',
            legs: [
              {
                sequence: 1,
                carrier: 'BA',
                flightNumber: 'BA0178',
                departureAirport: 'JFK',
                arrivalAirport: 'LHR',
                scheduledDeparture: `${date}T10:15:00-05:00`,
              },
            ],
            destinationCountries: ['GBR'],
            returnDate: null,
            travellingWithChild: false,
          },
        },
      },
    );
    assert.equal(report.status, 201, report.text);
    const first = report.body.notificationIds.GBR!;
    assert.ok(first);
    const before = (await w.usa.ctx.store.outbound.list({ messageType: 'TravelNotification' }, { limit: 1000 })).items
      .length;

    const posted = await post(
      jsonManifest(
        [
          {
            role: 'passenger',
            familyName: 'OKONKWO',
            givenNames: ['EMEKA'],
            sex: 'M',
            dateOfBirth: '1975-04-09',
            nationality: 'USA',
            documents: [{ type: 'passport', number: 'US7781552', issuingState: 'USA' }],
          },
        ],
        { flightNumber: 'BA178', scheduledDeparture: `${date}T10:15` },
      ),
    );
    const cand = posted.body.candidates.find((c) => c.registrantId === r.id)!;
    const res = await decide(posted.body.id, cand.id, 'confirmed');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.case, null, 'no unreported-travel case');
    assert.equal(res.body.candidate.outcome, 'already_notified');
    assert.deepEqual(res.body.alreadyNotified, [first]);
    const after = (await w.usa.ctx.store.outbound.list({ messageType: 'TravelNotification' }, { limit: 1000 })).items
      .length;
    assert.equal(after, before, 'no second notification');
    const rec = await w.usa.ctx.store.outbound.get(first);
    assert.deepEqual((rec!.message as TravelNotification).source, {
      kind: 'self_report',
      alsoFoundBy: ['manifest_match'],
    });
    const cases = await call<{ items: unknown[] }>(`${api}/cases?registrantId=${r.id}`, { auth: w.auth('screening') });
    assert.deepEqual(cases.body.items, []);
  });

  it('rejected: nothing but the audited decision; a candidate is decided once', async () => {
    const r = await createRegistrant({
      family: 'Vasquez',
      given: ['Ramon'],
      dateOfBirth: '1980-06-30',
      passport: 'US6619920',
    });
    const posted = await post(
      jsonManifest(
        [
          {
            role: 'passenger',
            familyName: 'VASQUEZ',
            givenNames: ['RAMON'],
            sex: 'M',
            dateOfBirth: '1980-06-30',
            nationality: 'USA',
            documents: [],
          },
        ],
        { flightNumber: 'BA0114' },
      ),
    );
    const cand = posted.body.candidates.find((c) => c.registrantId === r.id)!;
    const outBefore = (await w.usa.ctx.store.outbound.list({}, { limit: 1000 })).items.length;
    const res = await decide(posted.body.id, cand.id, 'rejected', 'different person: photo and height');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.candidate.decision, 'rejected');
    assert.equal(res.body.case, null);
    assert.equal((await w.usa.ctx.store.outbound.list({}, { limit: 1000 })).items.length, outBefore);
    const cases = await call<{ items: unknown[] }>(`${api}/cases?registrantId=${r.id}`, { auth: w.auth('screening') });
    assert.deepEqual(cases.body.items, []);
    const ev = (
      await w.usa.ctx.store.audit.query({ action: 'match.rejected', messageId: posted.body.id }, { limit: 5 })
    ).items;
    assert.equal(ev.length, 1);
    assert.equal(ev[0]!.detail!.registrantId, r.id);
    assert.ok(!JSON.stringify(ev[0]).includes('photo and height'), 'the free-text reason stays out of the trail');

    const twice = await decide(posted.body.id, cand.id, 'confirmed');
    assert.equal(twice.status, 409);
    const bad = await call(`${api}/manifests/${posted.body.id}/candidates/${cand.id}/decision`, {
      auth: w.auth('screening'),
      body: { decision: 'maybe', reason: 'x' },
    });
    assert.equal(bad.status, 400);
    const extra = await call(`${api}/manifests/${posted.body.id}/candidates/${cand.id}/decision`, {
      auth: w.auth('screening'),
      body: { decision: 'rejected', reason: 'x', score: 1 },
    });
    assert.equal(extra.status, 400);
    const unknown = await decide(posted.body.id, '00000000-0000-4000-8000-000000000000', 'rejected');
    assert.equal(unknown.status, 404);
  });

  it('the index follows the registry: an erased registrant is no longer found', async () => {
    const r = await createRegistrant({
      family: 'Thorvaldsen',
      given: ['Bjarne'],
      dateOfBirth: '1962-01-25',
      passport: 'US3300117',
    });
    const passenger = {
      role: 'passenger',
      familyName: 'THORVALDSEN',
      givenNames: ['BJARNE'],
      sex: 'M',
      dateOfBirth: '1962-01-25',
      nationality: 'USA',
      documents: [{ type: 'passport', number: 'US3300117', issuingState: 'USA' }],
    };
    const found = await post(jsonManifest([passenger]));
    assert.ok(found.body.candidates.some((c) => c.registrantId === r.id));
    const erased = await call(`${api}/registrants/${r.id}`, { method: 'DELETE', auth: w.auth('registry') });
    assert.equal(erased.status, 200, erased.text);
    const after = await post(jsonManifest([passenger]));
    assert.ok(!after.body.candidates.some((c) => c.registrantId === r.id));
  });
  it('confirmed on a flight to an airport not in the table: a case marked not_notifiable, no guess, nothing sent', async () => {
    const r = await createRegistrant({
      family: 'Marchetti',
      given: ['Paolo'],
      dateOfBirth: '1969-09-09',
      passport: 'US8800442',
    });
    const posted = await post(
      jsonManifest(
        [
          {
            role: 'passenger',
            familyName: 'MARCHETTI',
            givenNames: ['PAOLO'],
            sex: 'M',
            dateOfBirth: '1969-09-09',
            documents: [{ type: 'passport', number: 'US8800442' }],
          },
        ],
        { carrier: 'ZZ', flightNumber: 'ZZ0901', arrivalAirport: 'QQQ' },
      ),
    );
    const cand = posted.body.candidates.find((c) => c.registrantId === r.id)!;
    const outBefore = (await w.usa.ctx.store.outbound.list({}, { limit: 1000 })).items.length;
    const res = await decide(posted.body.id, cand.id, 'confirmed');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.case!.notification, 'not_notifiable');
    assert.equal(res.body.case!.destination, null);
    assert.equal((await w.usa.ctx.store.outbound.list({}, { limit: 1000 })).items.length, outBefore);
    const read = await call<{ id: string; notification: string }>(`${api}/cases/${res.body.case!.id}`, {
      auth: w.auth('auditor'),
    });
    assert.equal(read.status, 200);
    assert.equal(read.body.notification, 'not_notifiable');
  });

  it('retention: the people are purged past retentionHours; the result stays, without passenger data', async () => {
    const r = await createRegistrant({
      family: 'Lindgren',
      given: ['Henrik'],
      dateOfBirth: '1970-10-10',
      passport: 'US5500331',
    });
    const posted = await post(
      jsonManifest([
        bystander('PEMBERTON'),
        {
          role: 'passenger',
          familyName: 'LINDGREN',
          givenNames: ['HENRIK'],
          sex: 'M',
          dateOfBirth: '1970-10-10',
          nationality: 'USA',
          documents: [{ type: 'passport', number: 'US5500331', issuingState: 'USA' }],
        },
      ]),
    );
    const id = posted.body.id;
    const early = await purgeDueManifests(w.usa.ctx, w.usa.ctx.clock.now() + 23 * 3_600_000);
    assert.ok(!early.includes(id), 'kept within the 24 h');
    const purged = await purgeDueManifests(w.usa.ctx, w.usa.ctx.clock.now() + 24 * 3_600_000 + 1000);
    assert.ok(purged.includes(id));
    assert.deepEqual(await purgeDueManifests(w.usa.ctx, w.usa.ctx.clock.now() + 48 * 3_600_000), [], 'purged once');

    const db = new Database(w.usa.ctx.config.store.sqlitePath, { readonly: true });
    try {
      const row = db
        .prepare('SELECT sealed_people, wrapped_key, purged_at FROM manifests WHERE id = ?')
        .get(id) as Record<string, unknown>;
      assert.equal(row.sealed_people, null);
      assert.equal(row.wrapped_key, null);
      assert.ok(typeof row.purged_at === 'number');
    } finally {
      db.close();
    }
    const view = await call<ManifestOut>(`${api}/manifests/${id}?purpose=audit%20of%20lead`, {
      auth: w.auth('screening'),
    });
    assert.equal(view.status, 200, view.text);
    assert.ok(view.body.purgedAt);
    assert.equal(view.body.passengers, 2);
    const c = view.body.candidates.find((x) => x.registrantId === r.id)!;
    assert.equal(c.passengerIndex, 1, 'the result stays: position, registrant, score, features');
    assert.ok(c.score > 0 && c.features.length > 0);
    assert.equal(c.passenger, null, 'the passenger data is gone');
    assert.ok(!view.text.includes('LINDGREN') && !view.text.includes('PEMBERTON'));
    const trail = await actions(id);
    assert.ok(trail.includes('manifest.expired') && trail.includes('personal_data.erased'), trail.join());
  });

  it('retention runs as a BullMQ job scheduler at the configured interval', async () => {
    const { redis } = w.usa.ctx.config;
    const connection = bullConnection(redis.url);
    const queue = new Queue(BullScheduledJobs.queueName(w.usa.screening!.retention!.name), {
      connection,
      prefix: redis.prefix,
    });
    const schedulers = await queue.getJobSchedulers();
    await queue.close();
    connection.disconnect();
    const s = schedulers.find((x) => x.key === 'manifest-retention' || x.id === 'manifest-retention');
    assert.ok(s, JSON.stringify(schedulers));
    assert.equal(Number(s.every), 1000);
  });
  it('statistics count manifests, reviews, cases and notifications found by manifest', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const res = await call<{ sent: { total: { foundByManifest: number } }; screening: Record<string, number> }>(
      `${api}/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      { auth: w.auth('auditor') },
    );
    assert.equal(res.status, 200, res.text);
    const s = res.body.screening;
    // This suite: 12 manifests accepted (malformed ones are not), 4 confirmations, 1 rejection, 2 cases.
    assert.equal(s.manifests, 12);
    assert.equal(s.confirmed, 4);
    assert.equal(s.rejected, 1);
    assert.equal(s.casesOpened, 2);
    assert.ok(s.people! >= s.manifests && s.candidates! >= 4);
    assert.equal(res.body.sent.total.foundByManifest, 1);
  });
});
