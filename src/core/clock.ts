/** Time-dependent logic takes a clock; tests freeze or move it (jose test/jwt/verify.test.ts). */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** The wire and API form of an instant: RFC 3339 in UTC with milliseconds (`2026-12-07T01:02:03.456Z`). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `isoTime`, passing an absent instant through as null. */
export function isoTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}
