/**
 * The body of POST /api/v1/manifests, decoded before any handler runs and before anything is stored:
 *   application/edifact  UN/EDIFACT PAXLST (src/domain/screening/paxlst); syntax levels UNOA/UNOB are
 *                        ASCII, so strict UTF-8 decoding accepts exactly them (and UTF-8 text)
 *   application/json     the JSON form (protocol/schemas/manifest.schema.json) after the strict JSON
 *                        parser (duplicate keys, __proto__, depth refused as for every JSON body)
 * A malformed manifest is `malformed_manifest` naming the segment and its position (PAXLST) or the
 * JSON pointer — never a value (it would be a passenger's name, date of birth or document number).
 */
import type { Manifest } from '../../domain/screening/manifest.js';
import { parseManifestJson } from '../../domain/screening/manifest-json.js';
import { parsePaxlst } from '../../domain/screening/paxlst/parse.js';
import type { RequestBody } from '../route.js';
import type { ManifestFormat } from './intake.js';

export interface ManifestUpload {
  format: ManifestFormat;
  manifest: Manifest;
}

export function manifestUpload(body: RequestBody): ManifestUpload {
  return body.kind === 'paxlst'
    ? { format: 'paxlst', manifest: parsePaxlst(body.text) }
    : { format: 'json', manifest: parseManifestJson(body.value) };
}
