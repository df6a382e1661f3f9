/**
 * `tnx demo --network`: the demo's gateways follow a coordinator's signed network directory instead
 * of local partner lists. The demo plays the coordinator: it makes a coordinator key (in the demo's
 * temp folder), builds the directory from the demo states' published data (name, point of contact,
 * accepted types, public keys of keys/dev, a loopback inbox each), signs it, and serves it from a
 * static HTTP server on loopback with a strong ETag — what any static HTTPS host does in production.
 * The gateways are configured with that URL and the coordinator's public key as trust anchor, and
 * fetch it at start-up and every few seconds.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { PartnerInput } from '../../config/schema.js';
import { systemClock } from '../../core/clock.js';
import type { DirectoryEntry, NetworkDirectory } from '../../domain/directory/network.js';
import { signNetworkDirectory } from '../../domain/directory/network-jws.js';
import { generateKey } from '../../domain/keys/generate.js';
import { publicJwksOf } from '../../domain/keys/files.js';
import type { Jwks } from '../../domain/keys/jwk.js';
import { COORDINATOR } from '../../domain/keys/rotate.js';
import { CONFIG_DIR, REPO_ROOT, type DemoState } from './two-states.js';

export const DEMO_NETWORK = 'tnx-demo';
const HOUR = 3_600_000;

export interface DemoCoordinator {
  /** Where the gateways fetch the signed directory. */
  url: string;
  /** The coordinator's public JWKS: the gateways' trust anchor. */
  anchorsPath: string;
  serial: number;
  states: string[];
  close(): Promise<void>;
}

/** The demo states' directory entries, from the published data in config/directory.*.json. */
function entryOf(state: DemoState, endpoint: string): DirectoryEntry {
  for (const other of ['usa', 'gbr', 'fra', 'tha']) {
    if (other === state.toLowerCase()) continue;
    const file = JSON.parse(readFileSync(join(CONFIG_DIR, `directory.${other}.json`), 'utf8')) as {
      partners: PartnerInput[];
    };
    const p = file.partners.find((x) => x.state === state);
    if (!p) continue;
    const jwks = JSON.parse(
      readFileSync(join(REPO_ROOT, 'keys/dev', `${state.toLowerCase()}.public.jwks.json`), 'utf8'),
    ) as Jwks;
    return {
      state,
      name: p.name,
      endpoint,
      jwks: publicJwksOf(jwks),
      pointOfContact: { ...p.pointOfContact },
      accepts: [...(p.accepts ?? ['TravelNotification', 'TravelUpdate', 'FollowUpReport'])],
    };
  }
  throw new RangeError(`no published data for ${state}`);
}

/** Make the coordinator key, sign the directory for `ports`, and serve it on loopback. */
export async function startDemoCoordinator(
  dir: string,
  ports: Partial<Record<DemoState, number>>,
): Promise<DemoCoordinator> {
  const key = await generateKey(COORDINATOR, 'sig', 'ES256', systemClock);
  const anchorsPath = join(dir, 'coordinator.public.jwks.json');
  writeFileSync(anchorsPath, `${JSON.stringify(publicJwksOf({ keys: [key] }), null, 2)}\n`);
  const states = Object.keys(ports) as DemoState[];
  const now = systemClock.now();
  const doc: NetworkDirectory = {
    v: '1',
    network: DEMO_NETWORK,
    serial: 1,
    issuedAt: new Date(now - 1000).toISOString(),
    nextUpdate: new Date(now + 24 * HOUR).toISOString(),
    expiresAt: new Date(now + 7 * 24 * HOUR).toISOString(),
    states: states.map((s) => entryOf(s, `http://127.0.0.1:${ports[s]!}/tnx/v1/messages`)),
  };
  const signed = await signNetworkDirectory(doc, key);
  writeFileSync(join(dir, 'directory.jws'), signed);
  const etag = `"${createHash('sha256').update(signed).digest('base64url')}"`;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/directory.jws') {
      res.writeHead(404).end();
      return;
    }
    if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
    else res.writeHead(200, { 'content-type': 'application/jose', etag }).end(signed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/directory.jws`,
    anchorsPath,
    serial: doc.serial,
    states,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
