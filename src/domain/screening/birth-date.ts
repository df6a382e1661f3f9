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
  | 'dob_one_day_off'
  | 'dob_one_digit'
  | 'dob_day_differs'
  | 'dob_month_and_day_differ'
  | 'dob_year_off_by_one'
  | 'dob_year_off_by_one_day_differs'
  | 'dob_year_differs';

/** Days since 1900-01-01 of a full packed date (for "one day apart", across month and year ends). */
function dayNumber(packed: number): number {
  const y = birthYear(packed);
  const m = Math.floor(packed / 100) % 100;
  return Math.floor(Date.UTC(y, m - 1, packed % 100) / 86_400_000);
}

/** Decimal digits of YYYYMMDD that differ (a keying error changes one). */
function digitsDiffering(a: number, b: number): number {
  let n = 0;
  for (let x = a, y = b; x > 0 || y > 0; x = Math.floor(x / 10), y = Math.floor(y / 10)) if (x % 10 !== y % 10) n++;
  return n;
}

/**
 * How two packed dates of birth relate; unknown parts never count against a match. Typing errors —
 * one day apart, or one digit of the eight keyed wrongly — are told apart from other differences:
 * they are how the same person's date is mistyped, while a date differing otherwise is a different
 * date. A year one apart on the same day and month is its own level (a year typo or a namesake).
 */
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
  if (ya === yb && sameMonthDay) return partial ? 'dob_partial' : 'dob_exact';
  if (ya === yb && !partial && ma === db && da === mb) return 'dob_day_month_swapped';
  if (Math.abs(ya - yb) === 1 && sameMonthDay) return 'dob_year_off_by_one';
  if (!partial) {
    if (Math.abs(dayNumber(a) - dayNumber(b)) === 1) return 'dob_one_day_off';
    if (digitsDiffering(a, b) === 1) return 'dob_one_digit';
  }
  if (ya === yb) return !monthOk && !dayOk ? 'dob_month_and_day_differ' : 'dob_day_differs';
  if (Math.abs(ya - yb) === 1) return 'dob_year_off_by_one_day_differs';
  return 'dob_year_differs';
}
