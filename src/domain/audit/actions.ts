/**
 * The audited actions: every domain event the gateway publishes is one of these `<entity>.<action>`
 * names (node-oidc-provider docs/events.md). The subscriber (./subscriber.ts) refuses any other name,
 * so an audit query or an auditor can rely on this list being complete. Adding an action means adding
 * it here and to the table in docs/audit-trail.md.
 */
export const AUDIT_ACTIONS = [
  // ---- outbound lifecycle (one per OutboundState transition, src/ports/store/index.ts) -----------------
  'notification.accepted',
  'notification.sealed',
  'notification.queued',
  'notification.delivering',
  /** One per HTTP attempt; detail carries `attempt` (1-based) and the outcome (delivered|retry|failed). */
  'delivery.attempt',
  'notification.delivered',
  'notification.retrying',
  'notification.failed',
  'notification.cancelled',
  'notification.no_channel',
  'notification.at_risk',
  /** An administrator sent a failed delivery again (same sealed bytes); the actor is the administrator. */
  'notification.resent',

  // ---- inbound --------------------------------------------------------------------------------
  'message.received',
  'message.duplicate',
  'message.refused',

  // ---- follow-ups and updates -------------------------------------------------------------------
  'followup.sent',
  'followup.received',
  'update.sent',
  'update.received',

  // ---- configuration and keys -------------------------------------------------------------------
  'config.loaded',
  'config.changed',
  'key.generated',
  'key.rotated',
  'key.retired',

  // ---- the signed network directory (src/features/directory/follower.ts) ---------------------------
  /** A newer signed directory took effect; detail: serials, signing kid, state codes and kids that changed. */
  'directory.applied',
  /** A fetched directory was refused (rollback, expired, bad signature …); outcome is the error code. */
  'directory.refused',
  /** The directory held is past its nextUpdate (still used); an alert, once per issue. */
  'directory.stale',
  /** The directory held is past its expiresAt: sealing stops until a newer one arrives; once per issue. */
  'directory.expired',

  // ---- a partner's delivery circuit (src/features/delivery/partner-circuit.ts) -----------------------
  /** Consecutive transient failures opened the circuit: no attempts to this partner but one probe. */
  'partner.circuit_opened',
  /** A probe succeeded: the circuit closed and the partner's waiting jobs were released. */
  'partner.circuit_closed',

  // ---- refusals of local input (API requests that fail validation, auth, roles) ------------------
  'input.refused',
  /**
   * Refusals of unauthenticated requests, counted per window (src/features/audit-trail/refusal-counter.ts):
   * detail carries kind, route, status, count and the window (from, to); outcome is the error code.
   */
  'request.refused',

  /**
   * Processing of personal data by a person or a system (LED 2016/680 Art 25(1): collection,
   * alteration, consultation, disclosure including transfers, combination, erasure). The event names
   * the record (messageId), the actor and — for consultation and disclosure — the purpose given
   * (`detail.purpose`), never the data itself.
   */
  'personal_data.read',
  'personal_data.created',
  'personal_data.altered',
  'personal_data.disclosed',
  'personal_data.combined',
  'personal_data.erased',

  // ---- manifest screening (src/features/screening): references, counts and outcomes only --------------------
  'manifest.received',
  /** Detail: passengers screened, candidates found, threshold, duration. */
  'manifest.screened',
  /** The retention job purged the manifest's people (the screening result stays). */
  'manifest.expired',
  /** A screening user's review of one candidate (LED Art 11: a match is a lead, a person decides). */
  'match.confirmed',
  'match.rejected',
  /** A confirmed match on a trip the registrant did not report: an "unreported travel" case. */
  'case.opened',

  // ---- the audit trail itself ---------------------------------------------------------------------
  'audit.checkpoint',
  'audit.exported',
  'audit.queried',
  /**
   * A range of the trail was verified on request (the console's "verify this range now"); detail: the
   * range, events recomputed, checkpoints checked; outcome ok / failed. The latest one is the
   * "last verification" the console shows beside the last signed checkpoint.
   */
  'audit.verified',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const ACTION_SET: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

export function isAuditAction(name: string): name is AuditAction {
  return ACTION_SET.has(name);
}

/**
 * Actions for which LED Art 25(1) requires the log to establish the justification: consultation and
 * disclosure. Their events must carry a non-empty `detail.purpose`.
 */
export const PURPOSE_REQUIRED: ReadonlySet<AuditAction> = new Set<AuditAction>([
  'personal_data.read',
  'personal_data.disclosed',
]);
