/**
 * A partner's delivery circuit, pure (Nygard, "Release It!", circuit breaker): after `failureThreshold`
 * consecutive transient failures it opens; while open nothing is sent to the partner except one probe
 * every `probeIntervalMs`; the probe's success closes it, its failure re-opens it for another interval.
 *
 *   closed ──N consecutive transient failures──▶ open ──probe due, one caller claims it──▶ half_open
 *     ▲                                                                                    │   │
 *     └──────────────────────── success (any attempt, the probe included) ◀────────────────┘   │
 *                                          open ◀── probe fails (or its lease runs out) ◀───────┘
 *
 * The state is a plain value so that it can live in a shared store (several worker processes, a
 * restart): callers read it, compute the next value here, and write it back with a compare-and-set.
 * `half_open` carries a lease (`probeUntil`): a prober that dies does not keep the circuit shut, the
 * next caller after the lease claims a new probe.
 */

export type CircuitPhase = 'closed' | 'open' | 'half_open';

export interface Circuit {
  phase: CircuitPhase;
  /** Consecutive transient failures (reset by any success). */
  failures: number;
  /** When the circuit opened (epoch ms), while not closed. */
  openedAt: number | null;
  /** open: when the next probe may start; half_open: when the running probe's lease ends. */
  probeAt: number | null;
  /** Last failure reason that counted (for the alert and the audit event). */
  lastFailure: string | null;
}

export interface CircuitSettings {
  failureThreshold: number;
  probeIntervalMs: number;
  /** How long a claimed probe may run before another caller may claim one (≥ the request timeout). */
  probeLeaseMs: number;
}

export const CLOSED: Circuit = Object.freeze({
  phase: 'closed',
  failures: 0,
  openedAt: null,
  probeAt: null,
  lastFailure: null,
});

export type Admission =
  /** Send: the circuit is closed. */
  | { go: true; probe: false }
  /** Send as the probe; `next` (half_open) must be stored first — whoever stores it owns the probe. */
  | { go: true; probe: true; next: Circuit }
  /** Do not send; the next probe is due in `waitMs`. */
  | { go: false; waitMs: number };

export function admit(c: Circuit, now: number, s: CircuitSettings): Admission {
  if (c.phase === 'closed') return { go: true, probe: false };
  const due = c.probeAt ?? now;
  if (now < due) return { go: false, waitMs: due - now };
  return { go: true, probe: true, next: { ...c, phase: 'half_open', probeAt: now + s.probeLeaseMs } };
}

/** After an attempt the partner answered (any status that proves it is there). */
export function onSuccess(c: Circuit): Circuit {
  return c.phase === 'closed' && c.failures === 0 ? c : CLOSED;
}

/** After a transient failure of an attempt to the partner. */
export function onFailure(c: Circuit, now: number, reason: string, s: CircuitSettings): Circuit {
  const failures = c.failures + 1;
  if (c.phase === 'closed' && failures < s.failureThreshold) return { ...c, failures, lastFailure: reason };
  if (c.phase === 'open') return { ...c, failures, lastFailure: reason }; // an attempt started before it opened
  return {
    phase: 'open',
    failures,
    openedAt: c.openedAt ?? now,
    probeAt: now + s.probeIntervalMs,
    lastFailure: reason,
  };
}

/** Whether going from `before` to `after` opened or closed the circuit (what gets audited). */
export function change(before: Circuit, after: Circuit): 'opened' | 'closed' | null {
  if (before.phase === 'closed' && after.phase !== 'closed') return 'opened';
  if (before.phase !== 'closed' && after.phase === 'closed') return 'closed';
  return null;
}

/** Gauge value: 0 closed, 1 half-open, 2 open. */
export function phaseValue(p: CircuitPhase): number {
  return p === 'closed' ? 0 : p === 'half_open' ? 1 : 2;
}

/** Parse a stored circuit; anything unreadable counts as closed (the safe default: attempts go on). */
export function parseCircuit(text: string | null): Circuit {
  if (!text) return CLOSED;
  try {
    const v = JSON.parse(text) as Partial<Circuit>;
    if (v.phase !== 'closed' && v.phase !== 'open' && v.phase !== 'half_open') return CLOSED;
    return {
      phase: v.phase,
      failures: typeof v.failures === 'number' ? v.failures : 0,
      openedAt: typeof v.openedAt === 'number' ? v.openedAt : null,
      probeAt: typeof v.probeAt === 'number' ? v.probeAt : null,
      lastFailure: typeof v.lastFailure === 'string' ? v.lastFailure : null,
    };
  } catch {
    return CLOSED;
  }
}
