/**
 * The registrant: a person on the national registry (resolution item a).
 *
 * `person` and `convictions` reuse the wire types of src/domain/protocol/types.ts so a registrant is notified
 * without re-mapping. Facts and assessments are kept apart (LED 2016/680 Art 7(1)): `notes` holds
 * staff assessments and is never copied into a notification. A record without a periodic review date
 * is refused (CJEU C-118/22: no keep-until-death without review).
 */
import { TnxError } from '../../core/errors.js';
import { isRealPartialDate } from '../protocol/semantic-checks.js';
import type { Conviction, DateTime, FullDate, Person, TravelDocument } from '../protocol/types.js';
import { schemaGuard } from './json-schema.js';

export type RegistrantStatus = 'active' | 'suspended' | 'ended';
export const REGISTRANT_STATUSES: readonly RegistrantStatus[] = ['active', 'suspended', 'ended'];

export interface RegistrantNote {
  text: string;
  /** Staff id of the author. */
  author: string;
  at: DateTime;
}

export interface Registrant {
  /** UUID; also what audit events and notifications refer to. */
  id: string;
  person: Person;
  /** Opaque reference to a photo held elsewhere; never the image. */
  photoRef?: string;
  /** The registry's own record number, unique per registry: makes creates and imports idempotent. */
  externalReference?: string;
  /** Documents held before (renewed passports): screening matches these too. */
  pastTravelDocuments?: TravelDocument[];
  convictions: Conviction[];
  registrationStart: FullDate;
  /** Null when the obligation is indefinite: then only a review ends it. */
  registrationEnd: FullDate | null;
  status: RegistrantStatus;
  /** Next periodic review. Required. */
  reviewDue: FullDate;
  /** Assessments, not facts (LED Art 7). */
  notes?: RegistrantNote[];
}

const guard: (value: unknown) => asserts value is Registrant = schemaGuard<Registrant>(
  'registrant.schema.json',
  'invalid_registrant',
);

function refuse(pointer: string, message: string): TnxError {
  return new TnxError('invalid_registrant', `${pointer} ${message}`, { pointer });
}

/**
 * Validate a registrant: the schema first, then the rules spanning fields. Returns the value typed;
 * throws `invalid_registrant` naming the pointer, never the value.
 */
export function validateRegistrant(value: unknown): Registrant {
  guard(value);
  checkDates(value);
  return value;
}

/** Cross-field date rules (ISO dates compare correctly as strings). */
function checkDates(r: Registrant): void {
  if (!isRealPartialDate(r.person.dateOfBirth)) throw refuse('/person/dateOfBirth', 'is not a real calendar date');
  r.convictions.forEach((c, i) => {
    if (c.registrationEndsOn !== null && c.registrationEndsOn < c.convictedOn) {
      throw refuse(`/convictions/${i}/registrationEndsOn`, 'must not be before convictedOn');
    }
  });
  if (r.registrationEnd !== null && r.registrationEnd < r.registrationStart) {
    throw refuse('/registrationEnd', 'must not be before registrationStart');
  }
  if (r.reviewDue < r.registrationStart) throw refuse('/reviewDue', 'must not be before registrationStart');
  if (r.status === 'ended' && r.registrationEnd === null)
    throw refuse('/registrationEnd', 'is required when status is "ended"');
}
