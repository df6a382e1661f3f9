/** Liveness, readiness and metrics. */
import type { Request, Response } from 'express';
import { CompactSign } from 'jose';
import { TnxError } from '../../core/errors.js';
import { withTimeout } from '../../core/timeout.js';
import { sendProblem } from '../middleware/error-handler.js';
import type { HttpDeps, ReadinessCheck } from './deps.js';

export function healthz() {
  return function healthzStep(_req: Request, res: Response): void {
    res.status(200).json({ status: 'ok' });
  };
}

/** Built-in readiness checks: the store answers, and our signing key still signs. */
export function coreChecks(deps: Pick<HttpDeps, 'ctx'>): ReadinessCheck[] {
  const network = deps.ctx.network;
  return [
    // Stale or expired is an alert, not unreadiness: the last good directory still serves; only a
    // gateway that has never held one has no partners to work with.
    ...(network
      ? [
          {
            name: 'directory',
            check: async () => {
              if (!network.status().loaded) throw new Error('no network directory loaded yet');
            },
          },
        ]
      : []),
    { name: 'store', check: () => deps.ctx.store.ping() },
    {
      name: 'keys',
      async check() {
        const k = deps.ctx.keys.signingKey();
        await new CompactSign(new TextEncoder().encode('readyz')).setProtectedHeader({ alg: k.alg }).sign(k.key);
        if (deps.ctx.keys.encryptionKeys().length === 0) throw new Error('no encryption key');
      },
    },
  ];
}

const CHECK_TIMEOUT_MS = 2_000;

export function readyz(deps: HttpDeps) {
  const checks = [...coreChecks(deps), ...deps.readiness];
  return async function readyzStep(_req: Request, res: Response): Promise<void> {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          const note = await withTimeout(c.check(), CHECK_TIMEOUT_MS, 'timeout');
          return [c.name, typeof note === 'string' ? note : 'ok'] as const;
        } catch (err) {
          // A part that is still starting says how far it is (the screening index's build progress).
          if (err instanceof TnxError && err.detail?.progress !== undefined) {
            return [c.name, 'starting', err.detail.progress] as const;
          }
          deps.ctx.log.warn({ check: c.name, err }, 'readiness check failed');
          return [c.name, 'failed'] as const;
        }
      }),
    );
    const status = Object.fromEntries(results.map(([name, r, progress]) => [name, progress ?? r]));
    const directory = deps.ctx.network ? { directory: deps.ctx.network.status() } : {};
    if (results.every(([, r]) => r !== 'failed' && r !== 'starting')) {
      // Degraded still serves: submissions are answered from the store and the outbox carries them.
      const degraded = results.some(([, r]) => r.startsWith('degraded'));
      res.status(200).json({ status: degraded ? 'degraded' : 'ready', checks: status, ...directory });
      return;
    }
    sendProblem(
      res,
      new TnxError('service_unavailable', 'not ready', { detail: { checks: status, ...directory } }),
      deps.ctx.log,
    );
  };
}

/**
 * The scrape: gauges that are sampled rather than counted are refreshed first, then the registry's
 * text. Served by the metrics listener (../metrics-server.ts), never on the partner and API port.
 */
export async function scrapeMetrics(deps: Pick<HttpDeps, 'ctx' | 'queueStats'>): Promise<string> {
  if (deps.queueStats) {
    try {
      deps.ctx.metrics.setQueueStats(await deps.queueStats());
    } catch (err) {
      deps.ctx.log.warn({ err }, 'could not sample the queue depth');
    }
  }
  const network = deps.ctx.network?.status();
  if (network) {
    deps.ctx.metrics.directorySerial.set(network.serial ?? 0);
    deps.ctx.metrics.directoryStale.set(network.stale ? 1 : 0);
    deps.ctx.metrics.directoryExpired.set(network.expired ? 1 : 0);
  }
  return deps.ctx.metrics.text();
}
