/**
 * Escalation: a notification with no receipt `delivery.atRiskLeadHours` before departure
 * raises an "at risk" alert, ONCE. A periodic scan reads store.outbound.listAtRisk and claims each
 * record with a version-guarded update that sets atRiskAlertedAt; only the process whose update wins
 * raises the alert, so several worker processes sharing one store still alert once. A lost race (the
 * record moved meanwhile) is simply retried on the next scan.
 */
import type { GatewayContext } from '../../ports/context.js';
import type { OutboundState } from '../../ports/store/index.js';
import { alertEvent, type Alerts } from './alerts.js';
import { startPeriodic, type PeriodicRun } from '../../core/periodic.js';

/** States in which a missing receipt is still our problem to chase (failed already alerted). */
const CHASED: ReadonlySet<OutboundState> = new Set(['accepted', 'queued', 'delivering', 'retrying']);
const PAGE = 200;
const AT_RISK_REASON = 'no_receipt_before_lead_time';
const MAX_PAGES = 50;

/** One scan; returns the ids alerted by this process. */
export async function scanAtRisk(ctx: GatewayContext, alerts: Alerts): Promise<string[]> {
  const now = ctx.clock.now();
  const horizon = now + ctx.config.delivery.atRiskLeadHours * 3_600_000;
  const alerted: string[] = [];
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const batch = (await ctx.store.outbound.listAtRisk(horizon, PAGE)).filter((r) => !seen.has(r.id));
    if (batch.length === 0) break;
    for (const rec of batch) {
      seen.add(rec.id);
      if (!CHASED.has(rec.state) || rec.atRiskAlertedAt !== null || rec.departureAt === null) continue;
      const hoursLeft = Math.round(((rec.departureAt - now) / 3_600_000) * 10) / 10;
      // The claim and the alert's audit event are written together (store port AuditWith).
      const claimed = await ctx.store.outbound.update(rec.id, rec.version, { atRiskAlertedAt: now }, (r) => [
        alertEvent('at_risk', r, AT_RISK_REASON, now, { hoursToDeparture: hoursLeft, deliveryState: r.state }),
      ]);
      if (!claimed) continue;
      await alerts.raise('at_risk', claimed, AT_RISK_REASON);
      alerted.push(rec.id);
    }
    if (batch.length < PAGE) break;
  }
  return alerted;
}

/** Run scanAtRisk every `intervalMs` (first run at once, src/core/periodic.ts); stop() waits for a running scan. */
export function startAtRiskScanner(ctx: GatewayContext, alerts: Alerts, intervalMs: number): PeriodicRun<unknown> {
  return startPeriodic(() => scanAtRisk(ctx, alerts), {
    intervalMs,
    fallback: [],
    onError: (err) => ctx.log.warn({ err }, 'at-risk scan failed'),
  });
}
