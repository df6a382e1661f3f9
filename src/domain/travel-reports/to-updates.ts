/**
 * From a changed or cancelled travel report to TravelUpdates, one per destination already notified.
 *
 *  - destination kept, its travel section changed  → `amend` with the changed paths and the new travel;
 *  - destination dropped, or the report cancelled  → `cancel`;
 *  - destination added                             → listed in `added`: it needs a TravelNotification
 *    (toNotifications with `only`), not an update.
 * Amendments are refused after the change window (deadline rules) unless the change is a recognised
 * emergency; cancellation is always allowed — telling a state a trip is off never hurts.
 * Each destination's changes are computed on what that destination sees (travelFor), so an address
 * change in one country does not send an amendment to another.
 */
import { uuid7 } from '../../core/uuid7.js';
import { TnxError } from '../../core/errors.js';
import type { StateCode, Travel, TravelUpdate } from '../protocol/types.js';
import { type Clock, isoTime } from '../../core/clock.js';
import { assessDeadline, type DeadlineRules } from './deadline.js';
import { travelFor } from './to-notifications.js';
import type { TravelReport } from './travel-report.js';

export interface UpdateOptions {
  ownState: StateCode;
  rules: DeadlineRules;
  clock: Clock;
  /** notificationId of the TravelNotification sent to each destination of the old report. */
  notificationIds: Readonly<Record<StateCode, string>>;
  reason?: string;
  newId?: () => string;
}

export interface UpdatePlan {
  updates: TravelUpdate[];
  /** Destinations new in the changed report: notify them with toNotifications({ only }). */
  added: StateCode[];
}

const TRAVEL_PATHS = [
  'purpose',
  'departureAt',
  'legs',
  'destinationCountries',
  'accommodation',
  'returnDate',
  'travellingWithChild',
] as const;

/** Structural equality of JSON values, independent of object key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** Dotted paths of the travel section that differ, e.g. ["travel.departureAt", "travel.legs"]. */
export function changedPaths(before: Travel, after: Travel): string[] {
  return TRAVEL_PATHS.filter((p) => !sameJson(before[p], after[p])).map((p) => `travel.${p}`);
}

export function toUpdates(old: TravelReport, next: TravelReport | null, options: UpdateOptions): UpdatePlan {
  if (next && (next.id !== old.id || next.registrantId !== old.registrantId)) {
    throw new TnxError('invalid_travel_report', '/id and /registrantId must not change', { pointer: '/id' });
  }
  const newId = options.newId ?? uuid7;
  const issuedAt = isoTime(options.clock.now());
  const kept = new Set(next?.travel.destinationCountries ?? []);
  const updates: TravelUpdate[] = [];
  const base = (destination: StateCode): Omit<TravelUpdate, 'action'> => {
    const notificationId = options.notificationIds[destination];
    if (!notificationId)
      throw new TnxError('unknown_reference', `no notification recorded for destination ${destination}`);
    return {
      v: '1',
      type: 'TravelUpdate',
      updateId: newId(),
      notificationId,
      origin: options.ownState,
      destination,
      issuedAt,
    };
  };
  const withReason = (u: TravelUpdate): TravelUpdate =>
    options.reason === undefined ? u : { ...u, reason: options.reason };

  for (const destination of old.travel.destinationCountries) {
    if (!next || !kept.has(destination)) {
      updates.push(withReason({ ...base(destination), action: 'cancel' }));
      continue;
    }
    const after = travelFor(next, destination);
    const changed = changedPaths(travelFor(old, destination), after);
    if (changed.length > 0) updates.push(withReason({ ...base(destination), action: 'amend', changed, travel: after }));
  }
  if (next && updates.some((u) => u.action === 'amend')) checkChangeWindow(old, next, options);
  const added = next
    ? next.travel.destinationCountries.filter((d) => !old.travel.destinationCountries.includes(d))
    : [];
  return { updates, added };
}

/** The window closes `changeCutoffHours` before the earlier of the old and the new departure. */
function checkChangeWindow(old: TravelReport, next: TravelReport, options: UpdateOptions): void {
  const before = assessDeadline(old, options.rules, options.clock);
  const after = assessDeadline(next, options.rules, options.clock);
  if (after.emergency) return;
  if (!before.changeAllowed || !after.changeAllowed) {
    throw new TnxError(
      'change_window_closed',
      `travel report ${old.id} can no longer be changed (cut-off ${options.rules.changeCutoffHours} h before departure); cancel it or report an emergency`,
    );
  }
}
