/**
 * The metrics listener: `GET /metrics` (Prometheus text) on its own address and port
 * (config.metrics), apart from the partner inbox and the local API. Metrics name partners, volumes
 * per sender and the Node version; an operator exposes this port to the monitoring network only.
 * Besides, `GET /healthz` answers liveness here too, so that probes from the monitoring network (an
 * orchestrator's liveness check) need not reach the partner and API port, and are not queued behind
 * its submissions under load. Nothing else is served here: any other path is 404, any other method
 * 405, both problem+json with fixed text (the request path is never echoed nor logged).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { GatewayContext } from '../ports/context.js';
import type { QueueStats } from '../ports/queue.js';
import { scrapeMetrics } from './handlers/health.js';
import { PROBLEM_MEDIA_TYPE, toProblem } from './problem.js';
import { TnxError } from '../core/errors.js';
import { bindServer, type RunningServer } from './server.js';

export interface MetricsListenerOptions {
  ctx: GatewayContext;
  /** Current delivery backlog and lag, sampled for the queue gauges on each scrape. */
  queueStats?: () => Promise<QueueStats>;
  /** Override config.metrics.host / port (tests: port 0). */
  host?: string;
  port?: number;
}

function sendProblem(res: ServerResponse, err: TnxError): void {
  const { status, body } = toProblem(err, 'metrics');
  res.writeHead(status, {
    'Content-Type': `${PROBLEM_MEDIA_TYPE}; charset=utf-8`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(status === 405 ? { Allow: 'GET, HEAD' } : {}),
  });
  res.end(JSON.stringify(body));
}

export async function listenMetrics(options: MetricsListenerOptions): Promise<RunningServer> {
  const { ctx } = options;
  const deps = { ctx, ...(options.queueStats ? { queueStats: options.queueStats } : {}) };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' && path !== '/healthz')
      return sendProblem(res, new TnxError('not_found', 'no such endpoint'));
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendProblem(res, new TnxError('method_not_allowed', 'allowed: GET, HEAD'));
    if (path === '/healthz') {
      // The same answer as the API port's liveness route: the process is up and serving.
      const body = JSON.stringify({ status: 'ok' });
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    scrapeMetrics(deps).then(
      (text) => {
        res.writeHead(200, {
          'Content-Type': ctx.metrics.contentType,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: unknown) => {
        ctx.log.error({ err }, 'metrics scrape failed');
        sendProblem(res, new TnxError('internal_error'));
      },
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 20_000;
  server.maxConnections = 64;
  return bindServer(server, options.port ?? ctx.config.metrics.port, options.host ?? ctx.config.metrics.host, 'http');
}
