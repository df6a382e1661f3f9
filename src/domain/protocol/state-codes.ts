/**
 * The state codes a message may be addressed to: the 249 ISO 3166-1 alpha-3 codes officially
 * assigned (./iso-3166-1-alpha-3.ts, from the ISO 3166 Maintenance Agency's list as shipped by
 * Debian's iso-codes 4.15). The schemas check only the shape (three capitals); an unassigned code
 * such as `ZZZ` names no state, so no gateway and no statistic line can belong to it — it is refused,
 * not kept as `no_channel`. The ICAO 9303 codes XXA/XXB/XXC/XXX stay valid for citizenship only.
 */
import { ISO_3166_1_ALPHA_3 } from './iso-3166-1-alpha-3.js';

export const ASSIGNED_STATE_CODES: ReadonlySet<string> = new Set(ISO_3166_1_ALPHA_3.split(/\s+/).filter((c) => c));

export function isAssignedStateCode(code: string): boolean {
  return ASSIGNED_STATE_CODES.has(code);
}
