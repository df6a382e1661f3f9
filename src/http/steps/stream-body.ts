/**
 * Body step of a streamed route (bulk import): the media type is checked like any body's, then the
 * handler is given the body's lines to read at its own pace (./ndjson-lines.ts) — backpressure holds
 * the client while a line is being stored, and nothing but the current line is in memory.
 */
import type { NextFunction, Request, Response } from 'express';
import type { RequestBody } from '../../features/route.js';
import { selectBodyKind } from '../body.js';
import { ndjsonLines } from '../ndjson-lines.js';
import { stateOf } from '../state.js';
import type { BodyKind } from '../body.js';

export interface StreamBodyOptions {
  kinds: readonly BodyKind[];
  lineLimit: number;
  decode?: (body: RequestBody) => unknown;
}

export function streamBody(options: StreamBodyOptions) {
  return function streamBodyStep(req: Request, res: Response, next: NextFunction): void {
    const kind = selectBodyKind(req.headers['content-type'], options.kinds);
    const body: RequestBody = {
      kind,
      value: undefined,
      raw: Buffer.alloc(0),
      text: '',
      lines: ndjsonLines(req, options.lineLimit),
    };
    const state = stateOf(res);
    state.body = body;
    if (options.decode) state.decoded = options.decode(body);
    next();
  };
}
