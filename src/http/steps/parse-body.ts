/**
 * Body parsing step: media-type allow-list → size-limited read → strict UTF-8 → strict JSON or the
 * hardened XML codec → the route's decoder. Nothing reaches a handler that was not refused-or-accepted
 * here first.
 */
import type { NextFunction, Request, Response } from 'express';
import { parseStrictJson } from '../../domain/protocol/strict-json.js';
import { parseXmlSubmission } from '../../domain/protocol/xml-codec.js';
import type { BodyKind, RequestBody } from '../../features/route.js';
import { decodeUtf8, readRawBody, selectBodyKind } from '../body.js';
import { stateOf } from '../state.js';

export interface ParseBodyOptions {
  kinds: readonly BodyKind[];
  limit: number;
  decode?: (body: RequestBody) => unknown;
}

export function parseBody(options: ParseBodyOptions) {
  return async function parseBodyStep(req: Request, res: Response, next: NextFunction): Promise<void> {
    const kind = selectBodyKind(req.headers['content-type'], options.kinds);
    const raw = await readRawBody(req, options.limit);
    const text = decodeUtf8(raw, kind);
    let value: unknown = text;
    if (kind === 'json') value = parseStrictJson(text);
    // XML, like JSON, is validated by the handler after the gateway fills the fields it owns.
    else if (kind === 'xml') value = parseXmlSubmission(text);
    const body: RequestBody = { kind, value, raw, text };
    const state = stateOf(res);
    state.body = body;
    if (options.decode) state.decoded = options.decode(body);
    next();
  };
}
