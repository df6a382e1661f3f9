/**
 * The registrant as stored: `SealedRegistrant`. A store adapter persists it as is (one row/document,
 * `blindIndexes` as a multi-valued index) and never sees plaintext personal data.
 *
 * In clear: the id, status and the registry's own dates that retention and statistics need
 * (registration start and end, review date). Everything about the person — names, date of birth, sex,
 * citizenships, documents, photo reference, convictions, notes — is encrypted field by field under
 * the registrant's data key (./field-crypto.ts), which is wrapped by the KEK (./data-keys.ts).
 * Erasure destroys the wrapped data key (crypto-shredding): ciphertexts that survive elsewhere, e.g.
 * in backups, can no longer be decrypted by anyone.
 */
import { TnxError } from '../../core/errors.js';
import type { FullDate, Person } from '../protocol/types.js';
import { personIndexes } from './blind-index.js';
import { contentDigest } from './content-digest.js';
import { newDataKey, rewrapDek, unwrapDek, wrapDek, type DataKey, type WrappedDek } from './data-keys.js';
import { decryptField, encryptField } from './field-crypto.js';
import { validateRegistrant, type Registrant, type RegistrantStatus } from './registrant.js';
import type { RegistryKeys } from './registry-keys.js';

/** The encrypted fields, one ciphertext each. Person fields are split so each is bound to its name. */
export const PERSONAL_FIELDS = [
  'person.name',
  'person.nameOriginalScript',
  'person.aliases',
  'person.dateOfBirth',
  'person.sex',
  'person.citizenships',
  'person.travelDocuments',
  'pastTravelDocuments',
  'photoRef',
  'convictions',
  'notes',
] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

export interface SealedRegistrant {
  id: string;
  /**
   * Record format. 2 adds the `pastTravelDocuments` field (always present, like every other); a
   * format-1 record was sealed before it existed and opens without it.
   */
  format: 1 | 2;
  /** The registry's own reference, unique per registry (in clear: the store's unique key). */
  externalReference?: string | null;
  /**
   * Keyed digest of the registrant's content (./content-digest.ts), so a re-import tells an unchanged
   * record without decrypting it. Absent on records sealed before it existed.
   */
  contentDigest?: string;
  status: RegistrantStatus;
  registrationStart: FullDate;
  registrationEnd: FullDate | null;
  reviewDue: FullDate;
  /** Epoch ms the retention job flagged the review as overdue; null when not overdue. */
  reviewFlaggedAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms of erasure; the record is then a tombstone with statistics fields only. */
  erasedAt: number | null;
  /** Null once erased: nothing can decrypt `fields` any more. */
  dek: WrappedDek | null;
  fields: Partial<Record<PersonalField, string>>;
  /** Blind indexes (./blind-index.ts), sorted; empty once erased. */
  blindIndexes: string[];
}

/**
 * Every personal field, always: an absent optional field is encrypted as JSON null. A record whose
 * field set was trimmed in the database (e.g. notes deleted to hide them) then fails to open instead
 * of silently opening with less.
 */
function plainFields(r: Registrant): Record<PersonalField, unknown> {
  const p = r.person;
  return {
    'person.name': p.name,
    'person.nameOriginalScript': p.nameOriginalScript ?? null,
    'person.aliases': p.aliases ?? null,
    'person.dateOfBirth': p.dateOfBirth,
    'person.sex': p.sex,
    'person.citizenships': p.citizenships,
    'person.travelDocuments': p.travelDocuments,
    pastTravelDocuments: r.pastTravelDocuments ?? null,
    photoRef: r.photoRef ?? null,
    convictions: r.convictions,
    notes: r.notes ?? null,
  };
}

function encryptAll(r: Registrant, dek: DataKey): Partial<Record<PersonalField, string>> {
  const out: Partial<Record<PersonalField, string>> = {};
  const plain = plainFields(r);
  for (const field of PERSONAL_FIELDS) out[field] = encryptField(plain[field], dek, r.id, field);
  return out;
}

function build(
  r: Registrant,
  dek: DataKey,
  wrapped: WrappedDek,
  keys: RegistryKeys,
  createdAt: number,
  now: number,
): SealedRegistrant {
  return {
    id: r.id,
    format: 2,
    externalReference: r.externalReference ?? null,
    contentDigest: contentDigest(r, keys.indexKey),
    status: r.status,
    registrationStart: r.registrationStart,
    registrationEnd: r.registrationEnd,
    reviewDue: r.reviewDue,
    reviewFlaggedAt: null,
    createdAt,
    updatedAt: now,
    erasedAt: null,
    dek: wrapped,
    fields: encryptAll(r, dek),
    blindIndexes: personIndexes(r.person, keys.indexKey, r.pastTravelDocuments),
  };
}

function erased(): TnxError {
  return new TnxError('registrant_erased', 'the registrant has been erased');
}

/** Validate and seal a new registrant under a fresh data key. */
export function sealRegistrant(input: unknown, keys: RegistryKeys, now: number): SealedRegistrant {
  const r = validateRegistrant(input);
  const dek = newDataKey();
  try {
    return build(r, dek, wrapDek(dek, r.id, keys.kek), keys, now, now);
  } finally {
    dek.secret.fill(0);
  }
}

/**
 * Seal a changed registrant onto its existing record: same data key, every field re-encrypted with a
 * fresh IV, indexes recomputed. A new review date clears the overdue flag only if it lies later.
 */
export function resealRegistrant(
  prev: SealedRegistrant,
  input: unknown,
  keys: RegistryKeys,
  now: number,
): SealedRegistrant {
  const r = validateRegistrant(input);
  if (r.id !== prev.id) throw new TnxError('invalid_registrant', '/id must not change', { pointer: '/id' });
  if (!prev.dek) throw erased();
  const dek = unwrapDek(prev.dek, prev.id, keys.kek);
  try {
    const next = build(r, dek, rewrapDek(prev.dek, prev.id, keys.kek), keys, prev.createdAt, now);
    next.reviewFlaggedAt = r.reviewDue > prev.reviewDue ? null : prev.reviewFlaggedAt;
    return next;
  } finally {
    dek.secret.fill(0);
  }
}

/** Decrypts one field at a time under the record's data key; absent optional fields (JSON null) are undefined. */
function fieldOpener(sealed: SealedRegistrant, dek: DataKey): (name: PersonalField) => unknown {
  return (name) => {
    if (name === 'pastTravelDocuments' && sealed.format === 1) return undefined;
    const token = sealed.fields[name];
    if (token === undefined)
      throw new TnxError('personal_data_unreadable', `field ${name} of registrant ${sealed.id} is missing`);
    const value = decryptField(token, dek, sealed.id, name);
    return value === null ? undefined : value;
  };
}

function openPerson(f: (name: PersonalField) => unknown): Person {
  const person: Person = {
    name: f('person.name') as Person['name'],
    dateOfBirth: f('person.dateOfBirth') as string,
    sex: f('person.sex') as Person['sex'],
    citizenships: f('person.citizenships') as string[],
    travelDocuments: f('person.travelDocuments') as Person['travelDocuments'],
  };
  const original = f('person.nameOriginalScript');
  if (original !== undefined) person.nameOriginalScript = original as NonNullable<Person['nameOriginalScript']>;
  const aliases = f('person.aliases');
  if (aliases !== undefined) person.aliases = aliases as NonNullable<Person['aliases']>;
  return person;
}

/** Decrypt a sealed registrant. Throws `registrant_erased` after shredding, `personal_data_unreadable` on tampering. */
export function openRegistrant(sealed: SealedRegistrant, keys: RegistryKeys): Registrant {
  if (!sealed.dek) throw erased();
  const dek = unwrapDek(sealed.dek, sealed.id, keys.kek);
  try {
    const f = fieldOpener(sealed, dek);
    const r: Registrant = {
      id: sealed.id,
      person: openPerson(f),
      convictions: f('convictions') as Registrant['convictions'],
      registrationStart: sealed.registrationStart,
      registrationEnd: sealed.registrationEnd,
      status: sealed.status,
      reviewDue: sealed.reviewDue,
    };
    if (sealed.externalReference) r.externalReference = sealed.externalReference;
    const past = f('pastTravelDocuments');
    if (past !== undefined) r.pastTravelDocuments = past as NonNullable<Registrant['pastTravelDocuments']>;
    const photoRef = f('photoRef');
    if (photoRef !== undefined) r.photoRef = photoRef as string;
    const notes = f('notes');
    if (notes !== undefined) r.notes = notes as NonNullable<Registrant['notes']>;
    return r;
  } finally {
    dek.secret.fill(0);
  }
}

/** The identity of a registrant: who the person is and which documents they held. */
export interface RegistrantIdentity {
  id: string;
  person: Person;
  pastTravelDocuments?: Registrant['pastTravelDocuments'];
}

/**
 * Decrypt only the identity fields (person, past documents) — what screening compares. Convictions,
 * notes and the photo reference stay sealed: the screening index neither needs nor holds them, and not
 * decrypting them keeps them out of memory (and saves the index a third of the decryption work).
 */
export function openIdentity(sealed: SealedRegistrant, keys: RegistryKeys): RegistrantIdentity {
  if (!sealed.dek) throw erased();
  const dek = unwrapDek(sealed.dek, sealed.id, keys.kek);
  try {
    const f = fieldOpener(sealed, dek);
    const out: RegistrantIdentity = { id: sealed.id, person: openPerson(f) };
    const past = f('pastTravelDocuments');
    if (past !== undefined) out.pastTravelDocuments = past as NonNullable<Registrant['pastTravelDocuments']>;
    return out;
  } finally {
    dek.secret.fill(0);
  }
}

/** KEK rotation for one record: re-wrap its data key under the active KEK; fields are untouched. */
export function rewrapRegistrant(sealed: SealedRegistrant, keys: RegistryKeys, now: number): SealedRegistrant {
  if (!sealed.dek) return sealed;
  const dek = rewrapDek(sealed.dek, sealed.id, keys.kek);
  return dek === sealed.dek ? sealed : { ...sealed, dek, updatedAt: now };
}

/** True when the record's data key is wrapped by a KEK other than the active one. */
export function needsRewrap(sealed: SealedRegistrant, keys: RegistryKeys): boolean {
  return sealed.dek !== null && sealed.dek.kid !== keys.kek.active.kid;
}

/** Replace the data key itself (e.g. suspected exposure): decrypt, new DEK with version + 1, encrypt all. */
export function rekeyRegistrant(sealed: SealedRegistrant, keys: RegistryKeys, now: number): SealedRegistrant {
  const r = openRegistrant(sealed, keys);
  const dek = newDataKey((sealed.dek?.version ?? 0) + 1);
  try {
    return {
      ...build(r, dek, wrapDek(dek, r.id, keys.kek), keys, sealed.createdAt, now),
      reviewFlaggedAt: sealed.reviewFlaggedAt,
    };
  } finally {
    dek.secret.fill(0);
  }
}

/**
 * Blind-index key rotation: decrypt the record and recompute its indexes under `next` (the new index
 * key). Index values are one-way, so every record must be opened once; fields are untouched.
 */
export function reindexRegistrant(
  sealed: SealedRegistrant,
  keys: RegistryKeys,
  next: RegistryKeys['indexKey'],
  now: number,
): SealedRegistrant {
  if (!sealed.dek) return sealed;
  const r = openRegistrant(sealed, keys);
  return {
    ...sealed,
    blindIndexes: personIndexes(r.person, next, r.pastTravelDocuments),
    contentDigest: contentDigest(r, next),
    updatedAt: now,
  };
}

/**
 * Erasure by crypto-shredding: the wrapped data key, every ciphertext and every blind index are
 * dropped; what remains is a tombstone of non-personal fields for statistics. The store must
 * overwrite the record with this (not merely flag it).
 */
export function shredRegistrant(sealed: SealedRegistrant, now: number): SealedRegistrant {
  return {
    id: sealed.id,
    format: 1,
    status: 'ended',
    registrationStart: sealed.registrationStart,
    registrationEnd: sealed.registrationEnd,
    reviewDue: sealed.reviewDue,
    reviewFlaggedAt: null,
    createdAt: sealed.createdAt,
    updatedAt: now,
    erasedAt: now,
    dek: null,
    fields: {},
    blindIndexes: [],
  };
}
