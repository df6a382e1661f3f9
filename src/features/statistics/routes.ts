/** The statistics report for auditors (docs/statistics.md), JSON or CSV by Accept. */
import { ROLES_BY_CONCERN } from '../roles.js';
import { routesOf, type Route } from '../route.js';
import { statsCsv } from './render.js';
import { buildStatsReport, rangeOrDefault } from './report.js';

export const statisticsRoutes: readonly Route[] = routesOf('core', ROLES_BY_CONCERN.stats, (route) => [
  route('statistics', {
    method: 'GET',
    path: '/api/v1/stats',
    // Without a period: the last twelve months up to now.
    query: { from: { type: 'date-or-instant' }, to: { type: 'date-or-instant' } },
    produces: ['json', 'csv'],
    async handle({ query, accept }, { ctx }) {
      const range = rangeOrDefault(query.from, query.to, ctx.clock.now());
      const report = await buildStatsReport(ctx.store, range, ctx.config.delivery.onTimeThresholdHours);
      return accept === 'csv' ? { kind: 'csv', body: statsCsv(report) } : { body: report };
    },
  }),
]);
