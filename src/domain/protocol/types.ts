/**
 * TNX/1 message types, as protocol/SPEC.md and protocol/schemas/*.schema.json define them.
 * Field names here are the wire names; the JSON Schemas are normative, these types follow them.
 */

/** ISO 3166-1 alpha-3 state code, upper case (e.g. "USA"). */
export type StateCode = string;
/** RFC 3339 date-time *with* an explicit offset (Z or ±hh:mm). */
export type DateTime = string;
/** Full date "YYYY-MM-DD". */
export type FullDate = string;
/** Partial date: "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
export type PartialDate = string;

export const PROTOCOL_VERSION = '1' as const;
export const MESSAGE_TYPES = ['TravelNotification', 'TravelUpdate', 'FollowUpReport', 'Receipt'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface PersonName {
  /** Family name(s) as one string. */
  family: string;
  /** Given names in order. May be empty for mononyms. */
  given: string[];
}

export interface OriginalScriptName extends PersonName {
  /** ISO 15924 script code, e.g. "Cyrl", "Arab", "Grek", "Hani". */
  script: string;
}

export type Sex = 'F' | 'M' | 'X' | 'U';
export type TravelDocumentType = 'passport' | 'identity_card' | 'visa' | 'residence_permit' | 'other';

export interface TravelDocument {
  number: string;
  type: TravelDocumentType;
  issuingState: StateCode;
  expiresOn?: FullDate;
}

export interface Person {
  /** Name in Latin script (transliterated per ICAO 9303 where the original is not Latin). */
  name: PersonName;
  /** Name in the original script, when that is not Latin. */
  nameOriginalScript?: OriginalScriptName;
  aliases?: PersonName[];
  dateOfBirth: PartialDate;
  sex: Sex;
  citizenships: StateCode[];
  travelDocuments: TravelDocument[];
}

export type OffenceCategory =
  | 'child_sexual_abuse'
  | 'child_sexual_abuse_material'
  | 'child_sexual_exploitation'
  | 'online_solicitation'
  | 'child_trafficking'
  | 'other';

export interface Conviction {
  offenceCategory: OffenceCategory;
  convictedOn: FullDate;
  /** State code, optionally with an ISO 3166-2 subdivision: "USA" or "USA-CA". */
  jurisdiction: string;
  sentenceSummary: string;
  victimMinor: boolean;
  /** End of the registration obligation for this conviction; null when indefinite (subject to review). */
  registrationEndsOn: FullDate | null;
}

export interface TravelLeg {
  /** 1-based, ascending, no gaps. */
  sequence: number;
  /** IATA airline designator (2 characters) or ICAO (3 letters). */
  carrier: string;
  /** Flight number as published, e.g. "BA178" or "BA0178". */
  flightNumber: string;
  /** IATA airport codes. */
  departureAirport: string;
  arrivalAirport: string;
  scheduledDeparture: DateTime;
  scheduledArrival?: DateTime;
}

export interface Accommodation {
  kind: 'hotel' | 'private_address' | 'other';
  addressLines: string[];
  city: string;
  country: StateCode;
  from?: FullDate;
  to?: FullDate;
}

export interface Travel {
  purpose: string;
  /** Scheduled departure of the first leg; must equal legs[0].scheduledDeparture exactly. */
  departureAt: DateTime;
  legs: TravelLeg[];
  /** Destination states in the order visited. */
  destinationCountries: StateCode[];
  accommodation?: Accommodation[];
  /** Planned return date, or null for no planned return. */
  returnDate: FullDate | null;
  travellingWithChild: boolean;
}

export type SourceKind = 'self_report' | 'manifest_match' | 'other';

export interface Source {
  kind: SourceKind;
  /** Other sources that found the same trip after it was first notified (de-duplication record). */
  alsoFoundBy?: SourceKind[];
  detail?: string;
}

export interface ReportInfo {
  /** When the registrant reported the travel (or when the match was confirmed). */
  reportedAt: DateTime;
  /** Whole days between reportedAt and departureAt. */
  daysOfNotice: number;
  /** True when the report came later than the origin state's minimum notice. */
  late: boolean;
  emergency?: { reason: string };
}

export type Caveat = 'law_enforcement_only' | 'no_onward_transfer' | 'originator_consent_required';

export interface Handling {
  caveats: Caveat[];
  /** Date by which the recipient should erase the notification. */
  retainUntil: FullDate;
}

export interface DataQuality {
  /** LED Art 7(1): personal data based on facts vs on personal assessments. */
  basis: 'fact' | 'assessment' | 'mixed';
  /** Reliability of the source and of the information, e.g. 4x4 grading "A1". */
  reliability: 'verified' | 'reliable' | 'unverified';
  notes?: string;
}

export interface PointOfContact {
  unit: string;
  email: string;
  phone: string;
  /** Hours of service, free text, e.g. "24/7" or "Mon-Fri 08:00-18:00 UTC-5". */
  hours: string;
}

/**
 * Extension members (protocol/SPEC.md, "Versioning and extensions"): the only place a TNX/1 message may
 * carry fields the standard does not define. Keys are `STATE_name` (e.g. "USA_caseReference"), values
 * strings. Receivers store them with the message and never reject a message for an unknown key here.
 */
export type Extensions = Record<string, string>;

export interface TravelNotification {
  v: '1';
  type: 'TravelNotification';
  /** Stable id of the notification (UUID); updates and follow-ups refer to it. */
  notificationId: string;
  origin: StateCode;
  destination: StateCode;
  person: Person;
  convictions: Conviction[];
  travel: Travel;
  source: Source;
  report: ReportInfo;
  handling: Handling;
  dataQuality: DataQuality;
  pointOfContact: PointOfContact;
  ext?: Extensions;
}

export interface TravelUpdate {
  v: '1';
  type: 'TravelUpdate';
  updateId: string;
  notificationId: string;
  origin: StateCode;
  destination: StateCode;
  action: 'amend' | 'cancel';
  /** For `amend`: the dotted paths that changed, e.g. ["travel.legs", "travel.departureAt"]. */
  changed?: string[];
  /** For `amend`: the new travel section, whole. */
  travel?: Travel;
  reason?: string;
  issuedAt: DateTime;
  ext?: Extensions;
}

export type FollowUpAction =
  | 'none'
  | 'monitored'
  | 'interviewed'
  | 'visa_refused'
  | 'entry_denied'
  | 'subject_did_not_arrive'
  | 'investigation_opened'
  | 'other';

export interface FollowUpReport {
  v: '1';
  type: 'FollowUpReport';
  followUpId: string;
  /** The notification this reports on (issued by the recipient of this report). */
  notificationId: string;
  /** The reporting state (the destination of the notification). */
  origin: StateCode;
  /** The state that sent the notification. */
  destination: StateCode;
  action: FollowUpAction;
  actionAt: DateTime;
  note?: string;
  ext?: Extensions;
}

export interface Receipt {
  v: '1';
  type: 'Receipt';
  /** The `jti` of the message received. */
  messageId: string;
  /** base64url(SHA-256(exact JWE bytes received)), no padding. */
  digest: string;
  /** RFC 3339 UTC with milliseconds, e.g. "2026-11-27T10:00:00.000Z". */
  receivedAt: DateTime;
}

export type TnxMessage = TravelNotification | TravelUpdate | FollowUpReport;
export type AnyTnxMessage = TnxMessage | Receipt;

/** The JWS payload carried inside the JWE (RFC 7519 §5.2 nested JWT). */
export interface TnxClaims<M = AnyTnxMessage> {
  iss: StateCode;
  aud: StateCode;
  jti: string;
  iat: number;
  tnx: M;
}

export const JWS_TYP = 'tnx+jwt';
export const RECEIPT_TYP = 'tnx-receipt+jwt';
export const JWE_CTY = 'JWT';
export const MEDIA_TYPE_JOSE = 'application/jose';
export const MEDIA_TYPE_JWT = 'application/jwt';
