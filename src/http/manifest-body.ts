/**
 * Body step of POST /api/v1/manifests: media-type allow-list → size-limited read → strict UTF-8 →
 * the parser of that form. Everything is refused before the handler runs, and nothing is stored:
 *   application/edifact  UN/EDIFACT PAXLST (src/domain/screening/paxlst); syntax levels UNOA/UNOB are ASCII,
 *                        so strict UTF-8 decoding accepts exactly them (and UTF-8 text)
 *   application/json     the JSON form (protocol/schemas/manifest.schema.json) after the strict JSON
 *                        parser (duplicate keys, __proto__, depth refused as for every JSON body)
 * A malformed manifest is `malformed_manifest` naming the segment and its position (PAXLST) or the
 * JSON pointer — never a value (it would be a passenger's name, date of birth or document number).
 */
import type { NextFunction, Request, Response } from 'express';
import { TnxError } from '../core/errors.js';
import { decodeUtf8, parseMediaType, readRawBody } from './body.js';
import { parseStrictJson } from '../domain/protocol/strict-json.js';
import type { Manifest } from '../domain/screening/manifest.js';
import { parseManifestJson } from '../domain/screening/manifest-json.js';
import { parsePaxlst } from '../domain/screening/paxlst/parse.js';
import type { ManifestFormat } from '../features/screening/intake.js';

export const MANIFEST_MEDIA_TYPES = ['application/edifact', 'application/json'] as const;

export interface ParsedManifest {
  format: ManifestFormat;
  manifest: Manifest;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function formatOf(header: string | undefined): ManifestFormat {
  const mt = parseMediaType(header);
  const refuse = (): TnxError =>
    new TnxError('unsupported_media_type', `Content-Type must be one of: ${MANIFEST_MEDIA_TYPES.join(', ')}`, {
      detail: { allowed: MANIFEST_MEDIA_TYPES },
    });
  if (!mt || !(MANIFEST_MEDIA_TYPES as readonly string[]).includes(mt.type)) throw refuse();
  for (const [name, value] of Object.entries(mt.params)) {
    if (name !== 'charset' || !['utf-8', 'us-ascii'].includes(value.toLowerCase())) throw refuse();
  }
  return mt.type === 'application/edifact' ? 'paxlst' : 'json';
}

function decodeEdifact(raw: Buffer): string {
  try {
    return strictUtf8.decode(raw);
  } catch (cause) {
    throw new TnxError('malformed_manifest', 'PAXLST: body is not ASCII/UTF-8 text (syntax levels UNOA, UNOB)', {
      cause,
      detail: { format: 'PAXLST' },
    });
  }
}

export function parseManifestBody(limit: number) {
  return async function parseManifestStep(req: Request, res: Response, next: NextFunction): Promise<void> {
    const format = formatOf(req.headers['content-type']);
    const raw = await readRawBody(req, limit);
    const manifest =
      format === 'json' ? parseManifestJson(parseStrictJson(decodeUtf8(raw, 'json'))) : parsePaxlst(decodeEdifact(raw));
    (res.locals as { manifest?: ParsedManifest }).manifest = { format, manifest };
    next();
  };
}

export function parsedManifestOf(res: Response): ParsedManifest {
  const m = (res.locals as { manifest?: ParsedManifest }).manifest;
  if (!m) throw new Error('manifest missing: parseManifestBody must run before this step');
  return m;
}
