import type { SourceKind, StateCode } from '../../domain/protocol/types.js';
import type { AuditWith } from './audit.js';

// Travel reports and the trip index (docs/registry-and-travel-reports.md, docs/statistics.md)

export type TravelReportState = 'active' | 'cancelled';

export interface TravelReportRecord {
  id: string;
  registrantId: string;
  state: TravelReportState;
  /**
   * The TravelReport (JSON) encrypted under the registrant's data key, so erasing the registrant
   * shreds its travel too; null once shredded.
   */
  sealedReport: string | null;
  /** Destination states, in the order visited (kept for statistics after shredding). */
  destinations: StateCode[];
  /** notificationId of the TravelNotification sent to each destination. */
  notificationIds: Record<StateCode, string>;
  /** First departure, epoch ms. */
  departureAt: number;
  late: boolean;
  daysOfNotice: number;
  emergency: boolean;
  /** HMAC trip key (src/domain/travel-reports/trip-key.ts) of the current first leg. */
  tripKey: string;
  /** Staff token id that entered the report, and when (epoch ms). */
  enteredBy: string;
  enteredAt: number;
  createdAt: number;
  updatedAt: number;
  /** Optimistic-concurrency counter. */
  version: number;
}

/** One trip of one registrant, already notified: tripKey → its notifications (de-duplication across sources). */
export interface TripEntry {
  tripKey: string;
  registrantId: string;
  notificationIds: string[];
  firstSource: SourceKind;
  /** Later sources that found the same trip, in order of discovery. */
  alsoFoundBy: SourceKind[];
  createdAt: number;
}

/** Insert and update take their audit events with them (port AuditWith); a lost race writes none. */
export interface TravelReportRepo {
  /** `conflict` when the id exists. */
  insert(rec: TravelReportRecord, audit?: AuditWith<TravelReportRecord>): Promise<void>;
  get(id: string): Promise<TravelReportRecord | null>;
  /** Replace when the stored version equals `rec.version - 1`; null on a lost race. */
  update(rec: TravelReportRecord, audit?: AuditWith<TravelReportRecord>): Promise<TravelReportRecord | null>;
  listByRegistrant(registrantId: string): Promise<TravelReportRecord[]>;
  /**
   * Active reports created in [from, to), in (createdAt, id) order, at most `limit`: what the recovery
   * job checks for notifications never submitted. `after` (the last report of the previous page)
   * starts the page after it, so any number of reports created in one millisecond are paged through.
   */
  listActiveCreated(
    from: number,
    to: number,
    limit: number,
    after?: { createdAt: number; id: string } | null,
  ): Promise<TravelReportRecord[]>;
  /** Drop the sealed report of every report of a registrant (erasure); returns how many. */
  shredForRegistrant(registrantId: string): Promise<number>;
}

export interface TripIndexRepo {
  /** Claim a trip; when already claimed, nothing is written and the existing entry is returned. */
  claim(entry: TripEntry): Promise<{ entry: TripEntry; created: boolean }>;
  get(tripKey: string): Promise<TripEntry | null>;
  /** Record a later source (idempotent); null when the trip is unknown. */
  addSource(tripKey: string, kind: SourceKind): Promise<TripEntry | null>;
  /** Forget a trip (its report was cancelled): a later sighting notifies afresh. */
  release(tripKey: string): Promise<void>;
}
