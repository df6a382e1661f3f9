/**
 * docs/grafana/tnx-dashboard.json plots only metrics the gateway exports, under their real names, and
 * every TNX metric has a panel: a renamed metric fails here, not on an operator's empty graph.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Metrics } from '../../src/core/metrics.js';

const DASHBOARD = new URL('../../docs/grafana/tnx-dashboard.json', import.meta.url);

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

/** The series names a PromQL expression selects (each selector is written `name{…}`). */
function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]!);
}

describe('docs/grafana/tnx-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: Panel[];
    templating: { list: { definition?: string }[] };
  };
  const metrics = new Metrics({ defaultMetrics: true });

  async function exported(): Promise<Map<string, string>> {
    const series = new Map<string, string>();
    for (const m of await metrics.registry.getMetricsAsJSON()) {
      series.set(m.name, m.name);
      if (String(m.type) === 'histogram') for (const s of ['_bucket', '_count', '_sum']) series.set(m.name + s, m.name);
    }
    return series;
  }

  it('every series it queries exists in the gateway registry', async () => {
    const series = await exported();
    const used = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => seriesIn(t.expr)));
    for (const v of dashboard.templating.list)
      for (const m of (v.definition ?? '').matchAll(/label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)/g)) used.push(m[1]!);
    assert.ok(used.length >= 20, `expected a real dashboard, found ${used.length} series references`);
    const unknown = [...new Set(used)].filter((n) => !series.has(n));
    assert.deepEqual(unknown, [], 'series the dashboard queries but the gateway does not export');
  });

  it('plots every TNX metric and the HTTP histogram, and uses the standard process metrics', async () => {
    const series = await exported();
    const plotted = new Set(
      dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => seriesIn(t.expr).map((n) => series.get(n)))),
    );
    const ours = (await metrics.registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter((n) => n.startsWith('tnx_') || n.startsWith('http_'));
    assert.deepEqual(
      ours.filter((n) => !plotted.has(n)),
      [],
      'metrics without a panel',
    );
    for (const n of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'nodejs_heap_size_used_bytes'])
      assert.ok(plotted.has(n), n);
  });

  it('default metrics carry their standard names, durations are in seconds', async () => {
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    assert.ok(names.includes('process_cpu_seconds_total'));
    assert.ok(names.includes('nodejs_eventloop_lag_p99_seconds'));
    assert.deepEqual(
      names.filter((n) => /^tnx_process_|_hours\b|_ms\b/.test(n)),
      [],
    );
  });
});
