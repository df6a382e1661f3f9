/**
 * UN/EDIFACT PAXLST → Manifest. Syntax (UNA, release escapes) in syntax.ts, the envelope and its
 * counts in envelope.ts, the message body in message.ts. A transmission may carry several PAXLST
 * messages (large flights are split, UNH element 4 "01:C", "02:F"): their people are joined, and
 * they must all describe the same flight.
 */
import { tnxError } from '../../../core/errors.js';
import type { Manifest, ManifestFlight } from '../manifest.js';
import { readInterchange } from './envelope.js';
import { malformed } from './errors.js';
import { readMessageBody } from './message.js';
import { splitSegments } from './syntax.js';

export interface PaxlstOptions {
  /**
   * Year used for the century of two-digit birth years when the flight has no departure date.
   * Default: the UNB preparation year, else the current UTC year.
   */
  referenceYear?: number;
}

function sameFlight(a: ManifestFlight, b: ManifestFlight): boolean {
  return (
    a.carrier === b.carrier &&
    a.flightNumber === b.flightNumber &&
    a.departureAirport === b.departureAirport &&
    a.arrivalAirport === b.arrivalAirport
  );
}

export function parsePaxlst(text: unknown, options: PaxlstOptions = {}): Manifest {
  if (typeof text !== 'string' || text.trim() === '') {
    throw tnxError('malformed_manifest', 'PAXLST: empty input', { detail: { format: 'PAXLST' } });
  }
  const interchange = readInterchange(splitSegments(text));
  let flight: ManifestFlight | null = null;
  const passengers: Manifest['passengers'] = [];
  for (const message of interchange.messages) {
    const fallbackYear =
      options.referenceYear ??
      (/^\d{6}$/.test(interchange.preparedOn)
        ? 2000 + Number(interchange.preparedOn.slice(0, 2))
        : new Date().getUTCFullYear());
    const content = readMessageBody(message.segments, fallbackYear);
    if (flight === null) flight = content.flight;
    else if (content.flight !== null && !sameFlight(flight, content.flight)) {
      const tdt = message.segments.find((s) => s.tag === 'TDT')!;
      throw malformed('TDT', tdt.position, 2, 'messages of one interchange describe different flights');
    }
    passengers.push(...content.people);
  }
  return { flight: flight!, passengers };
}
