/**
 * What the national workflow (registry, travel reports, retention) is given: the gateway context, the
 * registry keys (loaded once from config.registry by src/runtime/create-context.ts), and the
 * submission path notifications take — the same one a national system's POST /api/v1/notifications
 * takes (src/features/submission/submit.ts).
 */
import { isoTime } from '../../core/clock.js';
import type { GatewayContext } from '../../ports/context.js';
import type { SubmitDeps } from '../submission/submit.js';
import type { RegistryKeys } from '../../domain/registry/registry-keys.js';
import type { DeadlineRules } from '../../domain/travel-reports/deadline.js';

export interface NationalDeps {
  ctx: GatewayContext;
  keys: RegistryKeys;
  submit: SubmitDeps;
  rules: DeadlineRules;
}

export function nationalDeps(submit: SubmitDeps, keys: RegistryKeys): NationalDeps {
  const { ctx } = submit;
  return { ctx, submit, keys, rules: ctx.config.travelReports.deadlines };
}

/** RFC 3339 UTC with milliseconds for an epoch ms. */
export function isoOf(ms: number): string {
  return isoTime(ms);
}
