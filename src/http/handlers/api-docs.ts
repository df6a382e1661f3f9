/**
 * The API's own description, public like the JWKS: partners and integrators need it before they
 * hold a token, and it says nothing a deployment keeps secret — it is the published protocol/openapi.yaml.
 */
import type { Request, Response } from 'express';
import { apiReference } from '../api-reference.js';

/** Nothing may load, run or frame: the page is self-contained HTML without script or style. */
const PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function serveOpenApi() {
  return function serveOpenApiStep(_req: Request, res: Response): void {
    res
      .status(200)
      .set({ 'Content-Type': 'application/yaml', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.send(apiReference().yaml);
  };
}

export function serveApiDocs() {
  return function serveApiDocsStep(_req: Request, res: Response): void {
    res.status(200).set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.send(apiReference().html);
  };
}
