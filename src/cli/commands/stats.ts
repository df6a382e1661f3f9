/**
 * `tnx stats --config FILE [--from DATE] [--to DATE] [--csv | --json]`: the statistics of GET /api/v1/stats
 * (src/features/statistics), computed by the configured store and printed as a table (default), CSV or JSON.
 * `--to` is exclusive; dates are YYYY-MM-DD (UTC midnight) or RFC 3339. Without a period, as the API:
 * the last twelve months up to now.
 */
import { loadConfigFile } from '../../config/load.js';
import { statsCsv, statsTable } from '../../features/statistics/render.js';
import { buildStatsReport, parseRange } from '../../features/statistics/report.js';
import { openStore } from '../../runtime/open-store.js';
import { systemClock } from '../../core/clock.js';
import type { Command } from 'commander';
import { command, CONFIG_OPTION, configPathFrom, UsageError, type CliRun, type Values } from '../args.js';
import type { CliIo } from '../io.js';

const USAGE =
  'usage: tnx stats --config FILE [--from DATE] [--to DATE] [--csv | --json]   (--to exclusive, default now; --from default 12 months before --to; DATE: YYYY-MM-DD or RFC 3339)';

const OPTIONS = {
  ...CONFIG_OPTION,
  from: {
    type: 'string',
    arg: 'DATE',
    help: 'start of the period: YYYY-MM-DD (UTC) or RFC 3339 (default: twelve months before --to)',
  },
  to: { type: 'string', arg: 'DATE', help: 'end of the period, exclusive (default: now)' },
  csv: { type: 'boolean', help: 'print CSV' },
  json: { type: 'boolean', help: 'print JSON' },
} as const;

async function stats(values: Values<typeof OPTIONS>, io: CliIo): Promise<number> {
  if (values.csv && values.json) throw new UsageError('give --csv or --json, not both');
  const range = parseRange(values.from, values.to, systemClock.now());
  const config = loadConfigFile(configPathFrom(values));
  const store = await openStore(config.store);
  try {
    const report = await buildStatsReport(store, range, config.delivery.onTimeThresholdHours);
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else if (values.csv) io.out(statsCsv(report).trimEnd());
    else for (const line of statsTable(report)) io.out(line);
    return 0;
  } finally {
    await store.close();
  }
}

export function register(program: Command, cli: CliRun): void {
  command(program, cli, 'stats', {
    summary: 'notification statistics for a period',
    usage: USAGE,
    options: OPTIONS,
    run: stats,
  });
}
