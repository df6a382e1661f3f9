/**
 * What the audit trail records: a domain event as published (`AuditEventInput`, alias `DomainEvent`),
 * the chained event as stored, and a signed checkpoint over the chain head. Shared by the audit
 * rules (src/domain/audit), the store port and the adapters.
 */
import type { StateCode } from '../protocol/types.js';

export interface AuditEventInput {
  /** `<entity>.<action>`, e.g. "notification.accepted", "delivery.attempt", "personal_data.read". */
  action: string;
  /** Token id, "system", or a partner state code for inbound actions. */
  actor: string;
  /** When it happened, epoch ms. */
  at: number;
  messageId?: string | null;
  partner?: StateCode | null;
  outcome?: string | null;
  /** References and outcomes only — never personal data (names, dates of birth, document numbers). */
  detail?: Record<string, unknown> | null;
}

export interface AuditEvent extends Required<AuditEventInput> {
  /** 1-based, gapless, assigned by the store in chain order. */
  seq: number;
  id: string;
  /** Hex SHA-256 of the previous event's hash and this event's canonical form (src/domain/audit/chain.ts). */
  prevHash: string;
  hash: string;
}

export interface AuditCheckpoint {
  /** Sequence number of the chain head this checkpoint covers. */
  seq: number;
  headHash: string;
  /** Compact JWS (ES256, typ "tnx-audit-checkpoint+jwt") over {seq, headHash, at, state}. */
  jws: string;
  at: number;
}
