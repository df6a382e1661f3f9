/**
 * Retry maths, pure: exponential backoff with FULL jitter (AWS Architecture Blog, "Exponential Backoff
 * And Jitter", 2015) and a retry budget tied to the departure time.
 *
 *   delay(n) = random() · min(cap, base · 2^(n−1))          n = failed attempts so far (1, 2, …)
 *
 * Full jitter spreads the retries of many jobs that failed together (a partner outage) over the whole
 * window instead of synchronising them into waves. The budget ends at
 *
 *   deadline = departureAt + retryUntilAfterDepartureHours
 *
 * so a notice that can still land after the flight is tried (and recorded as `after_departure`), but a
 * partner that stays down does not keep the job forever. Messages without a departure (follow-ups) are
 * retried for the receiver's accepted message age (protocol.maxMessageAgeSeconds, counted from
 * creation): after that the partner would refuse the sealed bytes as stale anyway.
 *
 * The backoff is also capped by the time left before departure: at most `fraction` of it (never below
 * `floorMs`). A long outage grows the exponential term to its cap (minutes); without this a notice
 * departing in 30 minutes could sit out most of a 5-minute backoff after its partner came back.
 */

export interface BackoffSettings {
  baseMs: number;
  capMs: number;
}

export interface BudgetSettings {
  retryUntilAfterDepartureHours: number;
  maxMessageAgeSeconds: number;
}

const HOUR_MS = 3_600_000;

/** Full-jitter delay before retry number `failures` (1-based). `random` returns [0, 1). */
export function fullJitterDelay(failures: number, s: BackoffSettings, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^52 already exceeds any sane cap; clamping the exponent keeps the product finite.
  const ceiling = Math.min(s.capMs, s.baseMs * 2 ** Math.min(n - 1, 52));
  return Math.floor(random() * ceiling);
}

/** Last moment (epoch ms) at which another attempt may start. */
export function retryDeadline(rec: { departureAt: number | null; createdAt: number }, s: BudgetSettings): number {
  const ageLimit = rec.createdAt + s.maxMessageAgeSeconds * 1000;
  if (rec.departureAt === null) return ageLimit;
  return Math.min(rec.departureAt + s.retryUntilAfterDepartureHours * HOUR_MS, ageLimit);
}

/** How the time left before departure caps the backoff. */
export interface DepartureCap {
  departureAt: number | null;
  /** Largest share of the time left before departure one retry delay may take, (0, 1]. */
  fraction: number;
  /** The cap never goes below this, ms: a notice about to depart must not hammer its partner. */
  floorMs: number;
}

/**
 * The longest delay the departure allows, ms, or Infinity (no departure, or already departed: the
 * ordinary backoff applies until the retry budget ends).
 */
export function departureCapMs(now: number, cap: DepartureCap): number {
  if (cap.departureAt === null) return Infinity;
  const left = cap.departureAt - now;
  if (left <= 0) return Infinity;
  return Math.max(cap.floorMs, Math.floor(left * cap.fraction));
}

export type RetryDecision =
  { retry: true; delayMs: number; at: number } | { retry: false; reason: 'retry_budget_exhausted' };

export interface RetryInput {
  now: number;
  /** Failed attempts so far, including the one that just failed (≥ 1). */
  failures: number;
  deadline: number;
  /** The partner's Retry-After, already parsed and judged sane (see failure-classes.ts), or null. */
  retryAfterMs: number | null;
  backoff: BackoffSettings;
  /** Cap the delay by the time left before departure (see departureCapMs); absent: no such cap. */
  departure?: DepartureCap;
  random?: () => number;
}

/**
 * When to try again, or that the budget is spent:
 *
 *   delay = min(full jitter backoff (≤ cap), max(floor, fraction · time left before departure))
 *
 * A Retry-After from the partner is a floor ("not before"), but never beyond the cap: a partner cannot
 * park a time-critical notice for hours. The last retry is pulled in to the deadline rather than
 * dropped when the jittered delay would overshoot it.
 */
export function nextRetry(input: RetryInput): RetryDecision {
  const { now, deadline } = input;
  if (now >= deadline) return { retry: false, reason: 'retry_budget_exhausted' };
  let delay = fullJitterDelay(input.failures, input.backoff, input.random);
  if (input.departure) delay = Math.min(delay, departureCapMs(now, input.departure));
  if (input.retryAfterMs !== null) delay = Math.max(delay, Math.min(input.retryAfterMs, input.backoff.capMs));
  const at = Math.min(now + delay, deadline);
  return { retry: true, delayMs: at - now, at };
}
