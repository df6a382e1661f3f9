import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { AuditWith } from './audit.js';

// ------------------------------------------------------------------------------------------------
// National registry, travel reports and the trip index (docs/registry-and-travel-reports.md, docs/statistics.md)

/** The fields the retention job reads, all in clear on the sealed record. */
export type RegistrantRetentionView = Pick<
  SealedRegistrant,
  'id' | 'status' | 'registrationStart' | 'registrationEnd' | 'reviewDue' | 'reviewFlaggedAt' | 'erasedAt'
>;

/**
 * The writes take their audit events with them (`audit`, port AuditWith): written only when the
 * change happens — not for an id that exists, a lost race or a record already erased.
 */
export interface RegistryRepo {
  /** Insert a new sealed registrant; `conflict` when the id or the external reference exists. */
  insert(rec: SealedRegistrant, audit?: AuditWith<SealedRegistrant>): Promise<void>;
  get(id: string): Promise<SealedRegistrant | null>;
  /** The live record carrying the registry's own reference (unique among live records), or null. */
  byExternalReference(ref: string): Promise<SealedRegistrant | null>;
  /**
   * Replace when the stored `updatedAt` still equals `expectedUpdatedAt`; false on a lost race or an
   * erased record; `conflict` when the new external reference belongs to another record.
   */
  replace(rec: SealedRegistrant, expectedUpdatedAt: number, audit?: AuditWith<SealedRegistrant>): Promise<boolean>;
  /**
   * Overwrite the live record with its tombstone (src/domain/registry `shredRegistrant`) and drop its blind
   * indexes, so that no copy of the wrapped data key or a ciphertext stays readable in the database.
   * True when this call erased it; false when the record is unknown or was erased already (a racing
   * erasure, a repeated retention pass), and then nothing is written.
   */
  erase(tombstone: SealedRegistrant, audit?: AuditWith<SealedRegistrant>): Promise<boolean>;
  /** Live (not erased) records carrying every term (AND); empty terms match nothing. */
  search(terms: readonly string[], limit: number): Promise<SealedRegistrant[]>;
  /** Live records with registrationEnd < endBefore, or reviewDue < reviewBefore and not yet flagged. */
  retentionCandidates(
    cutoffs: { endBefore: string; reviewBefore: string },
    limit: number,
  ): Promise<RegistrantRetentionView[]>;
  /** How many live (not erased) records there are: the screening index's build progress counts against it. */
  countLive(): Promise<number>;
  /** Live (not erased) records with id > afterId, by id: the screening index is built from these at start-up. */
  scan(afterId: string | null, limit: number): Promise<SealedRegistrant[]>;
}
