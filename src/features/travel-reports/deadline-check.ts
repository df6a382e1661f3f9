/**
 * The deadline rules applied to the dates a registry officer is entering, before the report exists:
 * the same rule function the recorded report is assessed with (src/domain/travel-reports/deadline.ts),
 * with this registry's rules and clock, answered in words a form can show. No personal data goes in
 * or out, so nothing is audited.
 */
import { isoTime } from '../../core/clock.js';
import { TnxError } from '../../core/errors.js';
import { deadlineStatus, type DeadlineVerdict } from '../../domain/travel-reports/deadline.js';
import type { NationalDeps } from '../registry/deps.js';

export interface DeadlineCheckInput {
  /** When the registrant reported, epoch ms. */
  reportedAt: number;
  /** First departure, epoch ms. */
  departureAt: number;
  emergency: boolean;
}

export interface DeadlineCheck {
  verdict: DeadlineVerdict;
  late: boolean;
  emergency: boolean;
  emergencyNotRecognised: boolean;
  daysOfNotice: number;
  minimumNoticeDays: number;
  daysShort: number;
  onTimeIfReportedBy: string;
  changeAllowed: boolean;
  changeDeadline: string;
  /** One sentence for the officer. */
  message: string;
}

export function checkDeadline(deps: NationalDeps, input: DeadlineCheckInput): DeadlineCheck {
  for (const k of ['reportedAt', 'departureAt'] as const) {
    if (!Number.isFinite(input[k]))
      throw new TnxError('invalid_request', `${k} must be a date and time`, { pointer: `query/${k}` });
  }
  const s = deadlineStatus({ ...input, now: deps.ctx.clock.now() }, deps.rules);
  return {
    verdict: s.verdict,
    late: s.late,
    emergency: s.emergency,
    emergencyNotRecognised: s.emergencyNotRecognised,
    daysOfNotice: s.daysOfNotice,
    minimumNoticeDays: s.minimumNoticeDays,
    daysShort: s.daysShort,
    onTimeIfReportedBy: isoTime(s.onTimeIfReportedBy),
    changeAllowed: s.changeAllowed,
    changeDeadline: isoTime(s.changeDeadline),
    message: messageOf(s),
  };
}

function messageOf(s: ReturnType<typeof deadlineStatus>): string {
  const rule = `the rule is ${s.minimumNoticeDays} days of notice`;
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  switch (s.verdict) {
    case 'on_time':
      return `On time: reported ${days(s.daysOfNotice)} before departure; ${rule}.`;
    case 'emergency':
      return `Emergency travel: reported ${days(s.daysOfNotice)} before departure, ${days(s.daysShort)} short, waived by the emergency; ${rule}.`;
    case 'late':
      return `Late report: ${days(s.daysOfNotice)} of notice, ${days(s.daysShort)} short; ${rule}.${
        s.emergencyNotRecognised ? ' Emergencies do not waive the notice here.' : ''
      } It is recorded and flagged as late.`;
    case 'after_departure':
      return 'Reported after the departure: recorded and flagged as late; it can no longer be changed.';
  }
}
