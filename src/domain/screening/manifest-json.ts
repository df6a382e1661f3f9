/**
 * The JSON form of a manifest (protocol/schemas/manifest.schema.json, draft 2020-12) → Manifest.
 * Validation is by the schema alone, with ajv in strict mode; optional members are filled with the
 * same defaults the PAXLST parser uses, so the two forms of one flight give equal Manifests.
 * Errors name the JSON pointer of the first offending member, never its value.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { tnxError } from '../../core/errors.js';
import type { Manifest, ManifestDocument, ManifestPassenger } from './manifest.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const SCHEMA_URL = new URL('../../../protocol/schemas/manifest.schema.json', import.meta.url);

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (validator) return validator;
  const ajv = addFormats(new Ajv2020({ strict: true, allErrors: false, allowUnionTypes: true }));
  validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as object);
  return validator;
}

interface JsonDocument {
  type: ManifestDocument['type'];
  number: string;
  issuingState?: string | null;
  expiresOn?: string | null;
}

interface JsonPerson {
  role: ManifestPassenger['role'];
  familyName: string;
  givenNames: string[];
  sex?: ManifestPassenger['sex'];
  dateOfBirth?: string | null;
  nationality?: string | null;
  documents?: JsonDocument[];
  bookingRef?: string | null;
  embarkation?: string | null;
  debarkation?: string | null;
}

interface JsonManifest {
  flight: Omit<Manifest['flight'], 'scheduledDeparture' | 'scheduledArrival'> & {
    scheduledDeparture?: string | null;
    scheduledArrival?: string | null;
  };
  passengers: JsonPerson[];
}

/** Takes an already parsed JSON value (the HTTP layer's strict JSON parser refuses duplicates etc.). */
export function parseManifestJson(value: unknown): Manifest {
  const check = validate();
  if (!check(value)) {
    const first = check.errors?.[0];
    const pointer = first?.instancePath || '/';
    throw tnxError('malformed_manifest', `JSON manifest ${pointer}: ${first?.message ?? 'is invalid'}`, {
      pointer,
      detail: { format: 'JSON', keyword: first?.keyword },
    });
  }
  const m = value as JsonManifest;
  return {
    flight: {
      carrier: m.flight.carrier,
      flightNumber: m.flight.flightNumber,
      departureAirport: m.flight.departureAirport,
      arrivalAirport: m.flight.arrivalAirport,
      scheduledDeparture: m.flight.scheduledDeparture ?? null,
      scheduledArrival: m.flight.scheduledArrival ?? null,
    },
    passengers: m.passengers.map((p) => ({
      role: p.role,
      familyName: p.familyName,
      givenNames: [...p.givenNames],
      sex: p.sex ?? 'U',
      dateOfBirth: p.dateOfBirth ?? null,
      nationality: p.nationality ?? null,
      documents: (p.documents ?? []).map((d) => ({
        type: d.type,
        number: d.number,
        issuingState: d.issuingState ?? null,
        expiresOn: d.expiresOn ?? null,
      })),
      bookingRef: p.bookingRef ?? null,
      embarkation: p.embarkation ?? null,
      debarkation: p.debarkation ?? null,
    })),
  };
}
