import assert from 'node:assert/strict';
import { isTnxError } from '../../src/core/errors.js';
import {
  assessDeadline,
  deadlineStatus,
  DEFAULT_DEADLINE_RULES,
  resolveDeadlineRules,
  rulesForState,
  UK_STYLE_DEADLINE_RULES,
} from '../../src/domain/travel-reports/deadline.js';
import { ManualClock } from '../../src/core/clock.js';
import { DAY, HOUR, NOW, threeCountryReport } from './fixtures.js';

const clock = new ManualClock(NOW);
const reg = '6f1c1b7e-8d7a-4a51-9f0e-2f3c4d5e6f70';

describe('travel reports: deadline rules', () => {
  beforeEach(() => clock.set(NOW));

  it('defaults to 21 days of notice, emergencies allowed, changes until 24 h before departure', () => {
    assert.deepEqual(
      { ...DEFAULT_DEADLINE_RULES },
      { minimumNoticeDays: 21, emergencyAllowed: true, changeCutoffHours: 24 },
    );
    assert.equal(UK_STYLE_DEADLINE_RULES.minimumNoticeDays, 7);
  });

  it('21-day rule: exactly 21 days is on time, one second less is late (20 whole days)', () => {
    const onBoundary = assessDeadline(
      threeCountryReport(reg, { departure: NOW + 21 * DAY }),
      DEFAULT_DEADLINE_RULES,
      clock,
    );
    assert.equal(onBoundary.daysOfNotice, 21);
    assert.equal(onBoundary.late, false);
    const justUnder = assessDeadline(
      threeCountryReport(reg, { departure: NOW + 21 * DAY - 1000 }),
      DEFAULT_DEADLINE_RULES,
      clock,
    );
    assert.equal(justUnder.daysOfNotice, 20);
    assert.equal(justUnder.late, true);
    assert.equal(justUnder.emergency, false);
  });

  it('7-day (UK-style) rule: 10 days is on time there, late under the US rule', () => {
    const report = threeCountryReport(reg, { departure: NOW + 10 * DAY });
    assert.equal(assessDeadline(report, UK_STYLE_DEADLINE_RULES, clock).late, false);
    assert.equal(assessDeadline(report, DEFAULT_DEADLINE_RULES, clock).late, true);
    const six = assessDeadline(
      threeCountryReport(reg, { departure: NOW + 6 * DAY + 23 * HOUR }),
      UK_STYLE_DEADLINE_RULES,
      clock,
    );
    assert.deepEqual([six.daysOfNotice, six.late], [6, true]);
  });

  it('emergency travel with a reason waives the notice where allowed, and only there', () => {
    const report = {
      ...threeCountryReport(reg, { departure: NOW + 2 * DAY }),
      emergency: { reason: 'Funeral of a parent' },
    };
    const allowed = assessDeadline(report, DEFAULT_DEADLINE_RULES, clock);
    assert.deepEqual([allowed.emergency, allowed.late, allowed.daysOfNotice], [true, false, 2]);
    const strict = assessDeadline(report, resolveDeadlineRules({ emergencyAllowed: false }), clock);
    assert.deepEqual([strict.emergency, strict.late], [false, true]);
  });

  it('counts notice from when the registrant reported, not when staff entered it', () => {
    const report = threeCountryReport(reg, { departure: NOW + 21 * DAY, reportedAt: NOW });
    report.enteredAt = new Date(NOW + 3 * DAY).toISOString();
    assert.equal(assessDeadline(report, DEFAULT_DEADLINE_RULES, clock).late, false);
  });

  it('gives negative days of notice for travel reported after departure (as TNX/1 defines it)', () => {
    const a = assessDeadline(threeCountryReport(reg, { departure: NOW - 36 * HOUR }), DEFAULT_DEADLINE_RULES, clock);
    assert.deepEqual([a.daysOfNotice, a.late], [-2, true]);
  });

  it('allows changes until the cut-off before departure, by the clock', () => {
    const report = threeCountryReport(reg, { departure: NOW + 10 * DAY });
    const dep = NOW + 10 * DAY;
    clock.set(dep - 24 * HOUR - 1);
    assert.equal(assessDeadline(report, DEFAULT_DEADLINE_RULES, clock).changeAllowed, true);
    clock.set(dep - 24 * HOUR);
    assert.equal(
      assessDeadline(report, DEFAULT_DEADLINE_RULES, clock).changeAllowed,
      true,
      'the cut-off instant itself is allowed',
    );
    clock.set(dep - 24 * HOUR + 1);
    assert.equal(assessDeadline(report, DEFAULT_DEADLINE_RULES, clock).changeAllowed, false);
    const sixHours = resolveDeadlineRules({ changeCutoffHours: 6 });
    assert.equal(assessDeadline(report, sixHours, clock).changeAllowed, true);
    assert.equal(assessDeadline(report, sixHours, clock).changeDeadline, dep - 6 * HOUR);
  });

  it('resolves rules per state and refuses bad settings naming their path', () => {
    const byState = { GBR: { minimumNoticeDays: 7 }, USA: {} };
    assert.equal(rulesForState(byState, 'GBR').minimumNoticeDays, 7);
    assert.equal(rulesForState(byState, 'USA').minimumNoticeDays, 21);
    assert.equal(rulesForState(byState, 'CAN').changeCutoffHours, 24);
    assert.throws(
      () => rulesForState({ GBR: { minimumNoticeDays: -1 } }, 'GBR'),
      (e: unknown) => isTnxError(e, 'config_invalid') && e.pointer === 'travelReports/deadlines/GBR/minimumNoticeDays',
    );
    assert.throws(
      () => resolveDeadlineRules({ changeCutoffHours: Number.NaN }),
      (e: unknown) => isTnxError(e, 'config_invalid'),
    );
    assert.throws(
      () => resolveDeadlineRules({ minimumNoticeDays: 2.5 }),
      (e: unknown) => isTnxError(e, 'config_invalid'),
    );
  });

  describe('deadlineStatus: the rules on bare dates, as a form shows them before the report exists', () => {
    const at = (departureAt: number, emergency = false, reportedAt = NOW) => ({
      reportedAt,
      departureAt,
      emergency,
      now: NOW,
    });

    it('21-day rule: on time at 21 days, late one second earlier, with the days missing and the last on-time day', () => {
      const ok = deadlineStatus(at(NOW + 21 * DAY), DEFAULT_DEADLINE_RULES);
      assert.equal(ok.verdict, 'on_time');
      assert.equal(ok.daysShort, 0);
      assert.equal(ok.onTimeIfReportedBy, NOW);
      const late = deadlineStatus(at(NOW + 12 * DAY + 5 * HOUR), DEFAULT_DEADLINE_RULES);
      assert.equal(late.verdict, 'late');
      assert.equal(late.late, true);
      assert.equal(late.daysOfNotice, 12);
      assert.equal(late.daysShort, 9);
      assert.equal(late.minimumNoticeDays, 21);
      assert.equal(late.onTimeIfReportedBy, NOW + 12 * DAY + 5 * HOUR - 21 * DAY);
    });

    it('7-day rule: 8 days is on time where 21 would be late', () => {
      assert.equal(deadlineStatus(at(NOW + 8 * DAY), UK_STYLE_DEADLINE_RULES).verdict, 'on_time');
      assert.equal(deadlineStatus(at(NOW + 8 * DAY), DEFAULT_DEADLINE_RULES).verdict, 'late');
      assert.equal(deadlineStatus(at(NOW + 6 * DAY), UK_STYLE_DEADLINE_RULES).daysShort, 1);
    });

    it('an emergency waives the notice where the rules allow it, and is reported as not recognised where not', () => {
      const waived = deadlineStatus(at(NOW + 2 * DAY, true), DEFAULT_DEADLINE_RULES);
      assert.deepEqual([waived.verdict, waived.late, waived.emergency], ['emergency', false, true]);
      const strict = resolveDeadlineRules({ emergencyAllowed: false });
      const refused = deadlineStatus(at(NOW + 2 * DAY, true), strict);
      assert.deepEqual([refused.verdict, refused.late, refused.emergencyNotRecognised], ['late', true, true]);
    });

    it('reported after departure: its own verdict, negative notice, no change possible', () => {
      const s = deadlineStatus(at(NOW - 2 * HOUR), DEFAULT_DEADLINE_RULES);
      assert.equal(s.verdict, 'after_departure');
      assert.equal(s.daysOfNotice, -1);
      assert.equal(s.late, true);
      assert.equal(s.changeAllowed, false);
    });

    it('changes close changeCutoffHours before departure, counted from now', () => {
      const s = deadlineStatus(at(NOW + 30 * HOUR, false, NOW - 30 * DAY), DEFAULT_DEADLINE_RULES);
      assert.equal(s.changeAllowed, true);
      assert.equal(s.changeDeadline, NOW + 6 * HOUR);
      const closed = deadlineStatus(at(NOW + 23 * HOUR, false, NOW - 30 * DAY), DEFAULT_DEADLINE_RULES);
      assert.equal(closed.changeAllowed, false);
    });

    it('agrees with assessDeadline on a whole report', () => {
      const report = threeCountryReport(reg, { departure: NOW + 10 * DAY });
      const a = assessDeadline(report, DEFAULT_DEADLINE_RULES, clock);
      const d = deadlineStatus(
        { reportedAt: Date.parse(report.reportedAt), departureAt: a.departureAt, emergency: false, now: NOW },
        DEFAULT_DEADLINE_RULES,
      );
      assert.deepEqual(
        [d.late, d.daysOfNotice, d.changeAllowed, d.changeDeadline],
        [a.late, a.daysOfNotice, a.changeAllowed, a.changeDeadline],
      );
    });
  });
});
