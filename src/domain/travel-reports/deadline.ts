/**
 * Deadline rules for self-reported travel, per state:
 *  - minimum notice: default 21 days (the US rule for international travel under SORNA, 28 CFR
 *    Part 72); 7 days for UK-style regimes (Sexual Offences Act 2003 s.86 and its travel
 *    notification regulations);
 *  - emergency travel: allowed with a reason when the state provides for it; the notice is then waived;
 *  - changes: allowed up to `changeCutoffHours` before departure (default 24 h).
 * A late report is accepted and flagged, never refused: a late warning protects more than none.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TnxError } from '../../core/errors.js';
import { Defaulted, defaultsOf, Section } from '../../core/settings.js';
import { instantOf } from '../protocol/semantic-checks.js';
import type { StateCode } from '../protocol/types.js';
import type { Clock } from '../../core/clock.js';
import { departureOf, type TravelReport } from './travel-report.js';

/** The settings (one definition: type, default, description), embedded by src/config/schema.ts. */
export const deadlineRulesSchema = Section(
  {
    minimumNoticeDays: Defaulted(
      Type.Integer({
        minimum: 0,
        maximum: 365,
        description: 'Whole days of notice required before the first departure.',
      }),
      21,
    ),
    emergencyAllowed: Defaulted(
      Type.Boolean({ description: 'Whether emergency travel (with a reason) waives the minimum notice.' }),
      true,
    ),
    changeCutoffHours: Defaulted(
      Type.Number({
        minimum: 0,
        maximum: 8760,
        description: 'Changes are accepted until this many hours before departure.',
      }),
      24,
    ),
  },
  { description: "This state's deadline rules for self-reported travel." },
);

export type DeadlineRules = Static<typeof deadlineRulesSchema>;

export const DEFAULT_DEADLINE_RULES: Readonly<DeadlineRules> = Object.freeze(
  defaultsOf(deadlineRulesSchema) as DeadlineRules,
);
export const UK_STYLE_DEADLINE_RULES: Readonly<DeadlineRules> = Object.freeze({
  ...DEFAULT_DEADLINE_RULES,
  minimumNoticeDays: 7,
});

/** Rules per state code; states not listed get the defaults. */
export type DeadlineRulesByState = Readonly<Record<StateCode, Partial<DeadlineRules>>>;

function invalid(path: string, expected: string): TnxError {
  return new TnxError('config_invalid', `config ${path}: must be ${expected}`, { pointer: path });
}

/** Fill defaults and check ranges (a bad setting stops start-up, naming its path). */
export function resolveDeadlineRules(
  input: Partial<DeadlineRules> = {},
  path = 'travelReports/deadlines',
): DeadlineRules {
  const r = { ...DEFAULT_DEADLINE_RULES, ...input };
  if (!Number.isInteger(r.minimumNoticeDays) || r.minimumNoticeDays < 0 || r.minimumNoticeDays > 365) {
    throw invalid(`${path}/minimumNoticeDays`, 'an integer from 0 to 365');
  }
  if (typeof r.emergencyAllowed !== 'boolean') throw invalid(`${path}/emergencyAllowed`, 'a boolean');
  if (typeof r.changeCutoffHours !== 'number' || !(r.changeCutoffHours >= 0 && r.changeCutoffHours <= 8760)) {
    throw invalid(`${path}/changeCutoffHours`, 'a number of hours from 0 to 8760');
  }
  return Object.freeze(r);
}

export function rulesForState(byState: DeadlineRulesByState, state: StateCode): DeadlineRules {
  return resolveDeadlineRules(byState[state] ?? {}, `travelReports/deadlines/${state}`);
}

export interface DeadlineAssessment {
  /** Reported with less than the minimum notice, and not a recognised emergency. */
  late: boolean;
  /** floor((first departure − reportedAt) / 24 h), as TNX/1 defines it; negative when reported after departure. */
  daysOfNotice: number;
  /** An emergency the rules recognise (reason given and emergencies allowed). */
  emergency: boolean;
  /** Whether the report may still be changed now (clock) — cancellation is always possible. */
  changeAllowed: boolean;
  /** First departure, epoch ms. */
  departureAt: number;
  /** Last moment a change is accepted, epoch ms. */
  changeDeadline: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function assessDeadline(
  report: Pick<TravelReport, 'travel' | 'reportedAt' | 'emergency'>,
  rules: DeadlineRules,
  clock: Clock,
): DeadlineAssessment {
  const status = deadlineStatus(
    {
      reportedAt: instantOf(report.reportedAt),
      departureAt: departureOf(report),
      emergency: report.emergency !== undefined,
      now: clock.now(),
    },
    rules,
  );
  const { late, daysOfNotice, emergency, changeAllowed, departureAt, changeDeadline } = status;
  return { late, daysOfNotice, emergency, changeAllowed, departureAt, changeDeadline };
}

/** Dates as entered, before a whole report exists (the registry officer's form, as they type). */
export interface DeadlineDates {
  /** When the registrant reported, epoch ms. */
  reportedAt: number;
  /** First departure, epoch ms. */
  departureAt: number;
  /** Whether an emergency reason is given. */
  emergency: boolean;
  /** The moment the status is asked for, epoch ms (the clock's now). */
  now: number;
}

/** Which rule decides the outcome, so a form can say it in words. */
export type DeadlineVerdict =
  | 'on_time' // enough notice
  | 'late' // less notice than the minimum, no recognised emergency: accepted and flagged
  | 'emergency' // less notice than the minimum, waived by a recognised emergency
  | 'after_departure'; // reported at or after the departure: late, and nothing can be changed any more

export interface DeadlineStatus extends DeadlineAssessment {
  verdict: DeadlineVerdict;
  /** The rule applied: whole days of notice required. */
  minimumNoticeDays: number;
  /** Latest report time that is on time for this departure, epoch ms. */
  onTimeIfReportedBy: number;
  /** Days of notice missing (0 when on time). */
  daysShort: number;
  /** An emergency reason was given but the rules do not recognise emergencies. */
  emergencyNotRecognised: boolean;
}

/**
 * The deadline rules applied to bare dates: the one computation behind assessDeadline, exposed so
 * that a form can show the outcome before the report is recorded.
 */
export function deadlineStatus(dates: DeadlineDates, rules: DeadlineRules): DeadlineStatus {
  const { reportedAt, departureAt } = dates;
  // Whole days, rounded down: 20 days 23 hours is 20 days of notice, so late under a 21-day rule.
  // The same formula the receiving gateway checks (src/domain/protocol/semantic-checks.ts daysOfNotice).
  const daysOfNotice = Math.floor((departureAt - reportedAt) / DAY_MS);
  const emergency = dates.emergency && rules.emergencyAllowed;
  const changeDeadline = departureAt - rules.changeCutoffHours * HOUR_MS;
  const short = daysOfNotice < rules.minimumNoticeDays;
  const late = !emergency && short;
  const verdict: DeadlineVerdict =
    reportedAt >= departureAt ? 'after_departure' : !short ? 'on_time' : emergency ? 'emergency' : 'late';
  return {
    late,
    daysOfNotice,
    emergency,
    changeAllowed: dates.now <= changeDeadline,
    departureAt,
    changeDeadline,
    verdict,
    minimumNoticeDays: rules.minimumNoticeDays,
    onTimeIfReportedBy: departureAt - rules.minimumNoticeDays * DAY_MS,
    daysShort: short ? rules.minimumNoticeDays - daysOfNotice : 0,
    emergencyNotRecognised: dates.emergency && !rules.emergencyAllowed,
  };
}
