/**
 * A partner endpoint's health, judged from our recent delivery attempts to it (the `delivery.attempt`
 * events): no probing of our own, so what an administrator sees is what deliveries met. The verdict
 * leans on the latest attempts — an endpoint that failed last week but answers now is healthy —
 * while the rate over the window says how bumpy the road was.
 */

export interface AttemptFact {
  at: number;
  outcome: 'delivered' | 'retry' | 'failed';
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

export type HealthVerdict =
  | 'healthy' // the latest attempt delivered, and most in the window did
  | 'degraded' // the latest delivered but many did not, or the latest failed after a success
  | 'failing' // the latest attempts all failed
  | 'idle'; // no attempt in the window: nothing to judge

export interface EndpointHealth {
  verdict: HealthVerdict;
  attempts: number;
  delivered: number;
  /** Share of attempts in the window that delivered, 0..1; null when idle. */
  successRate: number | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  lastFailure: { at: number; httpStatus: number | null; error: string | null } | null;
  /** Median duration of the window's attempts, ms; null when idle. */
  medianDurationMs: number | null;
  /** Failed attempts in a row, counted back from the latest. */
  failingStreak: number;
}

/** Consecutive failures that make an endpoint `failing` rather than `degraded`. */
export const FAILING_STREAK = 3;
/** Success rate under which an endpoint that answers now is still `degraded`. */
export const HEALTHY_RATE = 0.9;

/** `attempts` in any order; those before `since` are ignored. */
export function endpointHealth(attempts: readonly AttemptFact[], since: number): EndpointHealth {
  const recent = attempts.filter((a) => a.at >= since).sort((a, b) => b.at - a.at);
  if (recent.length === 0) {
    return {
      verdict: 'idle',
      attempts: 0,
      delivered: 0,
      successRate: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastFailure: null,
      medianDurationMs: null,
      failingStreak: 0,
    };
  }
  const delivered = recent.filter((a) => a.outcome === 'delivered');
  const lastFail = recent.find((a) => a.outcome !== 'delivered');
  let failingStreak = 0;
  while (failingStreak < recent.length && recent[failingStreak]!.outcome !== 'delivered') failingStreak += 1;
  const successRate = delivered.length / recent.length;
  const verdict: HealthVerdict =
    failingStreak === 0
      ? successRate >= HEALTHY_RATE
        ? 'healthy'
        : 'degraded'
      : failingStreak >= FAILING_STREAK || delivered.length === 0
        ? 'failing'
        : 'degraded';
  return {
    verdict,
    attempts: recent.length,
    delivered: delivered.length,
    successRate: Math.round(successRate * 1000) / 1000,
    lastAttemptAt: recent[0]!.at,
    lastSuccessAt: delivered[0]?.at ?? null,
    lastFailure: lastFail ? { at: lastFail.at, httpStatus: lastFail.httpStatus, error: lastFail.error } : null,
    medianDurationMs: median(recent.map((a) => a.durationMs)),
    failingStreak,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}
