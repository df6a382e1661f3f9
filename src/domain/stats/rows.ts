/**
 * The rows a statistics query returns, assembled from the store's three result sets (counts per
 * partner, lead-time percentiles per partner and in total, follow-ups per partner and action). Shared
 * by the SQLite and MongoDB adapters so both answer in exactly the same shape and order.
 */
import type { StatsRow } from './stats-row.js';

/** Group key of a result row: the partner state code, or TOTAL for the all-partners window. */
export const TOTAL = '*';

/** The counting columns of StatsRow, per group key. */
export type CountRow = { g: string } & Pick<
  StatsRow,
  | 'notifications'
  | 'delivered'
  | 'deliveredBeforeDeparture'
  | 'onTime'
  | 'failed'
  | 'noChannel'
  | 'selfReported'
  | 'foundByManifest'
  | 'lateSelfReports'
>;
export interface LeadRow {
  g: string;
  p10: number | null;
  median: number | null;
  p90: number | null;
}
export interface FollowUpRow {
  g: string;
  action: string | null;
  n: number;
}

const COUNT_FIELDS = [
  'notifications',
  'delivered',
  'deliveredBeforeDeparture',
  'onTime',
  'failed',
  'noChannel',
  'selfReported',
  'foundByManifest',
  'lateSelfReports',
] as const;

/** Every counting column at zero: the start of a group that has not been counted yet. */
export function zeroCounts(g: string): CountRow {
  const row = { g } as CountRow;
  for (const f of COUNT_FIELDS) row[f] = 0;
  return row;
}

function emptyRow(partner: string | null): StatsRow {
  const { g: _g, ...counts } = zeroCounts('');
  return { partner, ...counts, leadTimeSeconds: { p10: null, median: null, p90: null }, followUps: {} };
}

/** Merge the three result sets into rows: the total first, then partners by notifications (desc), state code. */
export function assembleRows(
  counts: CountRow[],
  leads: LeadRow[],
  totalLead: LeadRow | undefined,
  followUps: FollowUpRow[],
): StatsRow[] {
  const rows = new Map<string, StatsRow>();
  const rowOf = (g: string): StatsRow => {
    let r = rows.get(g);
    if (!r) rows.set(g, (r = emptyRow(g)));
    return r;
  };
  const total = emptyRow(null);
  for (const c of counts) {
    const r = rowOf(c.g);
    for (const f of COUNT_FIELDS) {
      r[f] = Number(c[f]);
      total[f] += Number(c[f]);
    }
  }
  for (const l of leads) rowOf(l.g).leadTimeSeconds = { p10: l.p10, median: l.median, p90: l.p90 };
  if (totalLead) total.leadTimeSeconds = { p10: totalLead.p10, median: totalLead.median, p90: totalLead.p90 };
  for (const f of followUps) {
    const action = f.action ?? 'unknown';
    const r = rowOf(f.g);
    r.followUps[action] = (r.followUps[action] ?? 0) + Number(f.n);
    total.followUps[action] = (total.followUps[action] ?? 0) + Number(f.n);
  }
  const partners = [...rows.values()].sort(
    (a, b) => b.notifications - a.notifications || (a.partner! < b.partner! ? -1 : 1),
  );
  return [total, ...partners];
}
