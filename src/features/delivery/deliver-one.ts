/**
 * One delivery attempt for one outbound message — the body of a delivery job, written to be run more than
 * once (BullMQ delivers at least once; a process may die mid-attempt):
 *
 *   load → stop if final → seal once (guarded update: every attempt sends the SAME bytes, so the
 *   receiver de-duplicates by jti) → per-partner slot → `delivering` → POST → record the attempt →
 *   200: verify the receipt against what we sent, store it, time it, `delivered`
 *   else: classify (./failure-classes.ts) → `retrying` with a backoff (./retry-policy.ts) or `failed`
 *
 * Every state change goes through a conditional store transition, so a cancel landing meanwhile wins
 * and the attempt stops instead of overwriting it. Returns what the queue must do next.
 */
import type { Partner } from '../../config/schema.js';
import type { GatewayContext } from '../../ports/context.js';
import { tnxError } from '../../core/errors.js';
import { seal } from '../../domain/protocol/envelope/seal.js';
import { MEDIA_TYPE_JOSE, MEDIA_TYPE_JWT, type Receipt } from '../../domain/protocol/types.js';
import { TERMINAL_STATES, type OutboundRecord, type OutboundState } from '../../ports/store/index.js';
import { alertEvent, type Alerts } from './alerts.js';
import {
  classifyError,
  classifyStatus,
  NetworkError,
  PARTNER_REMOVED,
  type Failure,
} from '../../domain/delivery/failure-classes.js';
import { checkEndpoint, type HttpAnswer, type PartnerHttpClient } from './http-client.js';
import type { PartnerLimiter } from './partner-limits.js';
import type { PartnerCircuits } from './partner-circuit.js';
import { recordAttempt } from './attempts.js';
import { nextRetry, retryDeadline } from '../../domain/delivery/retry-policy.js';
import { outboundEvent as event } from '../outbound-events.js';
import { checkReceipt, recordDelivery } from './receipt-handler.js';

export interface DeliveryDeps {
  ctx: GatewayContext;
  http: PartnerHttpClient;
  limiter: PartnerLimiter;
  alerts: Alerts;
  /** [0, 1); tests fix it. */
  random: () => number;
  /** Longest wait for a per-partner slot before the job is deferred, ms. */
  partnerWaitMs: number;
  /** Aborts in-flight requests when a bounded shutdown runs out of time. */
  signal: AbortSignal;
  /** The partners' circuits (./partner-circuit.ts); absent: every attempt goes. */
  circuits?: PartnerCircuits;
}

import type { DeliveryOutcome as Outcome } from '../../ports/queue.js';

export type { Outcome };

const LIVE: readonly OutboundState[] = ['accepted', 'queued', 'retrying', 'delivering'];
const PARTNER_CODE = /^[a-z][a-z0-9_]{0,63}$/;

const isFinal = (s: OutboundState): boolean => TERMINAL_STATES.includes(s);

export async function deliverOnce(deps: DeliveryDeps, id: string): Promise<Outcome> {
  const { ctx } = deps;
  let rec = await ctx.store.outbound.get(id);
  if (!rec) {
    ctx.log.warn({ messageId: id }, 'delivery job for an unknown record: dropped');
    return { next: 'done', state: 'missing' };
  }
  if (isFinal(rec.state)) return { next: 'done', state: rec.state };

  let url: URL;
  let partner: Partner | undefined;
  try {
    partner = ctx.directory.partner(rec.partner);
    // With a network directory, a partner missing from it was removed by the coordinator.
    if (!partner && ctx.directory.origin()) return afterFailure(deps, rec, PARTNER_REMOVED, false);
    if (!partner)
      throw tnxError('config_invalid', 'destination is not in the partner directory', {
        pointer: 'directory/partners',
      });
    if (!partner.endpoint)
      throw tnxError('config_invalid', 'partner has no endpoint', {
        pointer: `directory/partners/${rec.partner}/endpoint`,
      });
    url = checkEndpoint(partner.endpoint, `directory/partners/${rec.partner}/endpoint`);
    rec = await ensureSealed(ctx, rec);
  } catch (err) {
    return afterFailure(deps, rec, classifyError(err), false);
  }
  const caPath = partner.tls?.caPath;
  const caPem = partner.tls?.caPem;

  const pass = deps.circuits ? await deps.circuits.admit(rec.partner, rec) : null;
  if (pass && !pass.go) {
    // Waiting on an open circuit spends no attempt, but not past the retry budget: once it is over,
    // one last attempt decides (delivered if the partner is back, failed otherwise).
    const left = budgetEnd(ctx, rec) - ctx.clock.now();
    if (left > 0) return { next: 'delay', delayMs: Math.min(pass.waitMs, left), why: 'circuit_open' };
  }

  const release = await deps.limiter.gate(rec.partner, partner.limits).acquire(deps.partnerWaitMs);
  if (!release) return { next: 'delay', delayMs: 50 + Math.floor(deps.random() * 450), why: 'partner_busy' };

  let answer: HttpAnswer | null = null;
  let failure: Failure | null = null;
  let written = false;
  let startedAt = 0;
  let active: OutboundRecord;
  try {
    startedAt = ctx.clock.now();
    const moved = await ctx.store.outbound.transition(
      rec.id,
      LIVE,
      'delivering',
      { attempts: rec.attempts + 1 },
      (r) => [event('notification.delivering', r, startedAt, { attempt: r.attempts })],
    );
    if (!moved) {
      const now = await ctx.store.outbound.get(rec.id);
      return { next: 'done', state: now?.state ?? 'missing' };
    }
    active = moved;
    try {
      answer = await deps.http.post(url, active.jwe!, {
        contentType: MEDIA_TYPE_JOSE,
        accept: `${MEDIA_TYPE_JWT}, application/problem+json`,
        caPath,
        caPem,
        signal: deps.signal,
      });
    } catch (err) {
      failure = classifyError(err);
      written = !(err instanceof NetworkError) || err.written;
    }
  } finally {
    release();
  }

  let receipt: Receipt | null = null;
  if (answer) {
    ctx.metrics.deliveryAttemptSeconds.observe({ partner: active.partner }, answer.durationMs / 1000);
    if (answer.status === 200) {
      try {
        receipt = await checkReceipt(ctx, active, answer.body);
      } catch (err) {
        failure = classifyError(err);
      }
    } else {
      failure = classifyStatus(answer.status, answer.headers, ctx.clock.now());
    }
  }
  await deps.circuits?.observe(active.partner, answer !== null, failure);
  const mayHaveReached = answer !== null || written;
  const durationMs = answer ? Math.round(answer.durationMs) : ctx.clock.now() - startedAt;
  const partnerCode = answer && answer.status !== 200 ? problemCode(answer) : null;

  if (receipt && !failure) {
    // Asked for together, so the store commits the attempt and the delivery in one batch (attempt first).
    const [, outcome] = await Promise.all([
      recordAttempt(ctx, active, {
        startedAt,
        durationMs,
        httpStatus: 200,
        error: null,
        outcome: 'delivered',
        mayHaveReached: true,
      }),
      recordDelivery(ctx, active, answer!.body.trim(), receipt),
    ]);
    return outcome;
  }
  const f = failure!;
  const out = await afterFailure(deps, active, f, true, {
    startedAt,
    durationMs,
    httpStatus: answer?.status ?? null,
    error: partnerCode ?? f.reason,
    mayHaveReached,
  });
  return deps.circuits ? deps.circuits.waitOnCircuit(active.partner, out) : out;
}

/** Seal once; a concurrent sealer's bytes win so that every attempt carries the same JWE. */
async function ensureSealed(ctx: GatewayContext, rec: OutboundRecord): Promise<OutboundRecord> {
  if (rec.jwe && rec.jti) return rec;
  const sealed = await seal(rec.message, rec.partner, {
    keys: ctx.keys,
    directory: ctx.directory,
    state: ctx.config.state,
    clock: ctx.clock,
  });
  let current = rec;
  for (let round = 0; round < 5; round += 1) {
    const stored = await ctx.store.outbound.update(
      current.id,
      current.version,
      { jwe: sealed.jwe, jti: sealed.jti },
      (r) => [event('notification.sealed', r, ctx.clock.now(), { jti: sealed.jti, digest: sealed.digest })],
    );
    if (stored) return stored;
    const again = await ctx.store.outbound.get(current.id);
    if (!again) throw tnxError('internal_error', 'record vanished while sealing');
    if (again.jwe && again.jti) return again;
    current = again;
  }
  throw tnxError('store_unavailable', 'could not store the sealed message (lost every update race)');
}

interface AttemptFacts {
  startedAt: number;
  durationMs: number;
  httpStatus: number | null;
  error: string | null;
  mayHaveReached: boolean;
}

/** Decide retry or fail after a failure; `attempted` says whether an HTTP attempt was made. */
async function afterFailure(
  deps: DeliveryDeps,
  rec: OutboundRecord,
  f: Failure,
  attempted: boolean,
  facts?: AttemptFacts,
): Promise<Outcome> {
  const { ctx } = deps;
  const now = ctx.clock.now();
  const cfg = ctx.config.delivery;
  const decision =
    f.class === 'permanent'
      ? null
      : nextRetry({
          now,
          failures: Math.max(1, rec.attempts),
          deadline: budgetEnd(ctx, rec),
          retryAfterMs: f.retryAfterMs,
          backoff: { baseMs: cfg.backoffBaseMs, capMs: cfg.backoffCapMs },
          departure: {
            departureAt: rec.departureAt,
            fraction: cfg.departureBackoffFraction,
            floorMs: cfg.backoffBaseMs,
          },
          random: deps.random,
        });
  const retry = decision !== null && decision.retry ? decision : null;
  if (attempted && facts) await recordAttempt(ctx, rec, { ...facts, outcome: retry ? 'retry' : 'failed' });

  const lastError = facts?.error && facts.error !== f.reason ? `${f.reason}/${facts.error}` : f.reason;
  if (retry) {
    const moved = await ctx.store.outbound.transition(rec.id, LIVE, 'retrying', { lastError }, (r) => [
      event('notification.retrying', r, now, { attempt: r.attempts, failure: f.reason, delayMs: retry.delayMs }),
    ]);
    if (!moved) {
      const cur = await ctx.store.outbound.get(rec.id);
      return { next: 'done', state: cur?.state ?? 'missing' };
    }
    return { next: 'delay', delayMs: retry.delayMs, why: 'retry' };
  }
  const reason = f.class === 'permanent' ? f.reason : 'retry_budget_exhausted';
  const failedRec = await ctx.store.outbound.transition(
    rec.id,
    LIVE,
    'failed',
    { lastError: f.class === 'permanent' ? lastError : `retry_budget_exhausted/${f.reason}` },
    (r) => [alertEvent('failed', r, reason, now, { lastFailure: f.reason, httpStatus: f.httpStatus })],
  );
  if (!failedRec) {
    const cur = await ctx.store.outbound.get(rec.id);
    return { next: 'done', state: cur?.state ?? 'missing' };
  }
  ctx.metrics.deliveries.inc({ partner: failedRec.partner, outcome: 'failed' });
  await deps.alerts.raise('failed', failedRec, reason);
  return { next: 'failed', reason };
}

function budgetEnd(ctx: GatewayContext, rec: OutboundRecord): number {
  return retryDeadline(rec, {
    retryUntilAfterDepartureHours: ctx.config.delivery.retryUntilAfterDepartureHours,
    maxMessageAgeSeconds: ctx.config.protocol.maxMessageAgeSeconds,
  });
}

function problemCode(answer: HttpAnswer): string | null {
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return null;
  try {
    const code = (JSON.parse(answer.body) as { code?: unknown }).code;
    return typeof code === 'string' && PARTNER_CODE.test(code) ? code : null;
  } catch {
    return null;
  }
}
