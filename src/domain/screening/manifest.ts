/**
 * The in-memory form of a passenger manifest, whichever wire form it came in (UN/EDIFACT PAXLST or
 * the JSON form of protocol/schemas/manifest.schema.json). Both parsers yield exactly this shape, so
 * screening never needs to know the source format.
 *
 * Personal data: a Manifest holds passengers' names, dates of birth and document numbers. It lives in
 * memory only; errors and logs about a manifest name segments, fields and positions, never values.
 */
import type { PartialDate, Sex, StateCode, TravelDocumentType } from '../protocol/types.js';

/** Local time at the airport, "YYYY-MM-DDTHH:MM". PAXLST carries no UTC offset, so none is invented. */
export type LocalDateTime = string;

export interface ManifestFlight {
  /** IATA (2 characters) or ICAO (3 letters) airline designator. */
  carrier: string;
  /** Flight number as sent, e.g. "BA178". */
  flightNumber: string;
  /** IATA airport code of the last departure (LOC+125). */
  departureAirport: string;
  /** IATA airport code of the first arrival (LOC+87). */
  arrivalAirport: string;
  scheduledDeparture: LocalDateTime | null;
  scheduledArrival: LocalDateTime | null;
}

export interface ManifestDocument {
  type: TravelDocumentType;
  number: string;
  issuingState: StateCode | null;
  expiresOn: string | null;
}

export type ManifestRole = 'passenger' | 'crew';

export interface ManifestPassenger {
  role: ManifestRole;
  familyName: string;
  givenNames: string[];
  sex: Sex;
  /** "YYYY", "YYYY-MM" or "YYYY-MM-DD"; null when not sent. */
  dateOfBirth: PartialDate | null;
  nationality: StateCode | null;
  documents: ManifestDocument[];
  bookingRef: string | null;
  /** Port of embarkation (LOC+178) and debarkation (LOC+179), IATA codes. */
  embarkation: string | null;
  debarkation: string | null;
}

export interface Manifest {
  flight: ManifestFlight;
  passengers: ManifestPassenger[];
}
