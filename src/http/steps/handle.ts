/**
 * The last two steps of a route: `handle` gives the handler its typed input (never the request
 * object) and keeps the reply; `respond` writes it — status, headers, the Link to the next page, and
 * the body in the negotiated form.
 */
import type { NextFunction, Request, Response } from 'express';
import type { QueryOf, QuerySchema } from '../../features/query-schema.js';
import type { Parts, Route } from '../../features/route.js';
import { principalOf, stateOf } from '../state.js';

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

export function handle<P extends keyof Parts>(route: Route<P>, ctx: Parts[P]) {
  const params = Object.keys(route.params ?? {});
  const headers = route.headers ?? [];
  return async function handleStep(req: Request, res: Response, next: NextFunction): Promise<void> {
    const state = stateOf(res);
    state.reply = await route.handle(
      {
        principal: principalOf(res),
        params: Object.fromEntries(params.map((p) => [p, String(req.params[p])])),
        query: state.query as QueryOf<QuerySchema>,
        body: state.decoded,
        accept: state.accept ?? route.produces[0] ?? 'json',
        headers: Object.fromEntries(headers.map((h) => [h, headerValue(req.headers[h])])),
      },
      ctx,
    );
    next();
  };
}

/** Link header for the next page (RFC 8288): this path and query, the cursor replaced. */
function nextLink(req: Request, next: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) if (k !== 'cursor' && typeof v === 'string') params.set(k, v);
  params.set('cursor', next);
  return `<${req.baseUrl}${req.path}?${params.toString()}>; rel="next"`;
}

export function respond() {
  return function respondStep(req: Request, res: Response): void {
    const state = stateOf(res);
    const reply = state.reply;
    if (!reply) throw new Error('reply missing: handle must run before respond');
    if (reply.next) res.setHeader('Link', nextLink(req, reply.next));
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    res.status(reply.status ?? 200);
    const kind = reply.kind ?? state.accept ?? 'json';
    if (kind === 'json') res.json(reply.body);
    else res.type(kind === 'csv' ? 'text/csv; charset=utf-8' : 'application/xml; charset=utf-8').send(reply.body);
  };
}
