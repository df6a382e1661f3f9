/**
 * Pure MongoDB filters and updates of the registry part, checked with mingo in
 * tests/store/registry-mongo-queries.test.ts. Values only ever appear as operands of explicit operators.
 */
import type { SourceKind } from '../../domain/protocol/types.js';
import type { SealedRegistrant } from '../../domain/registry/sealed-registrant.js';
import type { TravelReportRecord, TripEntry } from '../../ports/store/index.js';
import type { Filter } from './queries.js';

export function registrantDoc(r: SealedRegistrant): Record<string, unknown> {
  const { id, ...rest } = r;
  return { _id: id, ...rest };
}

export function fromRegistrantDoc(d: Record<string, unknown>): SealedRegistrant {
  const { _id, ...rest } = d;
  return { id: _id as string, ...(rest as Omit<SealedRegistrant, 'id'>) };
}

/** Every term present, live records only. An empty term list must not reach here (it would match all). */
export function searchFilter(terms: readonly string[]): Filter {
  return { blindIndexes: { $all: [...new Set(terms)] }, erasedAt: { $eq: null } };
}

/** The live record with this external reference. */
export function externalReferenceFilter(ref: string): Filter {
  return { externalReference: { $eq: ref }, erasedAt: { $eq: null } };
}

/** Live records after `afterId` in id order (keyset paging for the screening index). */
export function scanFilter(afterId: string | null): Filter {
  return { erasedAt: { $eq: null }, ...(afterId === null ? {} : { _id: { $gt: afterId } }) };
}

export function replaceFilter(id: string, expectedUpdatedAt: number): Filter {
  return { _id: { $eq: id }, updatedAt: { $eq: expectedUpdatedAt }, erasedAt: { $eq: null } };
}

/** Only a live record is erased: a repeated or racing erasure matches nothing (and writes no events). */
export function eraseFilter(id: string): Filter {
  return { _id: { $eq: id }, erasedAt: { $eq: null } };
}

export function retentionFilter(c: { endBefore: string; reviewBefore: string }): Filter {
  return {
    erasedAt: { $eq: null },
    $or: [
      { registrationEnd: { $ne: null, $lt: c.endBefore } },
      { reviewFlaggedAt: { $eq: null }, reviewDue: { $lt: c.reviewBefore } },
    ],
  };
}

export const RETENTION_PROJECTION = {
  _id: 1,
  status: 1,
  registrationStart: 1,
  registrationEnd: 1,
  reviewDue: 1,
  reviewFlaggedAt: 1,
  erasedAt: 1,
} as const;

export function reportDoc(r: TravelReportRecord): Record<string, unknown> {
  const { id, ...rest } = r;
  return { _id: id, ...rest };
}

export function fromReportDoc(d: Record<string, unknown>): TravelReportRecord {
  const { _id, ...rest } = d;
  return { id: _id as string, ...(rest as Omit<TravelReportRecord, 'id'>) };
}

export function reportVersionFilter(id: string, previousVersion: number): Filter {
  return { _id: { $eq: id }, version: { $eq: previousVersion } };
}

export function shredReportsFilter(registrantId: string): Filter {
  return { registrantId: { $eq: registrantId }, sealedReport: { $ne: null } };
}
export const SHRED_REPORTS_UPDATE = { $set: { sealedReport: null } } as const;

export function tripDoc(e: TripEntry): Record<string, unknown> {
  const { tripKey, ...rest } = e;
  return { _id: tripKey, ...rest };
}

export function fromTripDoc(d: Record<string, unknown>): TripEntry {
  const { _id, ...rest } = d;
  return { tripKey: _id as string, ...(rest as Omit<TripEntry, 'tripKey'>) };
}

/** Adds `kind` once, never the first source itself. */
export function addSourceFilter(tripKey: string, kind: SourceKind): Filter {
  return { _id: { $eq: tripKey }, firstSource: { $ne: kind }, alsoFoundBy: { $ne: kind } };
}
export function addSourceUpdate(kind: SourceKind): Record<string, unknown> {
  return { $push: { alsoFoundBy: kind } };
}
