/** The CSV of the statistics report: hours with one decimal, and no "-0.0" for a lead time just below zero. */
import assert from 'node:assert/strict';
import { statsCsv } from '../../src/features/statistics/render.js';
import type { StatsLine, StatsReport } from '../../src/features/statistics/report.js';

function line(state: string, lead: StatsLine['leadTimeSeconds']): StatsLine {
  return {
    state,
    notifications: 1,
    delivered: 1,
    deliveredBeforeDeparture: 0,
    deliveredBeforeDeparturePct: 0,
    onTime: 0,
    onTimePct: 0,
    leadTimeSeconds: lead,
    failed: 0,
    noChannel: 0,
    selfReported: 0,
    foundByManifest: 0,
    lateSelfReports: 0,
    followUps: {},
  };
}

describe('statistics: CSV rendering', () => {
  it('prints a lead time that rounds to zero as 0.0, never -0.0', () => {
    // −100 s and −144 s (−0.03 h, −0.04 h) round to zero; −400 s (−0.11 h) to −0.1.
    const lead = { p10: -100, median: -144, p90: -400 };
    const report: StatsReport = {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-02-01T00:00:00.000Z',
      onTimeThresholdHours: 24,
      sent: { total: line('ALL', lead), byDestination: [line('GBR', lead)] },
      received: { total: line('ALL', { p10: null, median: null, p90: null }), byOrigin: [] },
      topDestinations: [],
      screening: { manifests: 0, people: 0, candidates: 0, confirmed: 0, rejected: 0, pending: 0, casesOpened: 0 },
    };
    const csv = statsCsv(report);
    assert.ok(!csv.includes('-0.0'), csv);
    const [head, firstRow] = csv.split('\r\n');
    const cells = firstRow!.split(',');
    const col = (name: string) => cells[head!.split(',').indexOf(name)];
    assert.equal(col('lead_p10_h'), '0.0');
    assert.equal(col('lead_median_h'), '0.0');
    assert.equal(col('lead_p90_h'), '-0.1');
  });
});
