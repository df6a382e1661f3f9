/**
 * Statistics (auditors, administrators): the report of GET /api/v1/stats for a period, and the store's
 * monthly counts for the per-month chart, as charts drawn server-side (../../statistics/charts.ts), each with
 * its table and its CSV beside it. Charts are images from /console/statistics/chart/<name>.svg.
 */
import { TnxError } from '../../../core/errors.js';
import { CHART_WIDTH, CHARTS, chartCsv, chartOf, chartSvg, type ChartName } from '../../statistics/charts.js';
import { statsCsv } from '../../statistics/render.js';
import { buildStatsReport, checkRange, type StatsReport } from '../../statistics/report.js';
import type { MonthCount } from '../../../ports/store/index.js';
import { ROLES_BY_CONCERN } from '../../roles.js';
import type { SubmitDeps } from '../../submission/deps.js';
import { heading, link, table, textInput, withQuery } from '../components.js';
import { html } from '../html.js';
import { definePage } from '../page.js';

const DAY = 86_400_000;
const QUERY = { from: { type: 'date-or-instant' }, to: { type: 'date-or-instant' } } as const;

function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The period asked for, or the last twelve whole months up to today. */
function rangeOf(now: number, q: { from?: number; to?: number }): { from: number; to: number } {
  const today = Math.floor(now / DAY) * DAY + DAY;
  const d = new Date(today);
  const yearAgo = Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), 1);
  return checkRange(q.from ?? yearAgo, q.to ?? today);
}

/** The months in [from, to), at most 24, each with its count of notifications sent (0 when none). */
function monthsOf(from: number, to: number, counts: readonly MonthCount[]): MonthCount[] {
  const byMonth = new Map(counts.map((c) => [c.month, c.notifications]));
  const out: MonthCount[] = [];
  const d = new Date(from);
  let start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  while (start < to && out.length < 24) {
    const month = new Date(start).toISOString().slice(0, 7);
    out.push({ month, notifications: byMonth.get(month) ?? 0 });
    const s = new Date(start);
    start = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, 1);
  }
  return out;
}

async function reports(
  deps: SubmitDeps,
  q: { from?: number; to?: number },
): Promise<{ range: { from: number; to: number }; report: StatsReport; monthly: MonthCount[] }> {
  const { ctx } = deps;
  const range = rangeOf(ctx.clock.now(), q);
  // The per-month chart is a series of totals: the store's monthly counts (its daily rollup), not
  // one full report per month (each walks the lead-time indexes).
  const [report, counts] = await Promise.all([
    buildStatsReport(ctx.store, range, ctx.config.delivery.onTimeThresholdHours),
    ctx.store.stats.sentPerMonth(range),
  ]);
  return { range, report, monthly: monthsOf(range.from, range.to, counts) };
}

export const statisticsPage = definePage({
  name: 'console.statistics',
  method: 'GET',
  path: '/statistics',
  part: 'core',
  roles: ROLES_BY_CONCERN.stats,
  query: QUERY,
  nav: {
    label: 'Statistics',
    description: 'Notifications per destination and month, share before departure, lead times, follow-ups.',
    order: 50,
  },
  async handle({ query }, deps) {
    const { range, report, monthly } = await reports(deps, query);
    const period = { from: ymd(range.from), to: ymd(range.to) };
    const total = report.sent.total;
    const sections = CHARTS.map((name) => {
      const chart = chartOf(name, report, monthly);
      return html`<h2 class="govuk-heading-m" id="${name}">${chart.title}</h2>
        ${
          chart.rows.length === 0
            ? html`<p class="govuk-body">No data in this period.</p>`
            : html`<img
                  class="tnx-chart"
                  src="${withQuery(`/console/statistics/chart/${name}.svg`, period)}"
                  alt="${`Bar chart: ${chart.title}. The same figures are in the table below.`}"
                  width="${String(CHART_WIDTH)}"
                />
                ${table(
                  `The figures behind “${chart.title.toLowerCase()}”`,
                  [
                    { header: 'Label', cell: (r) => r.label },
                    { header: chart.unit, cell: (r) => String(r.value), numeric: true },
                  ],
                  chart.rows,
                )}`
        }
        <p class="govuk-body">
          ${link(withQuery(`/console/statistics/chart/${name}.csv`, period), html`Download “${chart.title}” as CSV`)}
        </p>`;
    });
    const body = html`${heading('Statistics', `${period.from} to ${period.to} (end exclusive)`)}
      <form method="get" action="/console/statistics">
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-quarter">${textInput('from', 'From', period.from, { type: 'date' })}</div>
          <div class="govuk-grid-column-one-quarter">${textInput('to', 'Before', period.to, { type: 'date' })}</div>
        </div>
        <div class="govuk-button-group">
          <button type="submit" class="govuk-button" data-module="govuk-button">Show period</button>
          ${link(withQuery('/console/statistics.csv', period), 'Download the whole report as CSV')}
        </div>
      </form>
      <p class="govuk-body-l">
        ${String(total.notifications)} notifications sent;
        ${total.deliveredBeforeDeparturePct === null ? 'none delivered' : `${total.deliveredBeforeDeparturePct}% delivered before departure`};
        ${String(total.failed)} failed.
      </p>
      ${sections}`;
    return { kind: 'page', title: 'Statistics', body };
  },
});

export const statisticsCsvPage = definePage({
  name: 'console.statisticsCsv',
  method: 'GET',
  path: '/statistics.csv',
  part: 'core',
  roles: ROLES_BY_CONCERN.stats,
  query: QUERY,
  async handle({ query }, { ctx }) {
    const range = rangeOf(ctx.clock.now(), query);
    const report = await buildStatsReport(ctx.store, range, ctx.config.delivery.onTimeThresholdHours);
    return { kind: 'file', contentType: 'text/csv; charset=utf-8', filename: 'statistics.csv', body: statsCsv(report) };
  },
});

export const statisticsChartPage = definePage({
  name: 'console.statisticsChart',
  method: 'GET',
  path: '/statistics/chart/:file',
  part: 'core',
  roles: ROLES_BY_CONCERN.stats,
  params: { file: { pattern: new RegExp(`^(${CHARTS.join('|')})\\.(svg|csv)$`) } },
  query: QUERY,
  async handle({ params, query }, deps) {
    const [name, ext] = params.file.split('.') as [ChartName, 'svg' | 'csv'];
    if (!CHARTS.includes(name)) throw new TnxError('not_found', 'no such chart');
    const { report, monthly } = await reports(deps, query);
    const chart = chartOf(name, report, monthly);
    return ext === 'svg'
      ? { kind: 'file', contentType: 'image/svg+xml', body: await chartSvg(chart) }
      : { kind: 'file', contentType: 'text/csv; charset=utf-8', filename: `${name}.csv`, body: chartCsv(chart) };
  },
});
