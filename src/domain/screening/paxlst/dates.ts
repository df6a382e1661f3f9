/**
 * EDIFACT date formats used by PAXLST (UN/EDIFACT code list 2379) and the century rules for two-digit
 * years. Returns null for a value that is not a real calendar date, so the caller can name the segment.
 *
 * Century rules (documented in docs/screening.md):
 * - date of birth (DTM+329, YYMMDD): the latest century that does not put the birth after the
 *   reference date (the flight's departure) — on a flight of 2026-12-01, "570121" is 1957-01-21,
 *   "150301" is 2015-03-01 and "261202" is 1926-12-02;
 * - document expiry (DTM+36, YYMMDD): always 20YY, since a travel document valid today expires in
 *   this century;
 * - flight times (format 201, YYMMDDHHMM): always 20YY.
 * A date of birth may be partial: day "00" gives "YYYY-MM", month and day "0000" give "YYYY" (the MRZ
 * convention for an unknown part).
 */

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Format 201 (YYMMDDHHMM) or 203 (CCYYMMDDHHMM) → "YYYY-MM-DDTHH:MM". */
export function parseDateTime(value: string, format: string): string | null {
  let m: RegExpExecArray | null;
  let year: number;
  if (format === '203') {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
    if (!m) return null;
    year = Number(m[1]);
  } else if (format === '201' || format === '') {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
    if (!m) return null;
    year = 2000 + Number(m[1]);
  } else {
    return null;
  }
  const [mo, d, h, mi] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  if (!isRealDate(year, mo, d) || h > 23 || mi > 59) return null;
  return `${pad(year, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}

/** Date of birth: YYMMDD (century by `reference`, "YYYY-MM-DD") or format 102 CCYYMMDD; partial allowed. */
export function parseBirthDate(value: string, format: string, reference: string): string | null {
  let year: number;
  let rest: string;
  if (format === '102' || (format === '' && value.length === 8)) {
    if (!/^\d{8}$/.test(value)) return null;
    year = Number(value.slice(0, 4));
    rest = value.slice(4);
  } else if (format === '' || format === '101') {
    if (!/^\d{6}$/.test(value)) return null;
    const century = Number(reference.slice(0, 2)) * 100;
    // Compare as YYMMDD text within the reference's century: later than the reference → previous century.
    year = century + Number(value.slice(0, 2));
    if (value > reference.slice(2, 4) + reference.slice(5, 7) + reference.slice(8, 10)) year -= 100;
    rest = value.slice(2);
  } else {
    return null;
  }
  const mo = Number(rest.slice(0, 2));
  const d = Number(rest.slice(2, 4));
  if (mo === 0 && d === 0) return pad(year, 4);
  if (d === 0) return mo >= 1 && mo <= 12 ? `${pad(year, 4)}-${pad(mo)}` : null;
  return isRealDate(year, mo, d) ? `${pad(year, 4)}-${pad(mo)}-${pad(d)}` : null;
}

/** Document expiry: YYMMDD (20YY) or CCYYMMDD (format 102); full dates only. */
export function parseExpiryDate(value: string, format: string): string | null {
  let year: number;
  let rest: string;
  if (/^\d{8}$/.test(value) && (format === '102' || format === '')) {
    year = Number(value.slice(0, 4));
    rest = value.slice(4);
  } else if (/^\d{6}$/.test(value) && (format === '' || format === '101')) {
    year = 2000 + Number(value.slice(0, 2));
    rest = value.slice(2);
  } else {
    return null;
  }
  const mo = Number(rest.slice(0, 2));
  const d = Number(rest.slice(2, 4));
  return isRealDate(year, mo, d) ? `${pad(year, 4)}-${pad(mo)}-${pad(d)}` : null;
}
