/**
 * The seeded scenario (./scenario.ts), asserted number by number: in the SQLite store, through
 * GET /api/v1/stats (JSON and CSV), through `tnx stats`, and — over the same records as MongoDB
 * documents — through the Mongo aggregation pipelines executed by mingo.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aggregator } from 'mingo';
import request from 'supertest';
import { main } from '../../src/cli/main.js';
import {
  followUpsReceivedPipeline,
  followUpsSentPipeline,
  receivedCountsPipeline,
  receivedLeadPipeline,
  sentCountsPipeline,
  sentLeadPipeline,
  sentPerMonthPipeline,
  type Pipeline,
} from '../../src/adapters/store-mongo/stats-pipelines.js';
import type { StatsQuery, StatsRow } from '../../src/ports/store/index.js';
import { assembleRows, type CountRow, type FollowUpRow, type LeadRow } from '../../src/domain/stats/rows.js';
import type { StatsReport } from '../../src/features/statistics/report.js';
import { DAY } from '../travel-reports/fixtures.js';
import { bearer, nationalGateway, type NationalGateway } from '../national/setup.js';
import { RANGE, scenarioClock, seedScenario } from './scenario.js';

const H = 3600;
const Q: StatsQuery = {
  from: Date.parse('2026-12-01T00:00:00Z'),
  to: Date.parse('2026-12-02T00:00:00Z'),
  onTimeThresholdSeconds: 24 * H,
};

const row = (partner: string | null, r: Partial<StatsRow>): StatsRow => ({
  partner,
  notifications: 0,
  delivered: 0,
  deliveredBeforeDeparture: 0,
  onTime: 0,
  failed: 0,
  noChannel: 0,
  selfReported: 0,
  foundByManifest: 0,
  lateSelfReports: 0,
  leadTimeSeconds: { p10: null, median: null, p90: null },
  followUps: {},
  ...r,
});

const EXPECTED_SENT: StatsRow[] = [
  row(null, {
    notifications: 8,
    delivered: 4,
    deliveredBeforeDeparture: 3,
    onTime: 2,
    failed: 1,
    noChannel: 2,
    selfReported: 7,
    foundByManifest: 1,
    lateSelfReports: 3,
    leadTimeSeconds: { p10: -2 * H, median: 10 * H, p90: (29 * DAY) / 1000 },
    followUps: { entry_denied: 1, interviewed: 1, monitored: 2 },
  }),
  row('THA', {
    notifications: 3,
    delivered: 2,
    deliveredBeforeDeparture: 1,
    selfReported: 2,
    foundByManifest: 1,
    lateSelfReports: 1,
    leadTimeSeconds: { p10: -2 * H, median: -2 * H, p90: 10 * H },
    followUps: { entry_denied: 1, monitored: 2 },
  }),
  row('DEU', { notifications: 2, noChannel: 2, selfReported: 2, lateSelfReports: 1 }),
  row('FRA', {
    notifications: 2,
    delivered: 1,
    deliveredBeforeDeparture: 1,
    onTime: 1,
    failed: 1,
    selfReported: 2,
    lateSelfReports: 1,
    leadTimeSeconds: { p10: (29 * DAY) / 1000, median: (29 * DAY) / 1000, p90: (29 * DAY) / 1000 },
    followUps: { interviewed: 1 },
  }),
  row('GBR', {
    notifications: 1,
    delivered: 1,
    deliveredBeforeDeparture: 1,
    onTime: 1,
    selfReported: 1,
    leadTimeSeconds: { p10: 48 * H, median: 48 * H, p90: 48 * H },
  }),
];

const EXPECTED_RECEIVED: StatsRow[] = [
  row(null, {
    notifications: 3,
    delivered: 3,
    deliveredBeforeDeparture: 2,
    onTime: 1,
    selfReported: 2,
    foundByManifest: 1,
    lateSelfReports: 1,
    leadTimeSeconds: { p10: -H, median: 12 * H, p90: (5 * DAY) / 1000 },
    followUps: { monitored: 1, visa_refused: 1 },
  }),
  row('THA', {
    notifications: 2,
    delivered: 2,
    deliveredBeforeDeparture: 1,
    onTime: 1,
    selfReported: 1,
    foundByManifest: 1,
    leadTimeSeconds: { p10: -H, median: -H, p90: (5 * DAY) / 1000 },
    followUps: { monitored: 1 },
  }),
  row('GBR', {
    notifications: 1,
    delivered: 1,
    deliveredBeforeDeparture: 1,
    selfReported: 1,
    lateSelfReports: 1,
    leadTimeSeconds: { p10: 12 * H, median: 12 * H, p90: 12 * H },
    followUps: { visa_refused: 1 },
  }),
];

describe('statistics: seeded scenario', function () {
  this.timeout(30_000);
  let gw: NationalGateway;
  before(async () => {
    const clock = scenarioClock();
    gw = await nationalGateway({ clock });
    await seedScenario(gw, clock);
  });
  after(async () => gw.close());

  it('SQLite computes every number of what we sent, per destination and in total', async () => {
    assert.deepEqual(await gw.ctx.store.stats.sent(Q), EXPECTED_SENT);
  });

  it('SQLite computes every number of what we received, per origin and in total', async () => {
    assert.deepEqual(await gw.ctx.store.stats.received(Q), EXPECTED_RECEIVED);
  });

  it('an empty range gives a zero total and no partners', async () => {
    const rows = await gw.ctx.store.stats.sent({ ...Q, from: Q.from - 10 * DAY, to: Q.from - 9 * DAY });
    assert.deepEqual(rows, [row(null, {})]);
  });

  it('GET /api/v1/stats answers the report in JSON (auditor and admin only), with percentages', async () => {
    const res = await request(gw.app).get('/api/v1/stats').query(RANGE).set('Authorization', bearer('auditor'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const r = res.body as StatsReport;
    assert.equal(r.onTimeThresholdHours, 24);
    assert.equal(r.sent.total.notifications, 8);
    assert.equal(r.sent.total.deliveredBeforeDeparturePct, 37.5);
    assert.equal(r.sent.total.onTimePct, 25);
    const tha = r.sent.byDestination.find((l) => l.state === 'THA')!;
    assert.deepEqual([tha.deliveredBeforeDeparturePct, tha.onTimePct], [33.3, 0]);
    assert.deepEqual(r.topDestinations, [
      { state: 'THA', trips: 3 },
      { state: 'DEU', trips: 2 },
      { state: 'FRA', trips: 2 },
      { state: 'GBR', trips: 1 },
    ]);
    assert.deepEqual(
      r.received.byOrigin.map((l) => [l.state, l.notifications, l.deliveredBeforeDeparturePct]),
      [
        ['THA', 2, 50],
        ['GBR', 1, 100],
      ],
    );
    assert.equal(r.received.total.onTimePct, 33.3);
    for (const role of ['registry', 'poc'] as const) {
      assert.equal(
        (await request(gw.app).get('/api/v1/stats').query(RANGE).set('Authorization', bearer(role))).status,
        403,
      );
    }
    const bad = await request(gw.app)
      .get('/api/v1/stats')
      .query({ from: '2026-12-02', to: '2026-12-01' })
      .set('Authorization', bearer('auditor'));
    assert.equal(bad.body.code, 'invalid_request');
  });

  it('GET /api/v1/stats as CSV carries the same numbers', async () => {
    const res = await request(gw.app)
      .get('/api/v1/stats')
      .query(RANGE)
      .set('Authorization', bearer('auditor'))
      .set('Accept', 'text/csv');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type']!, /^text\/csv/);
    const lines = res.text.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'direction,state,notifications,delivered,before_departure,before_departure_pct,on_time,on_time_pct,lead_p10_h,lead_median_h,lead_p90_h,failed,no_channel,self_reported,found_by_manifest,late_self_reports,follow_ups',
    );
    assert.deepEqual(lines.slice(1), [
      'sent,ALL,8,4,3,37.5,2,25.0,-2.0,10.0,696.0,1,2,7,1,3,entry_denied=1 interviewed=1 monitored=2',
      'sent,THA,3,2,1,33.3,0,0.0,-2.0,-2.0,10.0,0,0,2,1,1,entry_denied=1 monitored=2',
      'sent,DEU,2,0,0,0.0,0,0.0,,,,0,2,2,0,1,',
      'sent,FRA,2,1,1,50.0,1,50.0,696.0,696.0,696.0,1,0,2,0,1,interviewed=1',
      'sent,GBR,1,1,1,100.0,1,100.0,48.0,48.0,48.0,0,0,1,0,0,',
      'received,ALL,3,3,2,66.7,1,33.3,-1.0,12.0,120.0,0,0,2,1,1,monitored=1 visa_refused=1',
      'received,THA,2,2,1,50.0,1,50.0,-1.0,-1.0,120.0,0,0,1,1,0,monitored=1',
      'received,GBR,1,1,1,100.0,0,0.0,12.0,12.0,12.0,0,0,1,0,1,visa_refused=1',
    ]);
  });

  it('`tnx stats` prints the same table in the terminal; without a period, the last twelve months', async () => {
    const configPath = join(gw.dir, 'tnx.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        state: 'USA',
        pointOfContact: gw.config.pointOfContact,
        keys: { privateJwksPath: gw.config.keys.privateJwksPath },
        store: { kind: 'sqlite', sqlitePath: gw.config.store.sqlitePath },
        directoryPath: gw.directoryPath,
      }),
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['stats', '--config', configPath, '--from', RANGE.from, '--to', RANGE.to], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    assert.equal(code, 0, err.join('\n'));
    const cells = (state: string, dir = 'sent') =>
      out.find((l) => l.startsWith(dir) && l.split(/\s+/)[1] === state)!.split(/\s{2,}/);
    assert.deepEqual(cells('ALL').slice(0, 8), ['sent', 'ALL', '8', '4', '3', '37.5', '2', '25.0']);
    assert.deepEqual(cells('THA', 'received').slice(0, 4), ['received', 'THA', '2', '2']);
    assert.equal(out.at(-1), 'top destinations by registrant trips: THA 3, DEU 2, FRA 2, GBR 1');

    // Without a period, as GET /api/v1/stats: the twelve calendar months up to now (or up to --to).
    const json = async (args: string[]) => {
      const lines: string[] = [];
      const c = await main(['stats', '--config', configPath, '--json', ...args], {
        out: (l) => lines.push(l),
        err: (l) => err.push(l),
      });
      assert.equal(c, 0, err.join('\n'));
      return JSON.parse(lines.join('\n')) as { from: string; to: string; sent: { total: { notifications: number } } };
    };
    const before = Date.now();
    const none = await json([]);
    const to = Date.parse(none.to);
    assert.ok(to >= before && to <= Date.now(), `to is now: ${none.to}`);
    const start = new Date(to);
    start.setUTCMonth(start.getUTCMonth() - 12);
    assert.equal(none.from, start.toISOString());
    const upTo = await json(['--to', RANGE.to]);
    assert.equal(upTo.from, '2025-12-02T00:00:00.000Z');
    assert.equal(upTo.sent.total.notifications, 8, 'the scenario lies in the twelve months before --to');
    const fromOnly = await json(['--from', '2025-06-01']);
    assert.ok(Date.parse(fromOnly.to) >= before, '--to defaults to now');
    assert.equal(
      await main(['stats', '--config', configPath, '--from', RANGE.to, '--to', RANGE.from], {
        out: () => undefined,
        err: () => undefined,
      }),
      1,
      'a period that ends before it starts is refused',
    );
  });

  /** The Mongo pipelines executed by mingo over every stored record, as MongoDB documents. */
  async function mongoRows(q: StatsQuery): Promise<{ sent: StatsRow[]; received: StatsRow[] }> {
    const outbound = (await gw.ctx.store.outbound.list({}, { limit: 500 })).items.map(({ id, ...r }) => ({
      _id: id,
      ...r,
    }));
    const inbound = (await gw.ctx.store.inbound.list({}, { limit: 500 })).items.map(({ id, ...r }) => ({
      _id: id,
      ...r,
    }));
    const run = <T>(docs: object[], p: Pipeline) => new Aggregator(p as never).run(docs as never) as unknown as T[];
    const sent = assembleRows(
      run<CountRow>(outbound, sentCountsPipeline(q)),
      run<LeadRow>(outbound, sentLeadPipeline(q, true)),
      run<LeadRow>(outbound, sentLeadPipeline(q, false))[0],
      run<FollowUpRow>(inbound, followUpsReceivedPipeline(q)),
    );
    const received = assembleRows(
      run<CountRow>(inbound, receivedCountsPipeline(q)),
      run<LeadRow>(inbound, receivedLeadPipeline(q, true)),
      run<LeadRow>(inbound, receivedLeadPipeline(q, false))[0],
      run<FollowUpRow>(outbound, followUpsSentPipeline(q)),
    );
    return { sent, received };
  }

  it('the MongoDB pipelines, run by mingo over the same records, give the same rows', async () => {
    const { sent, received } = await mongoRows(Q);
    assert.deepEqual(sent, EXPECTED_SENT);
    assert.deepEqual(received, EXPECTED_RECEIVED);
  });

  it('ranges cutting through days (daily rollup + partial days) and other thresholds agree with the pipelines', async () => {
    const at = (s: string) => Date.parse(s);
    const cases: StatsQuery[] = [
      { from: at('2026-12-01T09:00:00Z'), to: at('2026-12-01T14:00:00Z'), onTimeThresholdSeconds: 24 * H },
      { from: at('2026-11-30T12:00:00Z'), to: at('2026-12-03T12:00:00Z'), onTimeThresholdSeconds: H },
      { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-04T00:00:00Z'), onTimeThresholdSeconds: 72 * H },
      { from: at('2026-12-01T10:30:00Z'), to: at('2026-12-02T10:30:00Z'), onTimeThresholdSeconds: 24 * H },
      { from: at('2026-12-01T11:00:00Z'), to: at('2026-12-03T00:00:00Z'), onTimeThresholdSeconds: 0 },
    ];
    for (const q of cases) {
      const mongo = await mongoRows(q);
      assert.deepEqual(await gw.ctx.store.stats.sent(q), mongo.sent, `sent ${JSON.stringify(q)}`);
      assert.deepEqual(await gw.ctx.store.stats.received(q), mongo.received, `received ${JSON.stringify(q)}`);
    }
    const wide = await gw.ctx.store.stats.sent(cases[2]!);
    assert.equal(wide[0]!.notifications, 11, 'the report of 2026-12-03 counts in the wider range');
  });

  it('the monthly series: rollup days + partial days in SQLite, the same as the Mongo pipeline', async () => {
    const at = (s: string) => Date.parse(s);
    assert.deepEqual(await gw.ctx.store.stats.sentPerMonth(Q), [{ month: '2026-12', notifications: 8 }]);
    const outbound = (await gw.ctx.store.outbound.list({}, { limit: 500 })).items.map(({ id, ...r }) => ({
      _id: id,
      ...r,
    }));
    for (const r of [
      { from: at('2026-11-30T12:00:00Z'), to: at('2026-12-03T12:00:00Z') },
      { from: at('2026-12-01T10:30:00Z'), to: at('2026-12-02T10:30:00Z') },
      { from: at('2025-12-01T00:00:00Z'), to: at('2027-01-01T00:00:00Z') },
      { from: at('2026-10-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') },
    ]) {
      const mongo = new Aggregator(sentPerMonthPipeline(r) as never).run(outbound as never) as unknown;
      const sqlite = await gw.ctx.store.stats.sentPerMonth(r);
      assert.deepEqual(sqlite, mongo, JSON.stringify(r));
      const total = (await gw.ctx.store.stats.sent({ ...r, onTimeThresholdSeconds: 24 * H }))[0]!.notifications;
      assert.equal(
        sqlite.reduce((n, m) => n + m.notifications, 0),
        total,
        'the months add up to the report',
      );
    }
    assert.deepEqual(
      await gw.ctx.store.stats.sentPerMonth({ from: at('2026-10-01T00:00:00Z'), to: at('2026-12-01T00:00:00Z') }),
      [],
      'months without notifications are left out',
    );
  });
});
