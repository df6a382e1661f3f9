/**
 * Review of a screening candidate (LED 2016/680 Art 11: no decision based solely on automated
 * processing — a match is a lead; a screening officer confirms or rejects it, with a reason).
 *
 * Confirming, in order:
 *   1. the registrant must still be readable (an erased registrant cannot be confirmed: 410, nothing
 *      recorded), and the candidate still pending (a decision is taken once: 409 otherwise);
 *   2. the decision is recorded (conditional update) and audited;
 *   3. the trip key (src/domain/travel-reports/trip-key.ts: registrant + flight + local departure date) is
 *      looked up in the trip index (src/features/travel-reports/trips.ts): a trip already notified — self-reported,
 *      or found by an earlier manifest — gets `manifest_match` recorded as a further source on its
 *      notifications (`source.alsoFoundBy`), and nothing else happens (no case, no second notification);
 *   4. otherwise an "unreported travel" case is opened — one per trip, the store's unique index
 *      decides between racing confirmations — and, when policy says so
 *      (screening.notifyOnConfirmedUnreported), a TravelNotification with source `manifest_match` is
 *      claimed in the trip index and submitted through the ordinary submission service (outbox,
 *      queue, receipts: the same path as any notification).
 * Rejecting records and audits the decision, nothing more.
 */
import { uuid7 } from '../../core/uuid7.js';
import { TnxError } from '../../core/errors.js';
import { submitMessage } from '../submission/submit.js';
import { findNotifiedTrip, recordSecondSource } from '../travel-reports/trips.js';
import type { Principal } from '../../core/principal.js';
import type { Registrant } from '../../domain/registry/registrant.js';
import { openRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { CandidateRecord, CaseRecord, ManifestRecord } from '../../ports/store/index.js';
import { tripKey } from '../../domain/travel-reports/trip-key.js';
import { caseNotification, legOf } from './case-notification.js';
import { candidateDecided, caseOpened, secondSourceRecorded } from './events.js';
import type { ScreeningDeps } from './screening-deps.js';

export interface DecisionInput {
  decision: 'confirmed' | 'rejected';
  reason: string;
}

const MAX_REASON = 1000;

/** The body is exactly {decision, reason}: anything else is refused (the unknown name is not echoed). */
export function parseDecision(body: unknown): DecisionInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new TnxError('invalid_request', 'the body must be an object {decision, reason}', { pointer: '' });
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (k !== 'decision' && k !== 'reason')
      throw new TnxError('invalid_request', 'only decision and reason are allowed', { pointer: '' });
  }
  if (b.decision !== 'confirmed' && b.decision !== 'rejected') {
    throw new TnxError('invalid_request', '/decision must be "confirmed" or "rejected"', { pointer: '/decision' });
  }
  if (typeof b.reason !== 'string' || b.reason.trim().length === 0 || b.reason.length > MAX_REASON) {
    throw new TnxError('invalid_request', `/reason must be 1..${MAX_REASON} characters`, { pointer: '/reason' });
  }
  return { decision: b.decision, reason: b.reason.trim() };
}

export interface DecisionResult {
  candidate: CandidateRecord;
  case: CaseRecord | null;
  /** Notifications of the trip when it had been notified already (the second source was recorded). */
  alreadyNotified: string[] | null;
}

async function loadRegistrant(deps: ScreeningDeps, id: string): Promise<Registrant> {
  const sealed = await deps.ctx.store.registry.get(id);
  if (!sealed) throw new TnxError('registrant_erased', 'the registrant is no longer on the registry');
  return openRegistrant(sealed, deps.keys);
}

export async function decideCandidate(
  deps: ScreeningDeps,
  principal: Principal,
  manifestId: string,
  candidateId: string,
  input: DecisionInput,
): Promise<DecisionResult> {
  const { store, clock } = deps.ctx;
  const manifest = await store.manifests.get(manifestId);
  const pending = manifest ? await store.manifests.getCandidate(manifestId, candidateId) : null;
  if (!manifest || !pending) throw new TnxError('not_found', 'no such manifest candidate');
  if (pending.decision !== 'pending') throw new TnxError('conflict', `candidate was already ${pending.decision}`);
  const registrant = input.decision === 'confirmed' ? await loadRegistrant(deps, pending.registrantId) : null;

  const decided = await store.manifests.decide(
    manifestId,
    candidateId,
    { decision: input.decision, decidedBy: principal.id, decidedAt: clock.now(), reason: input.reason },
    (c) => [candidateDecided(c)],
  );
  if (!decided) throw new TnxError('conflict', 'candidate was decided meanwhile');
  if (!registrant) return { candidate: decided, case: null, alreadyNotified: null };
  return confirmed(deps, principal, manifest, decided, registrant);
}

function tripOf(deps: ScreeningDeps, m: ManifestRecord, registrantId: string): string {
  // Without a departure time the trip cannot be told apart from other days' flights: key it to this
  // manifest, so it opens its own case and never merges with another trip.
  const date = m.flight.scheduledDeparture ?? `unknown-${m.id}`;
  return tripKey(deps.keys.indexKey, registrantId, {
    carrier: m.flight.carrier,
    flightNumber: m.flight.flightNumber,
    scheduledDeparture: date,
  });
}

async function confirmed(
  deps: ScreeningDeps,
  principal: Principal,
  m: ManifestRecord,
  c: CandidateRecord,
  registrant: Registrant,
): Promise<DecisionResult> {
  const { ctx } = deps;
  const { store, clock, config } = ctx;
  const key = tripOf(deps, m, c.registrantId);

  const known = await findNotifiedTrip(ctx, key);
  if (known) return secondSource(deps, c, key);

  const destination = deps.airports.stateOf(m.flight.arrivalAirport);
  const leg = legOf(m.flight, deps.airports);
  const plan: CaseRecord['notification'] = !config.screening.notifyOnConfirmedUnreported
    ? 'disabled'
    : destination === null || leg === null
      ? 'not_notifiable'
      : destination === config.state
        ? 'own_state'
        : 'submitted';
  const now = clock.now();
  // The case and its case.opened event are one write: no case exists without its event. The event
  // says what was planned for the notification; a trip found notified meanwhile is recorded below.
  const opened = await store.cases.open(
    {
      id: uuid7(),
      kind: 'unreported_travel',
      registrantId: c.registrantId,
      manifestId: m.id,
      candidateId: c.id,
      tripKey: key,
      flight: m.flight,
      destination,
      openedBy: principal.id,
      openedAt: now,
      notificationId: plan === 'submitted' ? uuid7() : null,
      notification: plan,
    },
    (k) => [caseOpened(k)],
  );
  if (!opened.created) {
    await store.manifests.setOutcome(c.id, 'case_exists', opened.record.id);
    return {
      candidate: { ...c, outcome: 'case_exists', caseId: opened.record.id },
      case: opened.record,
      alreadyNotified: null,
    };
  }
  let kase = opened.record;
  let alreadyNotified: string[] | null = null;
  if (kase.notification === 'submitted' && kase.notificationId !== null) {
    // Claim the trip before sending: a self-report of the same trip racing us finds it claimed (and
    // records itself as the second source), or has claimed it first and we stand down.
    const claim = await store.trips.claim({
      tripKey: key,
      registrantId: c.registrantId,
      notificationIds: [kase.notificationId],
      firstSource: 'manifest_match',
      alsoFoundBy: [],
      createdAt: now,
    });
    if (!claim.created) {
      alreadyNotified = (await recordSecondSource(ctx, key, 'manifest_match', principal.id))?.notificationIds ?? [];
      kase = (await store.cases.setNotification(kase.id, null, 'already_notified')) ?? kase;
    } else {
      const notification = caseNotification({
        notificationId: kase.notificationId,
        origin: config.state,
        destination: destination!,
        registrant,
        leg: leg!,
        confirmedAt: now,
        pointOfContact: config.pointOfContact,
      });
      await submitMessage(
        {
          ctx,
          queue: deps.queue,
          ...(deps.enqueueTimeoutMs !== undefined ? { enqueueTimeoutMs: deps.enqueueTimeoutMs } : {}),
        },
        { principal, idempotencyKey: null, body: notification, expect: 'TravelNotification' },
      );
    }
  }
  // Lost the trip to a self-report after opening the case: the second source is recorded with the
  // candidate's outcome, as when the trip was known from the start (secondSource below).
  const secondSourceEvent = alreadyNotified
    ? (x: CandidateRecord) => [secondSourceRecorded(x, alreadyNotified, clock.now())]
    : undefined;
  await store.manifests.setOutcome(c.id, 'case_opened', kase.id, secondSourceEvent);
  return { candidate: { ...c, outcome: 'case_opened', caseId: kase.id }, case: kase, alreadyNotified: null };
}

/** The trip was notified already: `manifest_match` goes onto its notifications (source.alsoFoundBy). */
async function secondSource(deps: ScreeningDeps, c: CandidateRecord, key: string): Promise<DecisionResult> {
  const { ctx } = deps;
  const entry = await recordSecondSource(ctx, key, 'manifest_match', c.decidedBy ?? 'system');
  const notificationIds = entry?.notificationIds ?? [];
  await ctx.store.manifests.setOutcome(c.id, 'already_notified', null, (x) => [
    secondSourceRecorded(x, notificationIds, ctx.clock.now()),
  ]);
  return { candidate: { ...c, outcome: 'already_notified' }, case: null, alreadyNotified: notificationIds };
}
