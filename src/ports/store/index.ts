/**
 * The store port: everything a gateway persists, shaped around the gateway's questions rather than
 * around one database. Every adapter (src/adapters/store-sqlite, src/adapters/store-mongo) passes the one conformance
 * suite in tests/store/. Several gateway processes may share one store: nothing here assumes one
 * process — uniqueness and state transitions are enforced by the database (unique indexes, conditional
 * updates), never by an in-memory check followed by a write.
 *
 * Times are epoch milliseconds (numbers) in records; ISO strings appear only in wire messages.
 *
 * Errors: bad input → TnxError `invalid_request` (nothing stored); an id that already exists →
 * `conflict`; the database unreachable, locked past its timeout or broken → `store_unavailable`.
 * Page limits are 1…10 000 (src/adapters/store-common/paging.ts). docs/store.md describes both adapters.
 */
import type { AuditRepo } from './audit.js';
import type { InboundRepo } from './inbound.js';
import type { KvRepo } from './kv.js';
import type { OutboundRepo } from './outbound.js';
import type { RegistryRepo } from './registry.js';
import type { CaseRepo, ManifestRepo } from './screening.js';
import type { StatsRepo } from './stats.js';
import type { TravelReportRepo, TripIndexRepo } from './travel-reports.js';

export * from './audit.js';
export * from './inbound.js';
export * from './kv.js';
export * from './outbound.js';
export * from './page.js';
export * from './registry.js';
export * from './screening.js';
export * from './stats.js';
export * from './travel-reports.js';

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  /**
   * How many independent writes that carry audit events are worth having in flight at once (bulk
   * work such as a registry import sizes its window by it): SQLite commits them together in one
   * transaction, up to its batch size; on MongoDB each is a transaction that moves the one chain head,
   * so concurrent ones conflict and retry, and a wide window only multiplies the retries.
   */
  readonly writeWindow: number;
  readonly outbound: OutboundRepo;
  readonly inbound: InboundRepo;
  readonly audit: AuditRepo;
  readonly kv: KvRepo;
  readonly manifests: ManifestRepo;
  readonly cases: CaseRepo;
  readonly registry: RegistryRepo;
  readonly travelReports: TravelReportRepo;
  readonly trips: TripIndexRepo;
  readonly stats: StatsRepo;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
