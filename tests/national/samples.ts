/** Request bodies for the national API tests. */
import type { Registrant } from '../../src/domain/registry/registrant.js';
import { cyrillicRegistrant } from '../registry/fixtures.js';
import { threeCountryReport } from '../travel-reports/fixtures.js';

/** A registrant body as the API takes it (no id: the gateway assigns one). */
export function registrantBody(overrides: Partial<Registrant> = {}): Omit<Registrant, 'id'> {
  const { id: _id, ...rest } = cyrillicRegistrant(overrides);
  return rest;
}

/** The travel section of the three-country report (FRA, DEU, THA), departing `departure`. */
export function travelBody(departure: number, reportedAt: number) {
  return threeCountryReport('x', { departure, reportedAt }).travel;
}
