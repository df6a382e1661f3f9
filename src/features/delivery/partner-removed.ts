/**
 * A state the coordinator removes from the signed network directory is gone for us at once: the
 * follower's swap takes its keys and endpoint away, so nothing can be sealed to it and nothing signed
 * by it is accepted. What is already queued to it must not sit in the retry schedule until its budget
 * runs out (hours, maybe days, with the operator none the wiser): when a directory that no longer
 * lists a partner is applied, every live message to that partner fails now with the failure class
 * `partner_removed` (src/domain/delivery/failure-classes.ts), through the same guarded transition and
 * alert path as any permanent failure — one audit event with the change, a log line, the metric, the
 * webhook. A delivery job that runs meanwhile finds the partner missing and fails the same way
 * (./deliver-one.ts); whichever transition lands first wins, the other sees a final state.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundState } from '../../ports/store/index.js';
import type { DomainEvent } from '../../domain/audit/event-bus.js';
import type { StateCode } from '../../domain/protocol/types.js';
import { PARTNER_REMOVED } from '../../domain/delivery/failure-classes.js';
import { alertEvent, type Alerts } from './alerts.js';

const LIVE: OutboundState[] = ['accepted', 'queued', 'retrying', 'delivering'];
const PAGE = 200;

/** Fail every live message to `partner`; returns the ids this process failed. */
export async function failQueuedTo(ctx: GatewayContext, alerts: Alerts, partner: StateCode): Promise<string[]> {
  const failed: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await ctx.store.outbound.list({ partner, state: LIVE }, { limit: PAGE, cursor });
    for (const rec of page.items) {
      const now = ctx.clock.now();
      const moved = await ctx.store.outbound.transition(
        rec.id,
        LIVE,
        'failed',
        { lastError: PARTNER_REMOVED.reason },
        (r) => [alertEvent('failed', r, PARTNER_REMOVED.reason, now, { lastFailure: PARTNER_REMOVED.reason })],
      );
      // Moved on meanwhile (delivered, cancelled, failed by a delivery job): nothing to do.
      if (!moved) continue;
      ctx.metrics.deliveries.inc({ partner, outcome: 'failed' });
      await alerts.raise('failed', moved, PARTNER_REMOVED.reason);
      failed.push(moved.id);
    }
    if (!page.next) break;
    cursor = page.next;
  }
  return failed;
}

export interface RemovedPartnerWatch {
  /** Resolves when the sweeps started so far are done (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Watch the event bus for directories applied; fail what is queued to each partner that disappeared.
 * The sweep runs beside the follower, not inside its publish, so a long backlog does not hold up the
 * directory refresh.
 */
export function watchRemovedPartners(ctx: GatewayContext, alerts: Alerts): RemovedPartnerWatch {
  let known = new Set(ctx.directory.list().map((p) => p.state));
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const onEvents = (events: readonly DomainEvent[]): void => {
    if (stopped || !events.some((e) => e.action === 'directory.applied')) return;
    const now = new Set(ctx.directory.list().map((p) => p.state));
    const removed = [...known].filter((s) => !now.has(s));
    known = now;
    if (removed.length === 0) return;
    running = running.then(async () => {
      for (const state of removed) {
        try {
          const ids = await failQueuedTo(ctx, alerts, state);
          if (ids.length > 0)
            ctx.log.warn({ partner: state, failed: ids.length }, 'partner removed from the network directory');
        } catch (err) {
          // The delivery jobs still find the partner missing and fail each message themselves.
          ctx.log.error({ err, partner: state }, 'failing messages to a removed partner did not finish');
        }
      }
    });
  };
  const unsubscribe = ctx.events.subscribe((events) => {
    onEvents(events);
    return Promise.resolve();
  });
  return {
    idle: () => running,
    async stop() {
      stopped = true;
      unsubscribe();
      await running;
    },
  };
}
