/**
 * The console's static files, from the gateway itself: the stylesheet compiled from GOV.UK Frontend
 * (build/console/console.css, made by `npm run build:console-css`), GOV.UK Frontend's JavaScript as
 * an external module, our small app.mjs that starts it and the travel form's deadline status
 * (travel-deadline.mjs, loaded by app.mjs only on that form). Read once at start-up and served from
 * memory. No crown, wordmark or GDS Transport font is served: those are for gov.uk services only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const STATIC = join(ROOT, 'src/http/console/static');
const FRONTEND = join(ROOT, 'node_modules/govuk-frontend/dist/govuk');
export const CSS_PATH = join(ROOT, 'build/console/console.css');

interface Asset {
  type: string;
  body: Buffer;
}

function load(): Map<string, Asset> {
  if (!existsSync(CSS_PATH))
    throw new Error(`console stylesheet missing: run \`npm run build:console-css\` (expected ${CSS_PATH})`);
  const js = 'text/javascript; charset=utf-8';
  return new Map<string, Asset>([
    ['console.css', { type: 'text/css; charset=utf-8', body: readFileSync(CSS_PATH) }],
    ['app.mjs', { type: js, body: readFileSync(join(STATIC, 'app.mjs')) }],
    ['travel-deadline.mjs', { type: js, body: readFileSync(join(STATIC, 'travel-deadline.mjs')) }],
    ['govuk-frontend.min.js', { type: js, body: readFileSync(join(FRONTEND, 'govuk-frontend.min.js')) }],
  ]);
}

export function serveAssets() {
  const assets = load();
  return function consoleAsset(req: Request, res: Response): void {
    const asset = assets.get(String(req.params.name));
    if (!asset) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.status(200).setHeader('Content-Type', asset.type);
    res.send(asset.body);
  };
}
