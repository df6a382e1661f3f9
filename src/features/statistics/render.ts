/** The statistics report as CSV (RFC 4180) and as a terminal table: the same columns, the same numbers. */
import type { StatsLine, StatsReport } from './report.js';

const COLUMNS: { head: string; cell: (l: StatsLine) => string }[] = [
  { head: 'state', cell: (l) => l.state },
  { head: 'notifications', cell: (l) => String(l.notifications) },
  { head: 'delivered', cell: (l) => String(l.delivered) },
  { head: 'before_departure', cell: (l) => String(l.deliveredBeforeDeparture) },
  { head: 'before_departure_pct', cell: (l) => num(l.deliveredBeforeDeparturePct) },
  { head: 'on_time', cell: (l) => String(l.onTime) },
  { head: 'on_time_pct', cell: (l) => num(l.onTimePct) },
  { head: 'lead_p10_h', cell: (l) => hours(l.leadTimeSeconds.p10) },
  { head: 'lead_median_h', cell: (l) => hours(l.leadTimeSeconds.median) },
  { head: 'lead_p90_h', cell: (l) => hours(l.leadTimeSeconds.p90) },
  { head: 'failed', cell: (l) => String(l.failed) },
  { head: 'no_channel', cell: (l) => String(l.noChannel) },
  { head: 'self_reported', cell: (l) => String(l.selfReported) },
  { head: 'found_by_manifest', cell: (l) => String(l.foundByManifest) },
  { head: 'late_self_reports', cell: (l) => String(l.lateSelfReports) },
  {
    head: 'follow_ups',
    cell: (l) =>
      Object.entries(l.followUps)
        .map(([a, n]) => `${a}=${n}`)
        .join(' '),
  },
];

/** One decimal; a value that rounds to zero prints "0.0", never "-0.0" (a lead time of −3 min). */
function oneDecimal(v: number): string {
  const text = v.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
}

function num(v: number | null): string {
  return v === null ? '' : oneDecimal(v);
}

/** Lead time in hours, one decimal (seconds in the JSON). */
function hours(s: number | null): string {
  return s === null ? '' : oneDecimal(s / 3600);
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function rows(report: StatsReport): { direction: string; line: StatsLine }[] {
  return [
    { direction: 'sent', line: report.sent.total },
    ...report.sent.byDestination.map((line) => ({ direction: 'sent', line })),
    { direction: 'received', line: report.received.total },
    ...report.received.byOrigin.map((line) => ({ direction: 'received', line })),
  ];
}

export function statsCsv(report: StatsReport): string {
  const out = [['direction', ...COLUMNS.map((c) => c.head)].join(',')];
  for (const r of rows(report)) out.push([r.direction, ...COLUMNS.map((c) => c.cell(r.line))].map(csvCell).join(','));
  return `${out.join('\r\n')}\r\n`;
}

export function statsTable(report: StatsReport): string[] {
  const head = ['direction', ...COLUMNS.map((c) => c.head)];
  const body = rows(report).map((r) => [r.direction, ...COLUMNS.map((c) => c.cell(r.line))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i <= 1 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    `TNX statistics ${report.from} – ${report.to} (on time: lead ≥ ${report.onTimeThresholdHours} h)`,
    fmt(head),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...body.map(fmt),
    '',
    `top destinations by registrant trips: ${report.topDestinations.map((d) => `${d.state} ${d.trips}`).join(', ') || '(none)'}`,
  ];
}
