import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';

// ------------------------------------------------------------------------------------------------
// National registry, travel reports and the trip index (docs/registry-and-travel-reports.md, docs/statistics.md)

/** The fields the retention job reads, all in clear on the sealed record. */
export type RegistrantRetentionView = Pick<
  SealedRegistrant,
  'id' | 'status' | 'registrationStart' | 'registrationEnd' | 'reviewDue' | 'reviewFlaggedAt' | 'erasedAt'
>;

export interface RegistryRepo {
  /** Insert a new sealed registrant; `conflict` when the id exists. */
  insert(rec: SealedRegistrant): Promise<void>;
  get(id: string): Promise<SealedRegistrant | null>;
  /** Replace when the stored `updatedAt` still equals `expectedUpdatedAt`; false on a lost race or an erased record. */
  replace(rec: SealedRegistrant, expectedUpdatedAt: number): Promise<boolean>;
  /**
   * Overwrite the record with its tombstone (src/domain/registry `shredRegistrant`) and drop its blind
   * indexes, so that no copy of the wrapped data key or a ciphertext stays readable in the database.
   */
  erase(tombstone: SealedRegistrant): Promise<void>;
  /** Live (not erased) records carrying every term (AND); empty terms match nothing. */
  search(terms: readonly string[], limit: number): Promise<SealedRegistrant[]>;
  /** Live records with registrationEnd < endBefore, or reviewDue < reviewBefore and not yet flagged. */
  retentionCandidates(
    cutoffs: { endBefore: string; reviewBefore: string },
    limit: number,
  ): Promise<RegistrantRetentionView[]>;
  /** Live (not erased) records with id > afterId, by id: the screening index is built from these at start-up. */
  scan(afterId: string | null, limit: number): Promise<SealedRegistrant[]>;
}
