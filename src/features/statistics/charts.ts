/**
 * The statistics as charts: each chart is a list of labelled values (the same rows feed its SVG, its
 * table and its CSV), drawn server-side by vega as SVG — no script in the browser. Served as images
 * (<img src>), so the SVG's own presentation attributes never meet the console's CSP.
 */
import * as vega from 'vega';
import { csvCell } from '../audit-trail/audit-query.js';
import type { MonthCount } from '../../ports/store/index.js';
import type { StatsReport } from './report.js';

export const CHARTS = [
  'per-destination',
  'per-month',
  'before-departure',
  'lead-time',
  'follow-ups',
  'top-destinations',
] as const;
export type ChartName = (typeof CHARTS)[number];

export interface ChartRow {
  label: string;
  value: number;
}

export interface Chart {
  title: string;
  /** What a value is, for the table header and the axis. */
  unit: string;
  rows: ChartRow[];
}

export function chartOf(name: ChartName, report: StatsReport, months: readonly MonthCount[]): Chart {
  const dest = report.sent.byDestination;
  switch (name) {
    case 'per-destination':
      return {
        title: 'Notifications sent per destination',
        unit: 'notifications',
        rows: dest.map((l) => ({ label: l.state, value: l.notifications })),
      };
    case 'per-month':
      return {
        title: 'Notifications sent per month',
        unit: 'notifications',
        rows: months.map((m) => ({ label: m.month, value: m.notifications })),
      };
    case 'before-departure':
      return {
        title: 'Share delivered before departure, per destination',
        unit: 'percent',
        rows: dest
          .filter((l) => l.deliveredBeforeDeparturePct !== null)
          .map((l) => ({ label: l.state, value: l.deliveredBeforeDeparturePct! })),
      };
    case 'lead-time':
      return {
        title: 'Median lead time before departure, per destination',
        unit: 'hours',
        rows: dest
          .filter((l) => l.leadTimeSeconds.median !== null)
          .map((l) => ({ label: l.state, value: Math.round((l.leadTimeSeconds.median! / 3600) * 10) / 10 })),
      };
    case 'follow-ups': {
      const actions = report.sent.total.followUps;
      return {
        title: 'Follow-up actions reported back',
        unit: 'reports',
        rows: Object.entries(actions).map(([label, value]) => ({ label, value })),
      };
    }
    case 'top-destinations':
      return {
        title: 'Top destination states by trips notified',
        unit: 'trips',
        rows: report.topDestinations.slice(0, 10).map((t) => ({ label: t.state, value: t.trips })),
      };
  }
}

export function chartCsv(chart: Chart): string {
  return `label,${chart.unit}\r\n${chart.rows.map((r) => `${csvCell(r.label)},${r.value}`).join('\r\n')}\r\n`;
}

/** Units that count things: their axis ticks are whole numbers (there is no half a notification). */
const COUNT_UNITS: ReadonlySet<string> = new Set(['notifications', 'reports', 'trips']);

/**
 * Drawn width in SVG units: the console's main column (GOV.UK's 960 px page less its gutters), where
 * the image is shown at `width: 100%`; text sizes are chosen for that scale (labels 16 px, as the
 * design system's small body text).
 */
export const CHART_WIDTH = 900;
const FONT = 'Arial, Helvetica, sans-serif';
const TEXT = '#0b0c0c';

/** A horizontal bar chart, one bar per row, with the value at the end of each bar. */
export async function chartSvg(chart: Chart): Promise<string> {
  const height = Math.max(48, chart.rows.length * 34);
  const counts = COUNT_UNITS.has(chart.unit);
  const max = Math.max(0, ...chart.rows.map((r) => r.value));
  const spec: vega.Spec = {
    // Left labels and the value after the longest bar take their room out of this width (autosize fit).
    width: CHART_WIDTH,
    height,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 4, right: 48, top: 8, bottom: 4 },
    background: 'white',
    data: [{ name: 'rows', values: chart.rows }],
    scales: [
      { name: 'y', type: 'band', domain: { data: 'rows', field: 'label' }, range: 'height', padding: 0.2 },
      {
        name: 'x',
        type: 'linear',
        // A share is out of 100 whatever the data; a small count still gets a readable scale (0–5).
        domain: chart.unit === 'percent' ? [0, 100] : [0, counts ? Math.max(5, max) : max || 1],
        range: 'width',
        nice: true,
        zero: true,
      },
    ],
    axes: [
      { orient: 'left', scale: 'y', labelFontSize: 16, labelColor: TEXT, labelFont: FONT, labelPadding: 6 },
      {
        orient: 'bottom',
        scale: 'x',
        title: chart.unit,
        grid: true,
        gridColor: '#e5e6e7',
        ...(counts ? { tickMinStep: 1, format: 'd' } : {}),
        labelFontSize: 15,
        labelFont: FONT,
        titleFontSize: 16,
        titleFont: FONT,
        titleFontWeight: 'bold',
        labelColor: TEXT,
        titleColor: TEXT,
      },
    ],
    marks: [
      {
        type: 'rect',
        from: { data: 'rows' },
        encode: {
          enter: {
            y: { scale: 'y', field: 'label' },
            height: { scale: 'y', band: 1 },
            x: { scale: 'x', value: 0 },
            x2: { scale: 'x', field: 'value' },
            fill: { value: '#1d70b8' },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'rows' },
        encode: {
          enter: {
            y: { scale: 'y', field: 'label', band: 0.5 },
            x: { scale: 'x', field: 'value', offset: 4 },
            baseline: { value: 'middle' },
            text: { field: 'value' },
            font: { value: FONT },
            fontSize: { value: 15 },
            fill: { value: TEXT },
          },
        },
      },
    ],
  };
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
