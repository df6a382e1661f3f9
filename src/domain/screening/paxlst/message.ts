/**
 * One PAXLST message body (UN/EDIFACT D02B as profiled by the WCO/IATA/ICAO API guidelines) → flight
 * and people. Segments are read in order with a small state machine: header (BGM, RFF, DTM, NAD+MS,
 * CTA, COM), flight (TDT, LOC+125/87 with DTM+189/232), then one group per person (NAD+FL/FM …) with
 * nested document groups (DOC, DTM+36, LOC+91), then CNT.
 *
 * Allow-list: the segment tags of the D02B PAXLST message are accepted; any other tag is refused, as
 * is a segment out of its place (e.g. ATT before any NAD), so a garbled file is never half-read.
 */
import type { Sex, TravelDocumentType } from '../../protocol/types.js';
import type { ManifestDocument, ManifestFlight, ManifestPassenger, ManifestRole } from '../manifest.js';
import { parseBirthDate, parseDateTime, parseExpiryDate } from './dates.js';
import { malformed } from './errors.js';
import { component, type Segment } from './syntax.js';

/** PAXLST D02B segments we read but whose content screening does not need. */
const IGNORED_TAGS = new Set(['CTA', 'COM', 'FTX', 'GEI', 'MEA', 'EMP', 'CPI', 'QTY']);

/** NAD party function codes (3035) for people on board; DDU/DDT are in-transit passenger/crew. */
const PERSON_ROLES: Record<string, ManifestRole> = { FL: 'passenger', DDU: 'passenger', FM: 'crew', DDT: 'crew' };

/** DOC document name codes (1001, API profile) → TNX document types. */
const DOCUMENT_TYPES: Record<string, TravelDocumentType> = {
  P: 'passport',
  PT: 'passport',
  IP: 'passport',
  I: 'identity_card',
  ID: 'identity_card',
  A: 'identity_card',
  C: 'identity_card',
  AC: 'identity_card',
  V: 'visa',
  IN: 'residence_permit',
  M: 'other',
  F: 'other',
  ZZZ: 'other',
};

const SEX_CODES: Record<string, Sex> = { M: 'M', F: 'F', U: 'U', X: 'X' };
const CODE3 = /^[A-Z]{3}$/;
const DOC_NUMBER = /^[A-Z0-9][A-Z0-9-]{0,19}$/;

export interface MessageContent {
  documentCode: string;
  flight: ManifestFlight | null;
  people: ManifestPassenger[];
}

interface FlightDraft {
  carrier: string;
  flightNumber: string;
  departureAirport: string | null;
  arrivalAirport: string | null;
  scheduledDeparture: string | null;
  scheduledArrival: string | null;
  lastLoc: '125' | '87' | null;
}

function code3(seg: Segment, element: number, c = 1): string {
  const v = component(seg, element, c);
  if (!CODE3.test(v)) throw malformed(seg.tag, seg.position, element, 'expected a three-letter code');
  return v;
}

function readFlight(seg: Segment): FlightDraft {
  const flightNumber = component(seg, 2).replace(/\s+/g, '');
  if (!/^[A-Z0-9]{3,8}$/.test(flightNumber))
    throw malformed('TDT', seg.position, 2, 'flight number is missing or invalid');
  const carrier = component(seg, 5, 1) || flightNumber.slice(0, 2);
  if (!/^[A-Z0-9]{2,3}$/.test(carrier)) throw malformed('TDT', seg.position, 5, 'carrier is invalid');
  return {
    carrier,
    flightNumber,
    departureAirport: null,
    arrivalAirport: null,
    scheduledDeparture: null,
    scheduledArrival: null,
    lastLoc: null,
  };
}

function readName(seg: Segment): { familyName: string; givenNames: string[] } {
  const familyName = component(seg, 4, 1).trim();
  if (familyName === '') throw malformed('NAD', seg.position, 4, 'family name is missing');
  const givenNames = (seg.elements[3] ?? [])
    .slice(1)
    .flatMap((g) => g.trim().split(/\s+/))
    .filter((g) => g !== '');
  return { familyName, givenNames };
}

/**
 * `fallbackYear` dates two-digit birth years when the message has no departure date; with one, the
 * departure year is the reference (a person cannot be born after the flight).
 */
export function readMessageBody(segments: Segment[], fallbackYear: number): MessageContent {
  const bgm = segments[1];
  if (bgm === undefined || bgm.tag !== 'BGM') {
    throw malformed(bgm?.tag ?? 'UNT', bgm?.position ?? segments[0]!.position + 1, 0, 'missing mandatory segment BGM');
  }
  const documentCode = component(bgm, 1);
  if (documentCode !== '745' && documentCode !== '250')
    throw malformed('BGM', bgm.position, 1, 'document is not a passenger (745) or crew (250) list');

  let flight: FlightDraft | null = null;
  const people: ManifestPassenger[] = [];
  let person: ManifestPassenger | null = null;
  let doc: ManifestDocument | null = null;
  const counts = new Map<string, Segment>();

  for (const seg of segments.slice(2, -1)) {
    const { tag, position } = seg;
    const q = component(seg, 1);
    if (counts.size > 0 && tag !== 'CNT') throw malformed(tag, position, 0, 'segment after CNT');
    switch (tag) {
      case 'TDT':
        if (flight !== null || person !== null) throw malformed(tag, position, 0, 'transport details out of place');
        if (q !== '20') throw malformed(tag, position, 1, 'transport stage qualifier is not 20 (main carriage)');
        flight = readFlight(seg);
        break;
      case 'LOC':
        if (person === null) {
          if (flight === null) throw malformed(tag, position, 0, 'location before TDT');
          if (q === '125') {
            flight.departureAirport = code3(seg, 2);
            flight.lastLoc = '125';
          } else if (q === '87') {
            flight.arrivalAirport = code3(seg, 2);
            flight.lastLoc = '87';
          } else flight.lastLoc = null; // 92 (routing) and others: read past
        } else if (q === '91') {
          if (doc === null) throw malformed(tag, position, 1, 'issuing state outside a document group');
          doc.issuingState = code3(seg, 2);
        } else if (q === '178') person.embarkation = code3(seg, 2);
        else if (q === '179') person.debarkation = code3(seg, 2);
        else if (!['174', '180', '22'].includes(q))
          throw malformed(tag, position, 1, 'location qualifier not allowed here');
        break;
      case 'DTM': {
        const c = component(seg, 1, 1);
        const value = component(seg, 1, 2);
        const format = component(seg, 1, 3);
        if (person === null && flight !== null && (c === '189' || c === '232')) {
          const at = parseDateTime(value, format);
          if (at === null) throw malformed(tag, position, 1, 'date/time is not valid for its format');
          if (c === '189' && flight.lastLoc === '125') flight.scheduledDeparture = at;
          else if (c === '232' && flight.lastLoc === '87') flight.scheduledArrival = at;
          else throw malformed(tag, position, 1, 'date/time does not follow its location');
        } else if (person === null) {
          // Message-level dates (e.g. DTM+137 preparation) carry nothing screening needs.
        } else if (c === '329') {
          const reference = flight?.scheduledDeparture?.slice(0, 10) ?? `${fallbackYear}-12-31`;
          person.dateOfBirth = parseBirthDate(value, format, reference);
          if (person.dateOfBirth === null) throw malformed(tag, position, 1, 'date of birth is not a valid date');
        } else if (c === '36') {
          if (doc === null) throw malformed(tag, position, 1, 'expiry date outside a document group');
          doc.expiresOn = parseExpiryDate(value, format);
          if (doc.expiresOn === null) throw malformed(tag, position, 1, 'expiry date is not a valid date');
        } else if (c !== '182') {
          throw malformed(tag, position, 1, 'date qualifier not allowed here');
        }
        break;
      }
      case 'NAD': {
        const role = PERSON_ROLES[q];
        if (role === undefined) {
          if (q === 'MS' && flight === null) break; // reporting party (the airline's contact)
          throw malformed(tag, position, 1, 'party qualifier not allowed here');
        }
        if (flight === null) throw malformed(tag, position, 0, 'person before TDT');
        person = {
          role,
          ...readName(seg),
          sex: 'U',
          dateOfBirth: null,
          nationality: null,
          documents: [],
          bookingRef: null,
          embarkation: null,
          debarkation: null,
        };
        doc = null;
        people.push(person);
        break;
      }
      case 'ATT':
        if (person === null) throw malformed(tag, position, 0, 'attribute outside a person');
        if (q === '2') {
          const sex = SEX_CODES[component(seg, 3, 1)];
          if (sex === undefined) throw malformed(tag, position, 3, 'sex code is not M, F, U or X');
          person.sex = sex;
        }
        break;
      case 'NAT':
        if (person === null) throw malformed(tag, position, 0, 'nationality outside a person');
        if (q !== '2') throw malformed(tag, position, 1, 'nationality qualifier is not 2');
        person.nationality = code3(seg, 2);
        break;
      case 'RFF':
        if (person !== null && doc === null && component(seg, 1, 1) === 'AVF') {
          const ref = component(seg, 1, 2);
          if (!/^[A-Z0-9]{1,20}$/.test(ref)) throw malformed(tag, position, 1, 'booking reference is invalid');
          person.bookingRef = ref;
        }
        break;
      case 'DOC': {
        if (person === null) throw malformed(tag, position, 0, 'document outside a person');
        const type = DOCUMENT_TYPES[component(seg, 1, 1)];
        if (type === undefined) throw malformed(tag, position, 1, 'document type code not allowed');
        const number = component(seg, 2, 1).replace(/\s+/g, '');
        if (!DOC_NUMBER.test(number)) throw malformed(tag, position, 2, 'document number is missing or invalid');
        doc = { type, number, issuingState: null, expiresOn: null };
        person.documents.push(doc);
        break;
      }
      case 'CNT': {
        const q2 = component(seg, 1, 1);
        if (q2 !== '41' && q2 !== '42') throw malformed(tag, position, 1, 'count qualifier is not 41 or 42');
        if (!/^\d{1,6}$/.test(component(seg, 1, 2))) throw malformed(tag, position, 1, 'count is not a number');
        counts.set(q2, seg);
        break;
      }
      default:
        if (IGNORED_TAGS.has(tag)) break;
        throw malformed(tag, position, 0, 'segment not allowed in a PAXLST message');
    }
  }

  const unt = segments[segments.length - 1]!;
  if (flight === null) throw malformed('UNT', unt.position, 0, 'missing mandatory segment TDT');
  if (flight.departureAirport === null) throw malformed('UNT', unt.position, 0, 'missing mandatory segment LOC+125');
  if (flight.arrivalAirport === null) throw malformed('UNT', unt.position, 0, 'missing mandatory segment LOC+87');
  // The list's own count is mandatory; the other one (crew in a passenger list) is checked if sent.
  const own = documentCode === '250' ? '41' : '42';
  checkCount(counts, own, people, unt);
  const other = own === '42' ? '41' : '42';
  if (counts.has(other)) checkCount(counts, other, people, unt);
  const { lastLoc: _ignored, ...rest } = flight;
  return {
    documentCode,
    flight: { ...rest, departureAirport: flight.departureAirport, arrivalAirport: flight.arrivalAirport },
    people,
  };
}

/** CNT+42 counts passengers of a passenger list, CNT+41 crew of a crew list (code list 6069). */
function checkCount(
  counts: Map<string, Segment>,
  qualifier: '41' | '42',
  people: ManifestPassenger[],
  unt: Segment,
): void {
  const cnt = counts.get(qualifier);
  if (cnt === undefined) throw malformed('UNT', unt.position, 0, `missing mandatory segment CNT+${qualifier}`);
  const role: ManifestRole = qualifier === '42' ? 'passenger' : 'crew';
  if (Number(component(cnt, 1, 2)) !== people.filter((p) => p.role === role).length) {
    throw malformed('CNT', cnt.position, 1, `${role} count does not match the ${role} groups`);
  }
}
