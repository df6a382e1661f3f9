/**
 * Receipt timing against departure: lead time = departure − receipt's `receivedAt`.
 *   on_time          lead ≥ delivery.onTimeThresholdHours
 *   late             0 < lead < threshold (arrived before the flight, but with less notice than agreed)
 *   after_departure  lead ≤ 0 (recorded, never dropped: the destination still learns of the visit)
 * The receipt's own `receivedAt` is used, not our clock, because it is what the receiver signed.
 */
import type { Timeliness } from '../../ports/store/index.js';

export interface LeadTime {
  /**
   * departure − receivedAt in seconds, to the millisecond (negative after departure); null without a
   * departure. Not rounded: the receiver computes the same figure from the same two times to the
   * millisecond, and both sides' statistics must agree (SPEC §8.3).
   */
  leadTimeSeconds: number | null;
  timeliness: Timeliness | null;
}

export function classifyLeadTime(
  departureAt: number | null,
  receivedAt: number,
  onTimeThresholdHours: number,
): LeadTime {
  if (departureAt === null) return { leadTimeSeconds: null, timeliness: null };
  const leadMs = departureAt - receivedAt;
  const timeliness: Timeliness =
    leadMs >= onTimeThresholdHours * 3_600_000 ? 'on_time' : leadMs > 0 ? 'late' : 'after_departure';
  return { leadTimeSeconds: leadMs / 1000, timeliness };
}
