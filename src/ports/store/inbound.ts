import type { MessageType, StateCode, TnxMessage } from '../../domain/protocol/types.js';
import type { AuditWith } from './audit.js';
import type { Page } from './page.js';

// ------------------------------------------------------------------------------------------------
// Inbound messages (what partners delivered to us) and the receipts we issued

export interface InboundRecord {
  /** Internal id (UUID). */
  id: string;
  /** Sender state (JWS `iss`) and message id (`jti`): unique together — the de-duplication key. */
  iss: StateCode;
  jti: string;
  messageType: Exclude<MessageType, 'Receipt'>;
  notificationId: string;
  message: TnxMessage;
  /** base64url SHA-256 of the exact JWE bytes received. */
  digest: string;
  receivedAt: number;
  /** The receipt JWS we answered with; a duplicate gets these exact bytes again. */
  receiptJws: string;
  /** Departure time from the message (TravelNotification / amend), epoch ms, for listing and stats. */
  departureAt: number | null;
}

export interface InboundFilter {
  iss?: StateCode;
  messageType?: InboundRecord['messageType'];
  notificationId?: string;
  from?: number;
  to?: number;
}

export interface InboundRepo {
  /** Insert unless (iss, jti) exists; on a clash return the stored record and `created: false`. */
  insertOnce(
    rec: InboundRecord,
    audit?: AuditWith<InboundRecord>,
  ): Promise<{ record: InboundRecord; created: boolean }>;
  get(id: string): Promise<InboundRecord | null>;
  getByJti(iss: StateCode, jti: string): Promise<InboundRecord | null>;
  list(filter: InboundFilter, page: { limit: number; cursor?: string | null }): Promise<Page<InboundRecord>>;
}
