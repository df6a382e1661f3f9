/**
 * Dates of birth packed into one integer, YYYYMMDD with 00 for an unknown month or day — so a million
 * of them fit in an Int32Array — and their comparison for scoring.
 */

/** "YYYY", "YYYY-MM", "YYYY-MM-DD" → packed; 0 when absent or not a date. */
export function packBirthDate(d: string | null | undefined): number {
  if (!d) return 0;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(d);
  if (!m) return 0;
  return Number(m[1]) * 10000 + Number(m[2] ?? 0) * 100 + Number(m[3] ?? 0);
}

export const birthYear = (packed: number): number => Math.floor(packed / 10000);

/** Known year, unknown month or day. */
export const isPartial = (packed: number): boolean =>
  packed !== 0 && (packed % 100 === 0 || Math.floor(packed / 100) % 100 === 0);

export type BirthDateMatch =
  | 'dob_missing'
  | 'dob_exact'
  | 'dob_partial'
  | 'dob_day_month_swapped'
  | 'dob_day_differs'
  | 'dob_month_and_day_differ'
  | 'dob_year_off_by_one'
  | 'dob_year_off_by_one_day_differs'
  | 'dob_year_differs';

/** How two packed dates of birth relate; unknown parts never count against a match. */
export function compareBirthDates(a: number, b: number): BirthDateMatch {
  if (a === 0 || b === 0) return 'dob_missing';
  const ya = birthYear(a);
  const yb = birthYear(b);
  const ma = Math.floor(a / 100) % 100;
  const mb = Math.floor(b / 100) % 100;
  const da = a % 100;
  const db = b % 100;
  const partial = ma === 0 || mb === 0 || da === 0 || db === 0;
  const monthOk = ma === 0 || mb === 0 || ma === mb;
  const dayOk = da === 0 || db === 0 || da === db;
  const sameMonthDay = monthOk && dayOk;
  if (ya === yb) {
    if (sameMonthDay) return partial ? 'dob_partial' : 'dob_exact';
    if (!partial && ma === db && da === mb) return 'dob_day_month_swapped';
    return !monthOk && !dayOk ? 'dob_month_and_day_differ' : 'dob_day_differs';
  }
  if (Math.abs(ya - yb) === 1) return sameMonthDay ? 'dob_year_off_by_one' : 'dob_year_off_by_one_day_differs';
  return 'dob_year_differs';
}
