/**
 * Departure-aware order: BullMQ serves lower `priority` numbers first (1 is the highest priority; the
 * allowed range is 1 … 2^21−1 = 2 097 151; FIFO among equal priorities).
 *
 * The priority is the departure time itself on an absolute scale, not "time until departure": a
 * relative value computed at enqueue time would misorder two jobs enqueued hours apart, while an
 * absolute one makes every waiting job comparable whenever it was enqueued and however often it was
 * retried (a delayed job keeps its priority when it becomes due).
 *
 *   priority = 1 + floor((departureAt − 2026-01-01T00:00Z) / 5 min), clamped to [1, 2^21−1]
 *
 * Five-minute buckets cover 2^21 · 5 min ≈ 19.9 years (to late 2045) — raise PRIORITY_EPOCH before then.
 * Departures before the epoch (already departed) get 1: most urgent. Messages without a departure
 * (follow-up reports) are not time-critical and get the lowest priority, after every notification.
 */
export const PRIORITY_MAX = 2 ** 21 - 1;
export const PRIORITY_EPOCH = Date.UTC(2026, 0, 1);
export const PRIORITY_BUCKET_MS = 5 * 60_000;

export function deliveryPriority(departureAt: number | null): number {
  if (departureAt === null || !Number.isFinite(departureAt)) return PRIORITY_MAX;
  const bucket = Math.floor((departureAt - PRIORITY_EPOCH) / PRIORITY_BUCKET_MS);
  return Math.min(PRIORITY_MAX, Math.max(1, 1 + bucket));
}
